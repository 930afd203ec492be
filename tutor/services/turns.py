"""One practice turn, end to end: what the learner said (text, or audio through
speech recognition), Macca's structured reply, everything it teaches saved, and
the reply spoken. Network calls never run inside the database transaction, and a
failing provider never loses the learner's words: a fallback answers instead."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

import providers
from providers.coach import coach_reply
from providers.schemas import (
    HistoryTurn,
    LearnerProfile,
    MaccaJsonResponse,
    PracticeContext,
    TutorReply,
)
from tutor.models import (
    FeedbackIssue,
    FeedbackKind,
    Lesson,
    LessonStep,
    Mode,
    PracticeSession,
    Role,
    SpeechClip,
    Turn,
    User,
    VocabularyItem,
    VocabularySource,
    recording_path,
)

from .activity import record_turns
from .audio import AudioUpload
from .progress import common_issues
from .pronunciation import code_for_sound
from .pronunciation_coach import ask_again, coach_reading, judge_conversation
from .sessions import SessionError, session_summary
from .speech import speak

logger = logging.getLogger(__name__)

HISTORY_TURNS = 8  # what the LLM sees of the session: bounded, whatever its length
MAX_TEXT_LENGTH = 2000


@dataclass
class TurnResult:
    session: PracticeSession
    learner_turn: Turn
    tutor_turn: Turn
    transcript: str | None
    reply: MaccaJsonResponse
    speech: SpeechClip | None
    degraded: bool
    step_complete: bool | None
    lesson_step: int | None
    total_steps: int | None


def learner_profile(learner: User) -> LearnerProfile:
    return LearnerProfile(
        name=learner.name,
        level=learner.level,
        goal=learner.goal,
        explanation_language=learner.explanation_language,
        common_issues=common_issues(learner),
    )


def recent_history(session: PracticeSession) -> list[HistoryTurn]:
    turns = session.turns.exclude(text="").order_by("-position").values_list("role", "text")
    return [HistoryTurn(role=role, text=text) for role, text in reversed(turns[:HISTORY_TURNS])]


def expected_sentence(session: PracticeSession) -> str | None:
    """Pronunciation coach: the sentence Macca last asked the learner to say."""
    last = (
        session.turns.filter(role=Role.TUTOR, structured__isnull=False)
        .order_by("-position")
        .values_list("structured", flat=True)
        .first()
    )
    for drill in (last or {}).get("drills") or []:
        if drill.get("type") == "repeat_sentence" and drill.get("sentence"):
            return drill["sentence"]
    return None


def practice_context(
    session: PracticeSession, steps: list[LessonStep], expected: str | None
) -> PracticeContext:
    context = PracticeContext(
        mode=session.mode, topic=session.topic or None, expected_text=expected
    )
    lesson = session.lesson
    if lesson is not None and steps:
        step = steps[min(session.current_step or 1, len(steps)) - 1]
        context = context.model_copy(
            update={
                "lesson_title": lesson.title,
                "lesson_objective": lesson.objective,
                "step_number": step.position,
                "total_steps": len(steps),
                "step_title": step.title,
                "step_instruction": step.instruction,
                "step_example_answer": step.example_answer or None,
                "target_grammar": lesson.target_grammar,
                "target_vocabulary": lesson.vocabulary_words,
                "target_phrases": step.target_phrases,
            }
        )
    return context


def listening_hint(learner: User, context: PracticeContext) -> str:
    """Words Macca expects to hear, for the recogniser's prompt: the learner's name and
    the lesson step's phrases and words (Whisper spells names and lesson words right
    when they are in its prompt)."""
    words = [learner.name, *context.target_phrases, *context.target_vocabulary]
    return ", ".join(dict.fromkeys(word.strip() for word in words if word and word.strip()))


def _code(value: str, fallback: str) -> str:
    return slugify(value).replace("-", "_")[:64] or fallback


def _sound_code(target_sound: str) -> str:
    """A sound the model named: the table's code ("/θ/" → th_voiceless), else a
    slug of it ("final /s/" → sound_final_s); "pronunciation" when unnamed."""
    known = code_for_sound(target_sound)
    if known:
        return known
    code = _code(target_sound, "")
    return f"sound_{code}"[:64] if code else "pronunciation"


def feedback_rows(
    reply: MaccaJsonResponse,
    *,
    learner: User,
    session: PracticeSession,
    turn: Turn,
    sound_codes: list[str] | None = None,
) -> list[FeedbackIssue]:
    """One FeedbackIssue per grammar, vocabulary and pronunciation item;
    `sound_codes` names the pronunciation points when the coach scored them."""
    feedback = reply.feedback
    sound_codes = sound_codes or []
    sounds = [
        sound_codes[i] if i < len(sound_codes) else _sound_code(p.target_sound)
        for i, p in enumerate(feedback.pronunciation)
    ]
    items = [
        *((FeedbackKind.GRAMMAR, _code(p.issue, "grammar"), p) for p in feedback.grammar),
        *((FeedbackKind.VOCABULARY, "vocabulary", p) for p in feedback.vocabulary),
        *(
            (FeedbackKind.PRONUNCIATION, code, p)
            for code, p in zip(sounds, feedback.pronunciation, strict=True)
        ),
    ]
    # The corrected sentence goes with each grammar and pronunciation point: it
    # is what the mistakes page shows beside the learner's own sentence.
    better = {"better_sentence": feedback.better_sentence} if feedback.better_sentence else {}
    return [
        FeedbackIssue(
            learner=learner,
            session=session,
            turn=turn,
            kind=kind,
            code=code,
            detail=point.model_dump(mode="json")
            | (better if kind != FeedbackKind.VOCABULARY else {}),
        )
        for kind, code, point in items
    ]


def save_taught_words(learner: User, reply: MaccaJsonResponse, lesson: Lesson | None) -> None:
    """Words from the vocabulary feedback join the learner's list, once per word;
    a lesson's own words keep the lesson's translation and say they came from it."""
    lesson_words = {
        item["word"].lower(): item["translation"]
        for item in (lesson.target_vocabulary if lesson else [])
    }
    items = []
    for point in reply.feedback.vocabulary:
        word = point.word.strip()
        if not word:
            continue
        from_lesson = word.lower() in lesson_words
        items.append(
            VocabularyItem(
                learner=learner,
                word=word[:100],
                translation=(point.translation or lesson_words.get(word.lower(), ""))[:200],
                example=point.example,
                source=VocabularySource.LESSON if from_lesson else VocabularySource.CONVERSATION,
            )
        )
    if items:
        # The case-insensitive unique constraint drops words already in the list.
        VocabularyItem.objects.bulk_create(items, ignore_conflicts=True)


def _store_recording(session: PracticeSession, audio: AudioUpload) -> str:
    name = recording_path(Turn(session=session), f"recording{audio.extension}")
    return default_storage.save(name, ContentFile(audio.data))


def run_turn(
    *,
    learner: User,
    session: PracticeSession,
    text: str | None = None,
    audio: AudioUpload | None = None,
) -> TurnResult:
    """Runs one turn in `session` from `text` or from `audio`."""
    steps = list(session.lesson.steps.order_by("position")) if session.lesson_id else []
    expected = expected_sentence(session) if session.mode == Mode.PRONUNCIATION_COACH else None
    context = practice_context(session, steps, expected)
    judged_step = context.step_number

    transcript: str | None = None
    degraded = False
    recording = ""
    if audio is not None:
        heard = providers.get_asr().transcribe(
            audio.data,
            audio.content_type,
            "en",
            expected_text=expected,
            prompt=listening_hint(learner, context),
            samples=audio.samples,
        )
        transcript = text = heard.text
        # Nothing recognised in a recording is answered by the fallback ("say it
        # again"), not by the model: degraded, whether the recogniser failed or the
        # learner was silent.
        degraded = heard.degraded or not heard.text.strip()
    text = (text or "").strip()

    profile, history = learner_profile(learner), recent_history(session)
    if text:
        tutor = providers.get_llm().generate(profile, context, history, text)
    else:
        # Nothing was heard: ask again, and never let a model invent feedback on silence.
        tutor = TutorReply(response=coach_reply(profile, context, history, ""))
    reply = tutor.response
    degraded = degraded or tutor.degraded
    sound_codes: list[str] = []
    samples = audio.samples if audio is not None else None
    # The acoustic judge needs only the sentence and the recording, not a transcript.
    judge_hears = samples is not None and providers.acoustic_judge_enabled()
    if expected and (text or judge_hears):
        coached = coach_reading(
            reply, learner=learner, expected=expected, heard=text, samples=samples
        )
        reply, sound_codes = coached.response, coached.codes
    elif samples is not None and text:
        reply, sound_codes = judge_conversation(
            reply, learner=learner, transcript=text, samples=samples
        )
    elif expected:
        reply = ask_again(reply, expected=expected, language=learner.explanation_language)
    step_complete = reply.step_complete if session.mode == Mode.GUIDED_LESSON else None
    # Spoken before the rows are written, so the tutor's turn is stored with its speech
    # (purge_media leaves a clip alone until it is older than its cutoff).
    clip, tts_degraded = speak(reply.reply, owner=learner)  # their words, corrected
    degraded = degraded or tts_degraded

    try:
        # Stored last, right before the rows that point at it: nothing before this
        # line can leave an orphan file, and the except below removes it on a failure.
        if audio is not None:
            recording = _store_recording(session, audio)
        with transaction.atomic():
            locked = PracticeSession.objects.select_for_update().get(pk=session.pk)
            locked.lesson = session.lesson
            if not locked.is_open:
                raise SessionError(_("This session has ended; start a new one."))
            last = locked.turns.aggregate(last=Max("position"))["last"] or 0
            learner_turn, tutor_turn = Turn.objects.bulk_create(
                [
                    Turn(
                        session=locked,
                        position=last + 1,
                        role=Role.LEARNER,
                        text=text,
                        transcript=transcript or "",
                        audio=recording,
                    ),
                    Turn(
                        session=locked,
                        position=last + 2,
                        role=Role.TUTOR,
                        text=reply.reply,
                        structured=reply.model_dump(mode="json"),
                        speech=clip,
                        degraded=degraded,
                    ),
                ]
            )
            issues = FeedbackIssue.objects.bulk_create(
                feedback_rows(
                    reply,
                    learner=learner,
                    session=locked,
                    turn=learner_turn,
                    sound_codes=sound_codes,
                )
            )
            record_turns(session=locked, turns=[learner_turn, tutor_turn], issues=issues)
            save_taught_words(learner, reply, session.lesson)
            if step_complete and steps and locked.current_step == judged_step:
                _advance(locked, len(steps))
    except BaseException:
        if recording:
            default_storage.delete(recording)
        raise

    if degraded:
        logger.info("turn %s in session %s answered in degraded mode", tutor_turn.pk, locked.pk)
    return TurnResult(
        session=locked,
        learner_turn=learner_turn,
        tutor_turn=tutor_turn,
        transcript=transcript,
        reply=reply,
        speech=clip,
        degraded=degraded,
        step_complete=step_complete,
        lesson_step=locked.current_step,
        total_steps=len(steps) or None,
    )


def _advance(session: PracticeSession, total_steps: int) -> None:
    """The next step, or, after the last one, the lesson completed and the session ended."""
    if session.current_step < total_steps:
        session.current_step += 1
        session.save(update_fields=["current_step"])
        return
    now = timezone.now()
    session.lesson_completed_at = now
    session.ended_at = max(now, session.started_at)
    session.save(update_fields=["lesson_completed_at", "ended_at"])
    session.summary = session_summary(session)
    session.save(update_fields=["summary"])


def next_step_name(result: TurnResult) -> str | None:
    """Guided lessons: the step to practise next ("step_3"); None when finished or not guided."""
    if result.session.mode != Mode.GUIDED_LESSON or result.session.lesson_completed_at:
        return None
    return f"step_{result.session.current_step}"


ENCOURAGEMENTS = {
    True: ("Bagus sekali! Kalimatmu sudah benar.", "Mantap! Terus berlatih, ya."),
    False: (
        "Tidak apa-apa salah: itu bagian dari belajar!",
        "Hampir benar! Coba ulangi kalimat yang lebih baik.",
    ),
}


def feedback_summary(result: TurnResult) -> dict:
    """The first backend's short feedback, kept for its clients."""
    reply = result.reply
    grammar_ok = not reply.feedback.grammar
    if reply.feedback.grammar:
        tip = reply.feedback.grammar[0].explanation
    elif reply.feedback.pronunciation:
        tip = reply.feedback.pronunciation[0].tip
    else:
        tip = "Kalimatmu sudah benar. Coba pakai kata baru di kalimat berikutnya!"
    summary = {
        "grammar_ok": grammar_ok,
        "tip_id": tip,
        "encouragement_id": ENCOURAGEMENTS[grammar_ok][len(result.learner_turn.text) % 2],
    }
    if result.step_complete is not None:
        summary["step_complete"] = result.step_complete
    return summary
