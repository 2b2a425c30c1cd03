import re
import threading
from concurrent.futures import ThreadPoolExecutor
from unittest.mock import patch

from django.http import HttpRequest
from django.template import Context, Engine, Template, engines
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from speedups import remembering
from speedups.remembering import (
    RememberingExtendsNode,
    RememberingStaticNode,
    RememberingURLNode,
)

LIST_KEY = "abcdefghijklmnopqrstuv"


def render(source: str, request: HttpRequest | None = None, **context: object) -> str:
    """``source`` rendered by the site's template engine (our builtins loaded)."""
    template = engines["django"].from_string(source)
    return template.render(context, request)


class TheSitesTemplatesUseTheseTagsTest(SimpleTestCase):
    def test_url_static_and_extends_are_ours_without_loading_anything(self) -> None:
        template = engines["django"].from_string(
            "{% extends 'base.html' %}{% block header_text %}{% url 'home' %}"
            "{% static 'favicon.svg' %}{% endblock %}"
        )
        (extends,) = template.template.nodelist  # type: ignore[attr-defined]
        self.assertIsInstance(extends, RememberingExtendsNode)
        block = extends.blocks["header_text"]
        self.assertIsInstance(block.nodelist[0], RememberingURLNode)
        self.assertIsInstance(block.nodelist[1], RememberingStaticNode)


class RememberingURLTest(SimpleTestCase):
    def setUp(self) -> None:
        self.request = RequestFactory().get("/")

    def test_the_url_reverse_gives(self) -> None:
        for name in ["home", "new_list", "logout", "send_login_email"]:
            with self.subTest(name=name):
                self.assertEqual(render(f"{{% url '{name}' %}}", self.request), reverse(name))

    def test_worked_out_once(self) -> None:
        template = engines["django"].from_string("{% url 'new_list' %}")
        with patch.object(remembering, "reverse", wraps=reverse) as reverse_calls:
            pages = [template.render({}, RequestFactory().get("/")) for _ in range(3)]
        self.assertEqual(pages, ["/lists/new"] * 3)
        reverse_calls.assert_called_once()

    def test_as_a_variable(self) -> None:
        page = render("{% url 'new_list' as there %}[{{ there }}]", self.request)
        self.assertEqual(page, "[/lists/new]")

    def test_with_arguments_or_a_variable_name_it_is_djangos_tag(self) -> None:
        with patch.object(remembering, "reverse") as remembering_reverse:
            page = render(
                "{% url 'view_list' key %} {% url name %}",
                self.request,
                key=LIST_KEY,
                name="new_list",
            )
        remembering_reverse.assert_not_called()
        self.assertEqual(page, f"{reverse('view_list', args=[LIST_KEY])} /lists/new")

    def test_without_a_request_it_is_djangos_tag(self) -> None:
        with patch.object(remembering, "reverse") as remembering_reverse:
            self.assertEqual(render("{% url 'new_list' %}"), "/lists/new")
        remembering_reverse.assert_not_called()

    def test_a_name_that_does_not_reverse_is_an_error_every_time(self) -> None:
        for _ in range(2):
            with self.assertRaises(NoReverseMatch):
                render("{% url 'no_such_page' %}", self.request)
        page = render("{% url 'no_such_page' as nowhere %}[{{ nowhere }}]", self.request)
        self.assertEqual(page, "[]")

    def test_each_script_prefix_gets_its_own_url(self) -> None:
        self.addCleanup(set_script_prefix, "/")
        template = engines["django"].from_string("{% url 'new_list' %}")
        for script_name, expected in [("/todo", "/todo/lists/new"), ("", "/lists/new")]:
            with self.subTest(script_name=script_name):
                # As Django's handler does: the prefix is the request's SCRIPT_NAME.
                set_script_prefix(script_name or "/")
                request = RequestFactory().get("/", SCRIPT_NAME=script_name)
                self.assertEqual(template.render({}, request), expected)

    def test_a_changed_setting_is_followed(self) -> None:
        template = engines["django"].from_string("{% url 'home' %}")
        self.assertEqual(template.render({}, self.request), "/")
        with override_settings(ROOT_URLCONF="speedups.tests.urls_elsewhere"):
            self.assertEqual(template.render({}, RequestFactory().get("/")), "/elsewhere/")
        self.assertEqual(template.render({}, self.request), "/")

    def test_escaped_as_djangos_tag_escapes(self) -> None:
        with override_settings(ROOT_URLCONF="speedups.tests.urls_elsewhere"):
            self.assertEqual(render("{% url 'odd' %}", self.request), "/a&amp;b/")
            source = "{% autoescape off %}{% url 'odd' %}{% endautoescape %}"
            self.assertEqual(render(source, self.request), "/a&b/")


