"""What holds on every page and every form of the site, whichever app serves it.

- ``bad_requests``: a form Django cannot read is our 400 page, never a 500;
- ``caching``: no cache keeps a page shown to a logged-in user;
- ``plain_text``: typed text without the invisible characters that can disguise it;
- ``site_url``: emailed links built on ``SITE_URL``, never on the request's ``Host``.

Used by ``lists`` and ``accounts`` alike (and by the settings and URLs), so it belongs to
neither; not an app: it has no models, templates or migrations.
"""
