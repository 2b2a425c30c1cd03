"""The speed layer: every place Superlists departs from Django's and django-csp's own code.

The same pages, headers and cookies, for fewer instructions per request. All of it is wired into
the settings in one place (``superlists.settings`` calls ``speedups.wiring.speed_up``), and
``SUPERLISTS_SPEEDUPS=0`` turns all of it off, leaving Django's and django-csp's code (the list
rows' tag reads the same setting, ``settings.SPEEDUPS``, to choose its row maker). Written
against Django 5.2 and django-csp 4.0: ``speedups.tests.test_wiring.UpstreamVersionsTest``
fails on any other minor version, saying what to re-check against the new upstream code.

Each piece: what it replaces (upstream file, version), its parity test, its saving (instructions
per request in a gunicorn worker, counted by ``python -m bench.instructions``; bench/HISTORY.md
has each step's count). The whole layer, on against off (SUPERLISTS_SPEEDUPS=0), 2026-12-07:
home (a new visitor) 2.43 M on, 4.14 M off; a list of 20 items 6.00 M on, 20.8 M off (most of
the difference there is item_row.html, a template rendered 20 times).

``speedups.csrf``
    Replaces ``django/middleware/csrf.py``'s ``get_token`` and ``_get_new_csrf_string`` and
    ``django/template/context_processors.py``'s ``csrf`` (Django 5.2): a new visitor's secret and
    each page's mask from one read of the CSPRNG (Django: 64 ``secrets.choice`` calls), a light
    lazy token. Writes Django's own ``CSRF_COOKIE`` and ``CSRF_COOKIE_NEEDS_UPDATE`` request keys,
    which ``CsrfViewMiddleware`` reads. Parity: ``speedups.tests.test_csrf`` (tokens unmasked by
    Django's own code; the same alphabet and length; the cookie set as Django sets it).
    Saving: 0.36 M on a new visitor's page, and 0.16 M more for the lazy token (home: 2.4 M).
``speedups.remembering``
    Replaces ``{% url %}`` (``django/template/defaulttags.py``), ``{% static %}``
    (``django/templatetags/static.py``) and ``{% extends %}`` (``django/template/loader_tags.py``,
    whose ``ExtendsNode.render`` it copies), Django 5.2: answers that do not change between pages
    kept on the nodes. Parity and threads: ``speedups.tests.test_remembering``.
    Saving: ~0.34 M on home for its URL and static tags, 0.16 M for ``{% extends %}``.
``speedups.csp``
    Replaces ``csp/middleware.py``'s ``CSPMiddleware.process_response`` (django-csp 4.0): the
    settings' policy built once, by django-csp's ``build_policy``, not twice a response.
    Parity: ``speedups.tests.test_csp``. Saving: 0.22 M on every response (the
    floor's middleware: 1.58 M with it, 1.80 M with django-csp's).
``speedups.rows``
    Replaces lists/templates/item_row.html (our own template, rendered once a row, by
    ``lists.templatetags.list_rows``): the same bytes as an f-string. Parity:
    ``speedups.tests.test_rows`` (byte for byte, escaping included).
    Saving: most of a long list's page (list of 200 items: 24.0 -> 14.0 M with the f-string
    rows and entries of My Lists, when first made).

Taken out, their saving under 3 % of every page: a cached static files storage (the
``{% static %}`` tag above already keeps its URLs) and a message storage making its cookie
signer lazily (2 % of the home page); Django's and whitenoise's own are used.
"""
