"""The learner's word list (search, add, delete: plain forms that work without
JavaScript) and the flashcard review, whose script uses the FSRS endpoints."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from tutor.api.pagination import WordListPagination
from tutor.forms import CleanCharField
from tutor.models import User, VocabularyItem, VocabularySource
from tutor.services.review import strength
from tutor.services.vocabulary import add_word, get_item_for, word_list
from tutor.views import typed_text

REVIEW_BATCH = 20

SOURCES = {
    VocabularySource.CONVERSATION: gettext_lazy("From a conversation"),
    VocabularySource.LESSON: gettext_lazy("From a lesson"),
    VocabularySource.MANUAL: gettext_lazy("Added by you"),
}


class AddWordForm(forms.Form):
    word = CleanCharField(label=gettext_lazy("Word or phrase"), max_length=100)
    translation = CleanCharField(label=gettext_lazy("Translation"), max_length=200)
    example = CleanCharField(
        label=gettext_lazy("Example sentence (optional)"),
        multiline=True,
        max_length=500,
        required=False,
    )

    def clean_word(self) -> str:
        word = " ".join(self.cleaned_data["word"].split())
        if not any(char.isalpha() for char in word):
            raise forms.ValidationError(_("Type a word or a phrase."))
        return word


def _strength_level(value: float, reviewed: bool) -> tuple[str, str]:
    """(css level, text label): the strength is never shown by colour alone."""
    if not reviewed:
        return "new", _("New: not reviewed yet")
    if value >= 0.85:
        return "strong", _("Strong")
    if value >= 0.6:
        return "medium", _("Getting there")
    return "weak", _("Weak: review it soon")


def _rows(items, now) -> list[dict]:
    rows = []
    for item in items:
        value = strength(item, now)
        level, label = _strength_level(value, item.last_review is not None)
        rows.append(
            {
                "item": item,
                "source": SOURCES.get(item.source, item.source),
                "strength": round(value * 100),
                "strength_level": level,
                "strength_label": label,
                "is_due": item.due <= now,
            }
        )
    return rows


def due_count(learner: User, now) -> int:
    """Words the review page will show now: due again, or never reviewed yet."""
    return VocabularyItem.objects.filter(learner=learner, due__lte=now).aggregate(n=Count("id"))[
        "n"
    ]


def _uuid(value: str | None) -> uuid.UUID:
    """A posted id; a malformed one is as missing as someone else's (404)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("No such word in your list.") from None


def _back(query: str) -> HttpResponse:
    url = reverse("vocabulary")
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@login_required
@require_http_methods(["GET", "POST"])
def vocabulary_list(request: HttpRequest) -> HttpResponse:
    learner = request.user
    query = typed_text(request.GET.get("q") or request.POST.get("q"))[:100]
    form = AddWordForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "delete":
            item = get_item_for(learner, _uuid(request.POST.get("item_id")))
            word = item.word
            item.delete()
            messages.success(request, _("“%(word)s” was removed from your list.") % {"word": word})
            return _back(query)
        form = AddWordForm(request.POST)
        if form.is_valid():
            item, created = add_word(learner=learner, **form.cleaned_data)
            if created:
                messages.success(
                    request, _("“%(word)s” was added to your list.") % {"word": item.word}
                )
            else:
                messages.info(
                    request, _("“%(word)s” is already in your list.") % {"word": item.word}
                )
            return _back(query)

    now = timezone.now()
    items = word_list(learner, query=query)
    paginator = WordListPagination()
    try:  # the API's pages: ?cursor= and ?limit=, the same cursors
        page = paginator.paginate_queryset(items, Request(request))
    except ValidationError:
        messages.info(
            request, _("That link into your list does not work; here are your first words.")
        )
        return _back(query)
    if not page and paginator.cursor is not None:  # its words were deleted since
        return _back(query)
    context = {
        "nav": "vocabulary",
        "rows": _rows(page, now),
        "total": items.count(),
        "more_url": _relative(paginator.get_next_link()),
        "continued": paginator.cursor is not None,
        "query": query,
        "form": form,
        "due": due_count(learner, now),
    }
    return render(request, "tutor/vocabulary.html", context)


def _relative(url: str | None) -> str | None:
    """The paginator's absolute link, as a link within this site."""
    return urlsplit(url)._replace(scheme="", netloc="").geturl() if url else None


def _review_strings() -> dict:
    return {
        "loading": _("Loading your words…"),
        "left": _("%(count)s left in this round"),
        "saved": _("Saved."),
        "retry": _("Try again"),
        "again": _("Again"),
        "hard": _("Hard"),
        "good": _("Good"),
        "easy": _("Easy"),
        "noExample": _("No example sentence yet."),
        "noTranslation": _("No translation yet."),
    }


@login_required
def review(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "nav": "vocabulary",
        "due": due_count(request.user, now),
        "batch": REVIEW_BATCH,
        "strings": _review_strings(),
    }
    return render(request, "tutor/review.html", context)
