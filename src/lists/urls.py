from urllib.parse import unquote

from django.urls import include, path, register_converter

from lists import views
from lists.models import KEY_LENGTH


class ListKeyConverter:
    """A list's key, as ``lists.models.new_list_key`` makes them."""

    regex = f"[A-Za-z0-9_-]{{{KEY_LENGTH}}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class IdConverter:
    """A row's id: digits, but never more than fit in a 64-bit integer (longer is a 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class EmailConverter:
    """Any address the login form accepts, in one path segment, as it went in.

    An ordinary address is written as it is, so My Lists keeps the book's URL,
    ``/lists/users/edith@example.com/``. But a local part may hold a ``/`` (``first/last@…``),
    which would split the segment: it is written ``%2F`` (and ``%`` itself ``%25``) before
    ``reverse()`` quotes the URL, which the server decodes once, leaving ``%2F`` for
    ``to_python`` to decode. Dot segments (``/./``) cannot occur either, as browsers would
    resolve them away.
    """

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: str) -> str:
        return value.replace("%", "%25").replace("/", "%2F")


register_converter(ListKeyConverter, "list_key")
register_converter(EmailConverter, "email")
register_converter(IdConverter, "id")

# One list's pages and actions, each under its key: /lists/<key>/…
one_list_patterns = [
    path("", views.view_list, name="view_list"),
    path("share", views.share_list, name="share_list"),
    path("sharees/remove", views.remove_sharee, name="remove_sharee"),
    path("leave", views.leave_list, name="leave_list"),
    path("rename", views.rename_list, name="rename_list"),
    path("delete", views.delete_list, name="delete_list"),
    path("items/<id:item_id>/done", views.mark_item, name="mark_item"),
    path("items/<id:item_id>/edit", views.edit_item, name="edit_item"),
    path("items/<id:item_id>/delete", views.delete_item, name="delete_item"),
]

urlpatterns = [
    path("new", views.new_list, name="new_list"),
    path("<list_key:list_key>/", include(one_list_patterns)),
    path("<id:list_id>/", views.view_list_by_number, name="view_list_by_number"),
    path("users/<email:email>/", views.my_lists, name="my_lists"),
]
