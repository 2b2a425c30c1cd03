import unittest

from bench import config
from bench.gunicorn_server import dockerfile_cmd, gunicorn_arguments

DOCKERFILE = """FROM python:3.11-slim
CMD ["echo", "not this one"]
# the last CMD wins, continued over lines
CMD ["gunicorn", "--bind", ":8888", "--workers", "2", "--access-logfile", "-", \\
     "superlists.wsgi:application"]
"""


class DockerfileCmdTest(unittest.TestCase):
    def test_reads_the_last_exec_form_cmd_across_continuation_lines(self) -> None:
        self.assertEqual(
            dockerfile_cmd(DOCKERFILE),
            ["gunicorn", "--bind", ":8888", "--workers", "2", "--access-logfile", "-",
             "superlists.wsgi:application"],
        )  # fmt: skip

    def test_keeps_every_option_but_the_bind_and_the_application(self) -> None:
        arguments = gunicorn_arguments(dockerfile_cmd(DOCKERFILE), "127.0.0.1:5000", "app:wsgi")
        self.assertEqual(
            arguments,
            ["--bind", "127.0.0.1:5000", "--workers", "2", "--access-logfile", "-", "app:wsgi"],
        )

    def test_the_projects_dockerfile_runs_gunicorn(self) -> None:
        self.assertEqual(dockerfile_cmd(config.DOCKERFILE.read_text())[0], "gunicorn")

    def test_a_dockerfile_without_gunicorn_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            dockerfile_cmd('FROM x\nCMD ["python", "app.py"]\n')
