"""How each hard sound goes for a learner: from their pronunciation attempts
(which sounds they produced) and from the pronunciation feedback in their
sessions. It picks what to practise next and scores `analyze` honestly: a
sound the learner never tried has no score."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from django.db.models import Count

from tutor.models import FeedbackIssue, FeedbackKind, PronunciationAttempt, User

from .pronunciation import Scoring, hard_sounds
from .pronunciation_data import HARD_SOUNDS

RECENT_ATTEMPTS = 100  # what a learner's sound averages are computed from


def _missed(scoring: Scoring, index: int) -> set[str]:
    return {issue.code for issue in scoring.issues if issue.index == index}


def attempt_words(scoring: Scoring) -> list[dict]:
    """The per-word detail stored on an attempt: the word's result, plus which of
    the table's hard sounds it contains and whether each was produced (each
    occurrence of a repeated word on its own)."""
    words = []
    for index, word in enumerate(scoring.words):
        missed = _missed(scoring, index)
        codes = dict.fromkeys(sound.code for sound in hard_sounds(word.word))
        if word.method == "acoustic" and not word.missing:
            # Only what the judge listened for counts: a sound it has no calibrated test
            # for (yet) says nothing about the learner.
            codes = {code: None for code in codes if code in word.checked}
        detail = asdict(word)
        # A word that was not heard at all produced none of its sounds.
        detail["checks"] = [
            {"code": code, "ok": word.heard is not None and code not in missed} for code in codes
        ]
        words.append(detail)
    return words


def sound_averages(learner: User) -> dict[str, int]:
    """{code: share of the sound produced right, 0..100} over recent attempts."""
    rows = (
        PronunciationAttempt.objects.filter(learner=learner, degraded=False)
        .order_by("-created_at")
        .values_list("words", flat=True)[:RECENT_ATTEMPTS]
    )
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for words in rows:
        for word in words or []:
            for check in word.get("checks", []):
                total[check["code"]] += 1
                right[check["code"]] += bool(check["ok"])
    return {code: round(100 * right[code] / n) for code, n in total.items()}


def weakest_sounds(learner: User, *, limit: int = 3) -> list[str]:
    """The table's sounds the learner finds hardest: lowest attempt average first,
    then the ones Macca flagged most often in sessions."""
    averages = sound_averages(learner)
    flagged = dict(
        FeedbackIssue.objects.filter(
            learner=learner, kind=FeedbackKind.PRONUNCIATION, code__in=list(HARD_SOUNDS)
        )
        .values_list("code")
        .annotate(n=Count("id"))
        .values_list("code", "n")
    )
    candidates = set(flagged) | {code for code, avg in averages.items() if avg < 100}
    ranked = sorted(candidates, key=lambda c: (averages.get(c, 100), -flagged.get(c, 0), c))
    return ranked[:limit]


def _status(score: int | None) -> str:
    if score is not None and score >= 95:
        return "excellent"
    if score is not None and score >= 80:
        return "good"
    return "needs_work"  # also for a sound never tried: it is one to practise


def analyze_text(learner: User, text: str) -> list[dict]:
    """The hard sounds in `text`, with tips; `score` is the learner's own average
    for the sound from past attempts, or None: never an invented number."""
    averages = sound_averages(learner)
    return [
        {
            "word": sound.word,
            "target_sound": sound.target_sound,
            "status": _status(averages.get(sound.code)),
            "tip_id": sound.tip_id,
            "tip_en": sound.tip_en,
            "score": averages.get(sound.code),
        }
        for sound in hard_sounds(text)
    ]


def analyze_reading(scoring: Scoring) -> list[dict]:
    """The hard sounds in the target, judged from this reading, word by word: a
    missed sound needs work; otherwise the word's own status stands."""
    results = []
    for index, word in enumerate(scoring.words):
        missed = _missed(scoring, index)
        for sound in hard_sounds(word.word):
            if word.heard is None or sound.code in missed:
                status = "needs_work"
            else:
                status = "excellent" if word.status == "excellent" else "good"
            results.append(
                {
                    "word": sound.word,
                    "target_sound": sound.target_sound,
                    "status": status,
                    "tip_id": sound.tip_id,
                    "tip_en": sound.tip_en,
                    "score": word.score,
                }
            )
    return results
