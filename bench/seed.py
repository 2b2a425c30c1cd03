"""Seed the benchmark's throwaway database through the ORM; print what was made, as JSON.

Run in a child process with the site's environment (bench.throwaway_site does):
a list of 20 items and one of 200, a list to add items to, a user with 5 lists and one with 50,
and a logged-in session for each user, made by Django's own login().
"""

import json
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:  # the app's models import only once django.setup() has run
    from accounts.models import User


def make_list(owner: "User | None", item_count: int, label: str) -> str:
    from lists.models import Item, List

    new_list = List.objects.create(owner=owner)
    Item.objects.bulk_create(
        Item(list=new_list, text=f"{label} item {number}") for number in range(1, item_count + 1)
    )
    return new_list.get_absolute_url()


def make_user_with_lists(email: str, list_count: int) -> tuple[str, str]:
    """A user owning ``list_count`` lists of 3 items; return their My Lists path and a cookie."""
    from django.urls import reverse

    from accounts.models import User

    user = User.objects.create(email=email)
    for number in range(1, list_count + 1):
        make_list(user, 3, f"{email} list {number}")
    return reverse("my_lists", args=[email]), logged_in_cookie(user)


def logged_in_cookie(user: "User") -> str:
    from django.conf import settings
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = SessionStore()
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    request.session.save()
    return f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}"


def seed() -> dict[str, str]:
    from bench import config

    few_path, few_cookie = make_user_with_lists("few@bench.localhost", config.FEW_LISTS)
    many_path, many_cookie = make_user_with_lists("many@bench.localhost", config.MANY_LISTS)
    return {
        "list_small": make_list(None, config.SMALL_LIST_ITEMS, "small"),
        "list_large": make_list(None, config.LARGE_LIST_ITEMS, "large"),
        "list_for_posts": make_list(None, 1, "posts"),
        "my_lists_few": few_path,
        "my_lists_few_cookie": few_cookie,
        "my_lists_many": many_path,
        "my_lists_many_cookie": many_cookie,
    }


if __name__ == "__main__":
    django.setup()
    print(json.dumps(seed()))
