import functools
import logging
import smtplib
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.authentication import existing_account_for
from accounts.forms import MAX_EMAIL_LENGTH
from accounts.throttling import WINDOW_SECONDS, allow_share_email
from lists.forms import (
    TOO_MANY_SHARES_ERROR,
    EditItemForm,
    ExistingListItemForm,
    NewListForm,
    RenameListForm,
    ShareListForm,
)
from lists.models import Item, List
from observability.pseudonyms import pseudonym
from observability.request_ids import with_reference
from sitewide.plain_text import has_hidden_characters, plain
from sitewide.site_url import absolute_url

logger = logging.getLogger(__name__)

SHARE_EMAIL_SUBJECT = "{owner} shared a list with you on Superlists"
SHARED_WITH = "{sharee} can see this list now: we've emailed them a link to it."
SHARE_EMAIL_NOT_SENT = (
    "{sharee} can see this list now, but we couldn't email them about it: "
    "please send them its link yourself."
)
SHAREE_REMOVED = "{sharee} can no longer see this list."
NOT_A_SHAREE = "This list isn't shared with {sharee}."
LEFT_LIST = "You've left {owner}'s list."
LOG_IN_FOR_MY_LISTS = "Log in to see your lists."
ITEM_GONE = "That item has just been deleted (by someone you share the list with?)."
LIST_RENAMED = "Renamed the list."
LIST_DELETED = "Deleted the list {name}."

View = Callable[..., HttpResponse]

# Pages that show a form answer its POST; other methods (PUT, DELETE, OPTIONS…) get 405.
require_page_methods = require_http_methods(["GET", "HEAD", "POST"])


def not_found_page(view: View) -> View:
    """Answer a missing (or hidden) list with the site's own 404 page, also in development.

    A missing list is not an error, so it shouldn't get Django's debug page; production shows
    404.html for any 404 anyway.
    """

    @functools.wraps(view)
    def showing_not_found_page(
        request: HttpRequest, *args: object, **kwargs: object
    ) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return render(request, "404.html", status=404)

    return showing_not_found_page


@require_safe
def home_page(request: HttpRequest) -> HttpResponse:
    """The home page, its new-list box empty.

    No unbound ``NewListForm`` in its context: the template writes the box itself and needs a
    form only for what was typed and its error, and making a form (Django deep-copies its
    fields) was 4 % of the page's work. ``new_list`` passes the form when there is an error.
    """
    return render(request, "home.html", {"form": None})


@require_POST
def new_list(request: HttpRequest) -> HttpResponse:
    form = NewListForm(data=request.POST)
    if not form.is_valid():
        return render(request, "home.html", {"form": form})
    return redirect(form.save(owner=request.user))


def visible_list_or_404(request: HttpRequest, list_key: str) -> List:
    """The list, if the user may see it; otherwise the 404 page, the same as for a list that
    does not exist, so that nobody learns which private lists there are.

    Fetched by its key alone, then checked (``List.is_visible_to``): the visibility rule in
    the query made building it cost a third more, on every list page and added item. A
    logged-in stranger's refusal takes one query more than a missing list's (the sharees):
    the key, 128 random bits, is what keeps a list private, and whoever has it knows the list
    exists.
    """
    our_list = get_object_or_404(List, key=list_key)
    if not our_list.is_visible_to(request.user):
        raise Http404("A list this user may not see")
    return our_list


def owned_list_or_404(request: HttpRequest, list_key: str) -> List:
    return get_object_or_404(List.objects.owned_by(request.user), key=list_key)


@not_found_page
@require_page_methods
def view_list(request: HttpRequest, list_key: str) -> HttpResponse:
    our_list = visible_list_or_404(request, list_key)
    if request.method != "POST":
        return render_list(request, our_list)
    form = ExistingListItemForm(for_list=our_list, data=request.POST)
    if form.is_valid() and form.save():
        return redirect(our_list)
    return render_list(request, our_list, form=form)