class RememberingStaticTest(SimpleTestCase):
    def test_the_url_static_gives(self) -> None:
        self.assertEqual(render("{% static 'favicon.svg' %}"), static("favicon.svg"))

    def test_worked_out_once(self) -> None:
        template = engines["django"].from_string("{% static 'favicon.svg' %}")
        with patch.object(
            RememberingStaticNode, "handle_simple", wraps=RememberingStaticNode.handle_simple
        ) as lookups:
            pages = {template.render({}) for _ in range(3)}
        self.assertEqual(pages, {static("favicon.svg")})
        lookups.assert_called_once_with("favicon.svg")

    def test_as_a_variable_and_from_a_variable(self) -> None:
        page = render("{% static path as there %}[{{ there }}]", path="favicon.svg")
        self.assertEqual(page, f"[{static('favicon.svg')}]")

    def test_a_changed_setting_is_followed(self) -> None:
        template = engines["django"].from_string("{% static 'favicon.svg' %}")
        self.assertEqual(template.render({}), "/static/favicon.svg")
        with override_settings(STATIC_URL="https://cdn.example.com/s/"):
            self.assertEqual(template.render({}), "https://cdn.example.com/s/favicon.svg")
        self.assertEqual(template.render({}), "/static/favicon.svg")


class RememberingExtendsTest(SimpleTestCase):
    TEMPLATES = {
        "root.html": "<{% block a %}root a{% endblock %}|{% block b %}root b{% endblock %}>",
        "middle.html": (
            "{% extends 'root.html' %}{% block b %}middle b {{ block.super }}{% endblock %}"
        ),
        "leaf.html": (
            "{% extends 'middle.html' %}{% block a %}leaf a {{ block.super }}{% endblock %}"
        ),
        "other_leaf.html": "{% extends 'root.html' %}{% block a %}other{% endblock %}",
    }

    def engine(self, builtins: list[str]) -> Engine:
        return Engine(
            loaders=[
                ("django.template.loaders.cached.Loader", [
                    ("django.template.loaders.locmem.Loader", self.TEMPLATES),
                ]),
            ],
            builtins=builtins,
        )  # fmt: skip

    def test_renders_as_djangos_extends(self) -> None:
        ours = self.engine(["speedups.remembering"])
        djangos = self.engine([])
        for name in ["leaf.html", "middle.html", "other_leaf.html", "root.html"]:
            with self.subTest(name=name):
                expected = djangos.get_template(name).render(Context())
                for _ in range(2):
                    self.assertEqual(ours.get_template(name).render(Context()), expected)
        self.assertEqual(
            ours.get_template("leaf.html").render(Context()), "<leaf a root a|middle b root b>"
        )

    def test_the_roots_blocks_are_found_once(self) -> None:
        leaf = self.engine(["speedups.remembering"]).get_template("other_leaf.html")
        self.assertEqual(leaf.render(Context()), "<other|root b>")
        extends = leaf.nodelist[0]
        assert isinstance(extends, RememberingExtendsNode)
        root, blocks = extends.root_blocks
        assert isinstance(root, Template) and blocks is not None
        self.assertEqual(set(blocks), {"a", "b"})
        with patch.object(root.nodelist, "get_nodes_by_type") as walk:
            for _ in range(2):
                self.assertEqual(leaf.render(Context()), "<other|root b>")
        walk.assert_not_called()

    def test_the_sites_pages_extend_base_html(self) -> None:
        page = render_to_string("404.html", request=RequestFactory().get("/"))
        self.assertIn('<h1 class="display-1 mb-4">Not found</h1>', page)
        self.assertIn("Enter your email to log in", page)


def without_tokens(page: str) -> str:
    """``page`` without its CSRF tokens, masked afresh on every render."""
    return re.sub(r'name="csrfmiddlewaretoken" value="\w{64}"', "csrf", page)


class ThreadsTest(SimpleTestCase):
    """gthread and ASGI servers render one compiled template in several threads at once: what the
    nodes keep must never give one thread another's answer, nor a half-made one."""

    THREADS = 8
    ROUNDS = 50

    def test_threads_rendering_one_template_each_get_their_own_page(self) -> None:
        self.addCleanup(set_script_prefix, "/")
        # base.html (through {% extends %}), {% url %} and {% static %}, all made fresh here, so
        # the threads race to fill what the nodes keep.
        source = (
            "{% extends 'base.html' %}{% block header_text %}{% url 'new_list' %}|"
            "{% static 'favicon.svg' %}{% endblock %}"
        )
        template = engines["django"].from_string(source)
        script_names = ["/todo", ""]
        expected = {}
        for script_name in script_names:
            set_script_prefix(script_name or "/")
            request = RequestFactory().get("/", SCRIPT_NAME=script_name)
            expected[script_name] = without_tokens(template.render({}, request))
        self.assertIn("/todo/lists/new|", expected["/todo"])
        template = engines["django"].from_string(source)
        barrier = threading.Barrier(self.THREADS)

        def render_many(script_name: str) -> set[str]:
            set_script_prefix(script_name or "/")
            request = RequestFactory().get("/", SCRIPT_NAME=script_name)
            barrier.wait()
            pages = set()
            for _ in range(self.ROUNDS):
                pages.add(without_tokens(template.render({}, request)))
            return {page.replace(expected[script_name], "ok") for page in pages}

        with ThreadPoolExecutor(self.THREADS) as pool:
            results = list(pool.map(render_many, script_names * (self.THREADS // 2)))
        self.assertEqual(results, [{"ok"}] * self.THREADS)
