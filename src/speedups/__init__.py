"""The speed layer: every place Superlists departs from Django's own code.

The same pages, headers and cookies, for fewer instructions per request. All of it is wired into
the settings in one place (``superlists.settings`` calls ``speedups.wiring.speed_up``), and
``SUPERLISTS_SPEEDUPS=0`` turns all of it off, leaving Django's own code (the list
rows' tag reads the same setting, ``settings.SPEEDUPS``, to choose its row maker). Written
against Django 5.2: ``speedups.tests.test_wiring.UpstreamVersionsTest`` fails on any other
minor version, saying what to re-check against the new upstream code.

Each piece: what it replaces (upstream file, version), its parity test, its saving (instructions
per request in a gunicorn worker, counted by ``python -m bench.instructions``; bench/HISTORY.md
has each step's count). The whole layer, on against off (SUPERLISTS_SPEEDUPS=0), 2026-12-07:
home (a new visitor) 2.67 M on, 4.15 M off; a list of 20 items 6.24 M on, 20.9 M off (most of
the difference there is item_row.html, a template rendered 20 times).

``speedups.csrf``
    Replaces ``django/middleware/csrf.py``'s ``get_token`` and ``_get_new_csrf_string`` and
    ``django/template/context_processors.py``'s ``csrf`` (Django 5.2): a new visitor's secret and
    each page's mask from one read of the CSPRNG (Django: 64 ``secrets.choice`` calls), a light
    lazy token. Writes Django's own ``CSRF_COOKIE`` and ``CSRF_COOKIE_NEEDS_UPDATE`` request keys,
    which ``CsrfViewMiddleware`` reads. Parity: ``speedups.tests.test_csrf`` (tokens unmasked by
    Django's own code; the same alphabet and length; the cookie set as Django sets it).
    Saving, this piece alone off against the whole layer on: home 3.25 -> 2.67 M, a list of 20
    items 6.85 -> 6.24 M.
``speedups.remembering``
    Replaces ``{% url %}`` (``django/template/defaulttags.py``), ``{% static %}``
    (``django/templatetags/static.py``) and ``{% extends %}`` (``django/template/loader_tags.py``,
    whose ``ExtendsNode.render`` it copies), Django 5.2: answers that do not change between pages
    kept on the nodes. Parity and threads: ``speedups.tests.test_remembering``.
    Saving, alone off against on: home 3.54 -> 2.67 M, a list of 20 items 7.14 -> 6.24 M.
``speedups.rows``
    Replaces lists/templates/item_row.html (our own template, rendered once a row, by
    ``lists.templatetags.list_rows``): the same bytes as an f-string. Parity:
    ``speedups.tests.test_rows`` (byte for byte, escaping included).
    Saving, alone off against on: a list of 20 items 16.91 -> 6.24 M (home has no rows).

Each piece's saving counted on 2026-12-07 with that piece alone turned off (the others on), by
``python -m bench.instructions --only home --only "list, 20"``.

Taken out, their saving under 3 % of every page: a cached static files storage (the
``{% static %}`` tag above already keeps its URLs) and a message storage making its cookie
signer lazily (2 % of the home page); Django's and whitenoise's own are used. Also taken out: a
CSP middleware that built django-csp's header once rather than twice a response (0.24 M on every
page, 9 % of home), because knowing whether a view was ``csp_exempt`` meant reading django-csp's
private ``_csp_exempt`` marks, which have no public reader; django-csp's own middleware is used.
"""
