from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lists.forms import ExistingListItemForm, NewListForm
from lists.models import List

User = get_user_model()


def home_page(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"form": NewListForm()})


@require_POST
def new_list(request: HttpRequest) -> HttpResponse:
    form = NewListForm(data=request.POST)
    if not form.is_valid():
        return render(request, "home.html", {"form": form})
    return redirect(form.save(owner=request.user))


def view_list(request: HttpRequest, list_id: int) -> HttpResponse:
    our_list = get_object_or_404(List.objects.select_related("owner"), id=list_id)
    form = ExistingListItemForm(for_list=our_list)
    if request.method == "POST":
        form = ExistingListItemForm(for_list=our_list, data=request.POST)
        if form.is_valid() and form.save():
            return redirect(our_list)
    # Only the texts: building an Item object per row was a large part of the page's cost.
    item_texts = our_list.item_set.values_list("text", flat=True)
    return render(request, "list.html", {"list": our_list, "item_texts": item_texts, "form": form})


def my_lists(request: HttpRequest, email: str) -> HttpResponse:
    # Looking at your own lists is the usual case: you are already loaded, no query needed.
    if getattr(request.user, "email", None) == email:
        owner = request.user
    else:
        owner = get_object_or_404(User, email=email)
    lists = List.objects.filter(owner=owner).with_names().order_by("id")
    return render(request, "my_lists.html", {"owner": owner, "lists": lists})
