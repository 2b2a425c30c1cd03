from django.urls import path, re_path, register_converter

from lists import views
from lists.models import KEY_LENGTH


class ListKeyConverter:
    """A list's key, as ``lists.models.new_list_key`` makes them."""

    regex = f"[A-Za-z0-9_-]{{{KEY_LENGTH}}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ListKeyConverter, "list_key")

urlpatterns = [
    path("new", views.new_list, name="new_list"),
    path("<list_key:list_key>/", views.view_list, name="view_list"),
    path("<list_key:list_key>/share", views.share_list, name="share_list"),
    path("<list_key:list_key>/sharees/remove", views.remove_sharee, name="remove_sharee"),
    path("<list_key:list_key>/leave", views.leave_list, name="leave_list"),
    # Numbers too long for any id are left to the 404 page, not to the database's overflow.
    re_path(r"^(?P<list_id>[0-9]{1,18})/$", views.view_list_by_number, name="view_list_by_number"),
    path("users/<str:email>/", views.my_lists, name="my_lists"),
]
