"""The pronunciation coach: a sentence full of the learner's weakest sound to
read aloud, and their past attempts. Recording and scoring go through the API
(POST /api/pronunciation/attempts), and Macca's voice reading the sentence or a
word through POST /api/pronunciation/speech, from static/js/pronunciation.js."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tutor.models import PronunciationAttempt, User
from tutor.services.pronunciation import practice_sentence
from tutor.services.pronunciation_data import HARD_SOUNDS
from tutor.services.sound_record import weakest_sounds

HISTORY_SIZE = 10
# Offered to every learner, after their own weakest sounds.
SUGGESTED = ["th_voiceless", "th_voiced", "v", "f", "z", "final_consonant", "final_cluster"]
MAX_SUGGESTIONS = 8


def _sound_label(code: str) -> str:
    if code == "final_consonant":
        return _("Final -t -d -k")
    if code == "final_cluster":
        return _("Endings -st -ks -ed")
    return f"/{HARD_SOUNDS[code]['sound']}/"


def _suggestion(code: str, learner: User, weak: list[str]) -> dict:
    entry = HARD_SOUNDS[code]
    return {
        "code": code,
        "label": _sound_label(code),
        "example": entry["words"][0],
        "sentence": practice_sentence(code),
        "tip": entry["tip_id"] if learner.explanation_language == "id" else entry["tip_en"],
        "weak": code in weak,
    }


def _strings() -> dict:
    """What the page script says, translated here (JavaScript has no gettext)."""
    return {
        "record": _("Record"),
        "stop": _("Stop and send"),
        "recording": _("Recording… read the sentence, then press “Stop and send”."),
        "scoring": _("Listening to your recording…"),
        "done": _("Here is how it went."),
        "emptyTarget": _("Type a word or a sentence to practise first."),
        "tooShort": _("That recording was too short. Press Record and read the whole sentence."),
        "noMic": _(
            "The microphone is not available. Allow microphone access in your browser "
            "settings (or connect a microphone), then try again."
        ),
        "micBusy": _(
            "The microphone is busy: another app or tab is using it. Close it and try again."
        ),
        "insecure": _(
            "The browser allows recording only on a secure (https) connection. "
            "Open Macca over https and try again."
        ),
        "noRecorder": _(
            "This browser cannot record audio. Try a recent version of Chrome, Firefox or Safari."
        ),
        "degraded": _(
            "Speech recognition did not work this time, so this attempt has no score. "
            "Your recording was saved: please try again."
        ),
        "soundToWorkOn": _("a sound to work on"),
        "notSaid": _("not said"),
        "soundFor": _("/{heard}/ for /{target}/ in “{word}”"),
        "soundDropped": _("/{target}/ missing in “{word}”"),
        "noDifferences": _(
            "None of the sounds Macca checks needs work in this reading. Well done!"
        ),
        "youSaid": _("What the recogniser heard:"),
        "nothingHeard": _("(nothing)"),
        "overall": _("Overall"),
        "justNow": _("Just now"),
        "yourRecording": _("Your recording"),
        "notScored": _("Not scored"),
        "tipLabel": _("How to say %(sound)s:"),
        "soundLabels": {code: _sound_label(code) for code in HARD_SOUNDS},
        "playBlocked": _("The browser did not start the sound. Press the button again."),
        "playFailed": _("Macca's voice could not be played. Please try again."),
    }


def marked_words(attempt: PronunciationAttempt) -> list[dict]:
    """Each word of an attempt with what is worth pointing out about it: "missing" (not
    said), "sound" (a sound said differently) or "" (nothing). An attempt that judged
    nothing (degraded, or a message saying why) points nothing out. pronunciation.js
    marks a fresh result the same way."""
    judged = not attempt.degraded and not attempt.message
    words = []
    for word in attempt.words or []:
        mark = ""
        if judged and (word.get("missing") or word.get("heard") is None):
            mark = "missing"
        elif judged and any(not sound.get("ok", True) for sound in word.get("sounds") or []):
            mark = "sound"
        words.append({"word": word.get("word", ""), "mark": mark})
    return words


@login_required
def pronunciation(request: HttpRequest) -> HttpResponse:
    learner = request.user
    weak = [code for code in weakest_sounds(learner) if code in HARD_SOUNDS]
    chosen = request.GET.get("sound", "")
    if chosen not in HARD_SOUNDS:
        chosen = weak[0] if weak else next(iter(HARD_SOUNDS))
    codes = list(dict.fromkeys([*weak, *SUGGESTED]))[:MAX_SUGGESTIONS]
    if chosen not in codes:
        codes.insert(0, chosen)
    attempts = list(
        PronunciationAttempt.objects.filter(learner=learner).order_by("-created_at")[:HISTORY_SIZE]
    )
    for attempt in attempts:
        attempt.marked_words = marked_words(attempt)
    context = {
        "nav": "pronunciation",
        "target": practice_sentence(chosen),
        "chosen": _suggestion(chosen, learner, weak),
        "suggestions": [_suggestion(code, learner, weak) for code in codes],
        "attempts": attempts,
        "strings": _strings(),
    }
    return render(request, "tutor/pronunciation.html", context)