def render_list(
    request: HttpRequest,
    our_list: List,
    form: ExistingListItemForm | None = None,
    share_form: ShareListForm | None = None,
    edit_form: EditItemForm | None = None,
    editing: int | None = None,
) -> HttpResponse:
    # Only the columns the rows show: building an Item object per row was a large part of the
    # page's cost. By the list's id, not through our_list.item_set, whose related manager adds
    # a sixth to the query's cost.
    items = list(Item.objects.filter(list_id=our_list.pk).values_list("id", "text", "done"))
    # Its name without a query, in the attribute ListQuerySet.with_names() annotates (the
    # plugin types that attribute only on querysets that annotate it, not on a plain List).
    our_list.first_item_text = items[0][1] if items else ""  # type: ignore[attr-defined]
    sharees = our_list.sharees if our_list.owner_id else []
    is_owner = our_list.owner_id is not None and our_list.owner_id == request.user.pk
    return render(
        request,
        "list.html",
        {
            "list": our_list,
            "items": items,
            "items_left": sum(not done for _, _, done in items),
            "editing": editing,
            "edit_form": edit_form,
            # Only a submitted form: an empty box needs none (see home_page).
            "form": form,
            "sharees": sharees,
            "is_owner": is_owner,
            "is_sharee": not is_owner and request.user.pk in {s.pk for s in sharees},
            "share_form": share_form,
        },
    )


def item_or_none(our_list: List, item_id: int) -> Item | None:
    item = Item.objects.filter(list=our_list, pk=item_id).first()
    if item is not None:
        item.list = our_list
    return item


def item_gone(request: HttpRequest, our_list: List) -> HttpResponse:
    """An item deleted by someone else meanwhile: say so on the list, which is still there."""
    messages.info(request, ITEM_GONE)
    return redirect(our_list)


@not_found_page
@require_POST
def mark_item(request: HttpRequest, list_key: str, item_id: int) -> HttpResponse:
    """Tick an item off (``done=1``) or un-tick it (``done=0``).

    The form says which state it wants, not "toggle": two people pressing at once end with the
    state the last one asked for, never with a double flip back.
    """
    our_list = visible_list_or_404(request, list_key)
    done = request.POST.get("done") == "1"
    if not Item.objects.filter(list=our_list, pk=item_id).update(done=done):
        return item_gone(request, our_list)
    our_list.touch()
    return redirect(our_list)


@not_found_page
@require_page_methods
def edit_item(request: HttpRequest, list_key: str, item_id: int) -> HttpResponse:
    """GET: the list, with the item's row as a form; POST: save it, or show it with the error."""
    our_list = visible_list_or_404(request, list_key)
    item = item_or_none(our_list, item_id)
    if item is None:
        return item_gone(request, our_list)
    if request.method != "POST":
        return render_list(request, our_list, edit_form=EditItemForm(item), editing=item.pk)
    form = EditItemForm(item, data=request.POST)
    if form.is_valid():
        if form.save():
            return redirect(our_list)
        if not form.errors:
            return item_gone(request, our_list)
    return render_list(request, our_list, edit_form=form, editing=item.pk)


@not_found_page
@require_POST
def delete_item(request: HttpRequest, list_key: str, item_id: int) -> HttpResponse:
    """Delete the item; if someone else just did, there is nothing more to do."""
    our_list = visible_list_or_404(request, list_key)
    if Item.objects.filter(list=our_list, pk=item_id).delete()[0]:
        our_list.touch()
    return redirect(our_list)


@not_found_page
@require_page_methods
def rename_list(request: HttpRequest, list_key: str) -> HttpResponse:
    """The owner's form for the list's name (until renamed, its first item)."""
    our_list = owned_list_or_404(request, list_key)
    form = RenameListForm(our_list, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, LIST_RENAMED)
        return redirect(our_list)
    return render(request, "rename_list.html", {"list": our_list, "form": form})


@not_found_page
@require_page_methods
def delete_list(request: HttpRequest, list_key: str) -> HttpResponse:
    """GET: the owner is asked to confirm; POST: the list and its items are deleted."""
    our_list = owned_list_or_404(request, list_key)
    if request.method == "POST":
        name = our_list.name
        our_list.delete()
        messages.success(request, LIST_DELETED.format(name=name))
        return redirect("my_lists", request.user.pk)
    return render(
        request,
        "delete_list.html",
        {"list": our_list, "item_count": our_list.item_set.count()},
    )


@not_found_page
def view_list_by_number(request: HttpRequest, list_id: int) -> HttpResponse:
    """The numbered URLs lists had before their keys: a redirect for whoever may see the list.

    Only GETs: an item POSTed from a page left open since then is not redirected (and lost).
    """
    if request.method != "GET":
        raise Http404("Numbered list URLs are only read")
    visible = List.objects.visible_to(request.user).filter(has_numbered_url=True)
    return redirect(get_object_or_404(visible, id=list_id))


