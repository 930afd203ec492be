"""A learner's recurring mistakes (GET /api/user/mistakes): each issue code with
how often and when it was last seen, the learner's own sentences with their
corrected versions, and an explanation in the learner's language.

A selector: two queries whatever the history (one aggregate, one window query
for the latest examples of each code)."""

from __future__ import annotations

from django.db.models import Count, F, Max, Window
from django.db.models.functions import RowNumber

from tutor.models import FeedbackIssue, FeedbackKind, User

from .pronunciation_data import HARD_SOUNDS

MISTAKE_KINDS = (FeedbackKind.GRAMMAR, FeedbackKind.PRONUNCIATION)
EXAMPLES = 3
_CANDIDATES = 30  # latest rows read per code: enough for 3 different sentences


def recurring_mistakes(learner: User, *, limit: int = 10) -> list[dict]:
    """Most frequent first; a tie goes to the code seen most recently."""
    mine = FeedbackIssue.objects.filter(learner=learner, kind__in=MISTAKE_KINDS)
    groups = list(
        mine.values("code")
        .annotate(count=Count("id"), last_seen=Max("created_at"), kind=Max("kind"))
        .order_by("-count", "-last_seen", "code")[:limit]
    )
    if not groups:
        return []
    latest = (
        mine.filter(code__in=[group["code"] for group in groups])
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("code")], order_by=F("created_at").desc())
        )
        .filter(rank__lte=_CANDIDATES)
        .order_by("code", "rank")
        .values("code", "kind", "detail", "session_id", "turn_id", "turn__text")
    )
    by_code: dict[str, list[dict]] = {}
    for row in latest:
        by_code.setdefault(row["code"], []).append(row)
    return [
        {
            "code": group["code"],
            "kind": group["kind"],
            "count": group["count"],
            "last_seen": group["last_seen"],
            "explanation": _explanation(group["code"], by_code.get(group["code"], []), learner),
            "examples": _examples(by_code.get(group["code"], [])),
        }
        for group in groups
    ]


def _examples(rows: list[dict]) -> list[dict]:
    """Up to three different sentences of the learner's, newest first."""
    examples, seen = [], set()
    for row in rows:
        sentence = " ".join((row["turn__text"] or "").split()).casefold()
        if not sentence or sentence in seen:
            continue
        seen.add(sentence)
        detail = row["detail"] or {}
        corrected = detail.get("better_sentence") or next(iter(detail.get("examples") or []), None)
        examples.append(
            {
                "original_text": row["turn__text"],
                "better_sentence": corrected,
                "session_id": row["session_id"],
            }
        )
        if len(examples) == EXAMPLES:
            break
    return examples


def _explanation(code: str, rows: list[dict], learner: User) -> str:
    """The latest explanation Macca gave in the learner's language, else the tip
    for the sound, else the latest explanation in any language."""
    language = learner.explanation_language
    details = [row["detail"] or {} for row in rows]
    for detail in details:
        if detail.get("explanation") and detail.get("explanation_language") == language:
            return detail["explanation"]
    if code in HARD_SOUNDS:
        return HARD_SOUNDS[code][f"tip_{language}"]
    for detail in details:
        if detail.get("explanation") or detail.get("tip"):
            return detail.get("explanation") or detail["tip"]
    return ""
