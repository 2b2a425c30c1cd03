"""Production's static files storage: whitenoise's, with each file's URL worked out once."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Names come from {% static %} tags in our templates, a fixed few; the bound is only a backstop.
MAX_REMEMBERED_URLS = 1000


class RememberingStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names, compressed copies and far-future caching, as whitenoise does, and each
    ``{% static %}`` URL remembered after its first use.

    Working a URL out (the manifest lookup, then parsing, quoting and joining URLs) took ~20 µs a
    tag, with several tags on every page. The answer depends only on the manifest, read once when
    the server starts, and on DEBUG, so it is kept per name. ``collectstatic`` rewrites the
    manifest, so it forgets them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # whitenoise leaves its storage's __init__ and post_process unannotated, and mypy's
        # untyped_calls_exclude does not reach calls through super().
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self._urls: dict[tuple[str, bool, bool], str] = {}

    # The signature of Django's HashedFilesMixin.url, which narrows Storage.url's.
    def url(self, name: str, force: bool = False) -> str:  # type: ignore[override]
        key = (name, force, settings.DEBUG)
        try:
            return self._urls[key]
        except KeyError:
            url = super().url(name, force)
            if len(self._urls) < MAX_REMEMBERED_URLS:
                self._urls[key] = url
            return url

    def post_process(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)  # type: ignore[no-untyped-call]  # see __init__
        self._urls.clear()