@not_found_page
@require_POST
def share_list(request: HttpRequest, list_key: str) -> HttpResponse:
    """The owner shares the list with an email address; the sharee is told by email.

    If the mail server refuses, the share still stands: the owner is told to pass the link on
    themselves, and the error is logged for the operator. Shares are limited per owner, per
    address and per client (``accounts.throttling.allow_share_email``): over a limit nothing is
    shared or sent, and the form says so (HTTP 429). Of simultaneous shares with one address,
    only the one that made the share sends an email (``ShareListForm.save``).
    """
    our_list = owned_list_or_404(request, list_key)
    form = ShareListForm(for_list=our_list, data=request.POST)
    if form.is_valid() and not allow_share_email(
        request, our_list.owner_id or "", form.cleaned_data["sharee"]
    ):
        form.add_error("sharee", TOO_MANY_SHARES_ERROR)
        response = render_list(request, our_list, share_form=form)
        response.status_code = 429
        response["Retry-After"] = str(WINDOW_SECONDS)
        return response
    if not form.is_valid() or not (sharee := form.save()):
        return render_list(request, our_list, share_form=form)
    if send_share_email(request, our_list, sharee.email):
        messages.success(request, SHARED_WITH.format(sharee=sharee.email))
    else:
        messages.error(request, with_reference(SHARE_EMAIL_NOT_SENT.format(sharee=sharee.email)))
    return redirect(our_list)


def send_share_email(request: HttpRequest, our_list: List, sharee: str) -> bool:
    owner = our_list.owner_id
    link = absolute_url(request, our_list.get_absolute_url())
    try:
        send_mail(
            SHARE_EMAIL_SUBJECT.format(owner=owner),
            f"{owner} has shared a to-do list with you:\n\n{link}\n\n"
            "Log in to Superlists with this address to see it and add to it.",
            settings.DEFAULT_FROM_EMAIL,
            [sharee],
        )
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the sharing email to user %s", pseudonym(sharee))
        return False
    return True


@not_found_page
@require_POST
def remove_sharee(request: HttpRequest, list_key: str) -> HttpResponse:
    """The owner stops sharing the list with an address: the account sharing found for it
    (``existing_account_for``), so ``FRANK@example.com`` removes ``frank@example.com``.

    An address with a control character is nobody's (the forms refuse them), and is not looked
    up: PostgreSQL refuses a NUL in a query's text with an error.
    """
    our_list = owned_list_or_404(request, list_key)
    email = request.POST.get("sharee", "")
    sharee = None if has_hidden_characters(email) else existing_account_for(email)
    if sharee is None or not our_list.shared_with.filter(pk=sharee.pk).exists():
        messages.error(request, NOT_A_SHAREE.format(sharee=plain(email)[:MAX_EMAIL_LENGTH]))
    else:
        our_list.shared_with.remove(sharee)
        messages.success(request, SHAREE_REMOVED.format(sharee=sharee.email))
    return redirect(our_list)


@not_found_page
@require_POST
def leave_list(request: HttpRequest, list_key: str) -> HttpResponse:
    our_list = get_object_or_404(List, key=list_key)
    user = request.user
    if not user.is_authenticated or not our_list.is_shared_with(user):
        raise Http404("Not shared with this user")
    our_list.shared_with.remove(user)
    messages.success(request, LEFT_LIST.format(owner=our_list.owner_id))
    return redirect("my_lists", request.user.pk)


@not_found_page
@require_safe
def my_lists(request: HttpRequest, email: str) -> HttpResponse:
    """A user's own lists and those shared with them; nobody else's business (404)."""
    if not request.user.is_authenticated:
        messages.info(request, LOG_IN_FOR_MY_LISTS)
        return redirect("/")
    if request.user.pk != email:
        raise Http404("Another user's lists")
    owner = request.user
    # Theirs and those shared with them in one query: the page's count stays at three.
    lists = (
        List.objects.owned_by_or_shared_with(owner)
        .with_names()
        .with_item_counts()
        .order_by("-updated_at", "-id")
    )
    return render(
        request,
        "my_lists.html",
        {
            "owner": owner,
            "lists": [each for each in lists if each.owner_id == owner.pk],
            "shared_lists": [each for each in lists if each.owner_id != owner.pk],
        },
    )
