"""The daily backup's cron file, rendered by Ansible's own templating from the role's template.
(infra/staging_tests proves a real cron daemon runs it.)"""

import unittest

from infra.tests.role_templates import render_role_template

VARIABLES: dict[str, object] = {"site_host": "superlists.example.com", "docker_host": ""}


class BackupCronTemplateTest(unittest.TestCase):
    def test_the_job_finds_docker_where_a_login_shell_would(self) -> None:
        # Cron runs jobs with PATH=/usr/bin:/bin unless the file says otherwise: a docker in
        # /usr/local/bin (this machine's) was "not found" every night.
        cron_file = render_role_template("backup.cron.j2", VARIABLES)
        [path_line] = [line for line in cron_file.splitlines() if line.startswith("PATH=")]
        directories = path_line.removeprefix("PATH=").split(":")
        for directory in ["/usr/local/bin", "/usr/bin", "/bin"]:
            self.assertIn(directory, directories)
        lines = cron_file.splitlines()
        [job] = [line for line in lines if line[:1].isdigit()]
        self.assertLess(lines.index(path_line), lines.index(job))  # it applies to the job

    def test_the_job_backs_up_into_the_log(self) -> None:
        cron_file = render_role_template("backup.cron.j2", VARIABLES)
        [job] = [line for line in cron_file.splitlines() if line[:1].isdigit()]
        self.assertRegex(
            job,
            r"^17 3 \* \* \* root docker exec superlists python manage.py backup_database "
            r"--keep-days 14 >> /srv/superlists/backup.log 2>&1$",
        )
