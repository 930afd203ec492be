"""The pronunciation coach's side of a turn: Macca's feedback comes from the acoustic
judge's verdict on the recording of the sentence the learner was asked to say (typed
answers, and test stand-ins, compare the words instead), and the next sentence drills
the learner's weakest sound. Conversation turns that came with audio get the same
judge, on the words that hold the learner's weak sounds."""

from __future__ import annotations

from dataclasses import dataclass

import providers
from providers.schemas import Drill, Feedback, MaccaJsonResponse, PronunciationPoint
from tutor.models import User

from .pronunciation import Scoring, practice_sentence, score_recording
from .pronunciation_data import HARD_SOUNDS
from .sound_record import weakest_sounds

CONVERSATION_SOUNDS = ["th_voiceless", "th_voiced", "v", "f", "z"]
"""Checked in a spoken conversation turn until the learner has weak sounds of their own."""

ASK = {"id": "Ucapkan kalimat ini: {sentence}", "en": "Say this sentence: {sentence}"}


def read_aloud(sentence: str, language: str) -> Drill:
    """The drill that makes `sentence` the one the next turn is scored against."""
    return Drill(
        type="repeat_sentence",
        instruction=ASK[language].format(sentence=sentence),
        sentence=sentence,
    )


@dataclass
class CoachedReading:
    response: MaccaJsonResponse
    scoring: Scoring
    codes: list[str]  # the table code of each pronunciation point, in order


def next_sentence(learner: User, *, focus: str | None, current: str) -> str:
    """A sentence full of the sound to work on: this turn's first problem (even
    if that means the same sentence again), else the learner's weakest sound,
    else the next sound in the table."""
    if focus in HARD_SOUNDS:
        return practice_sentence(focus)
    for code in [*weakest_sounds(learner), *HARD_SOUNDS]:
        sentence = practice_sentence(code)
        if sentence.strip().lower() != current.strip().lower():
            return sentence
    return current


def opening_sentence(learner: User) -> str:
    return next_sentence(learner, focus=None, current="")


def pronunciation_points(
    scoring: Scoring, language: str, *, limit: int = 5
) -> tuple[list[PronunciationPoint], list[str]]:
    """(feedback points, their table codes) for the flagged sounds, in sentence order."""
    statuses = {word.word: word.status for word in scoring.words}
    points, codes = [], []
    for issue in scoring.issues[:limit]:
        points.append(
            PronunciationPoint(
                word=issue.word,
                target_sound=f"/{issue.target_sound}/",
                issue=issue.message_id if language == "id" else issue.message_en,
                tip=issue.tip_id if language == "id" else issue.tip_en,
                severity="high" if statuses.get(issue.word) == "needs_work" else "medium",
            )
        )
        codes.append(issue.code)
    return points, codes


def coach_reading(
    reply: MaccaJsonResponse, *, learner: User, expected: str, heard: str, samples=None
) -> CoachedReading:
    """Replaces the model's feedback with the judged reading (keeping the words it
    taught), and asks for the next sentence. With `samples` (the recording) the judge
    listens to the sounds; without, what was typed or transcribed is compared."""
    language = learner.explanation_language
    scoring = score_recording(expected, samples, heard)
    points, codes = pronunciation_points(scoring, language)
    unheard = [word.word for word in scoring.words if word.heard is None]
    if scoring.message_en:
        sentence = expected
        said = scoring.message_en
        ask = f"Please say: “{sentence}”"
    elif scoring.issues:
        sentence = next_sentence(learner, focus=scoring.issues[0].code, current=expected)
        said = f"Good effort: {scoring.overall} out of 100. {scoring.issues[0].message_en}"
        ask = f"Let's practise that sound: “{sentence}”"
    elif unheard or scoring.overall < 100:
        sentence = expected
        missing = ", ".join(f"“{word}”" for word in unheard[:3]) or "every word"
        said = f"Nice try: {scoring.overall} out of 100. I didn't hear {missing} clearly."
        ask = f"Please say it again: “{sentence}”"
    else:
        sentence = next_sentence(learner, focus=None, current=expected)
        said = "Excellent! I heard every word clearly: 100 out of 100."
        ask = f"Now try this one: “{sentence}”"
    drill = read_aloud(sentence, language)
    # Reading a given sentence aloud, a "grammar mistake" is a recognition slip.
    # The sentence as it should have sounded, when it didn't.
    target = expected if points or unheard or scoring.overall < 100 else None
    if scoring.message_en:
        target = None
    feedback = Feedback(
        better_sentence=target, vocabulary=reply.feedback.vocabulary, pronunciation=points
    )
    response = reply.model_copy(
        update={
            "reply": f"{said} {ask}",
            "feedback": feedback,
            "drills": [drill],
            "next_prompt": ask,
        }
    )
    return CoachedReading(response=response, scoring=scoring, codes=codes)


def ask_again(reply: MaccaJsonResponse, *, expected: str, language: str) -> MaccaJsonResponse:
    """Nothing was heard: the same sentence stays the one to read (and to score next)."""
    ask = f"Please say: “{expected}”"
    drill = read_aloud(expected, language)
    return reply.model_copy(
        update={"reply": f"{reply.reply} {ask}", "drills": [drill], "next_prompt": ask}
    )


def judge_conversation(
    reply: MaccaJsonResponse, *, learner: User, transcript: str, samples
) -> tuple[MaccaJsonResponse, list[str]]:
    """A spoken conversation turn: the words the recogniser heard are aligned to the audio,
    and those holding the learner's weak sounds are checked. Its flags replace the model's
    pronunciation feedback (the model only saw text, so it could not hear the sounds);
    with nothing flagged, or no judge, the reply stays as it was."""
    if samples is None or not transcript.strip() or not providers.acoustic_judge_enabled():
        return reply, []
    weak = weakest_sounds(learner) or CONVERSATION_SOUNDS
    scoring = score_recording(transcript, samples, None, codes=weak)
    if scoring is None or scoring.method != "acoustic" or scoring.message_en:
        return reply, []
    points, codes = pronunciation_points(scoring, learner.explanation_language, limit=2)
    feedback = reply.feedback.model_copy(update={"pronunciation": points})
    return reply.model_copy(update={"feedback": feedback}), codes
