"""Typed turns: Macca's structured reply, everything it teaches saved, guided
lessons stepped through, the session found or started, the reply spoken once
per line, and what the language model is shown kept bounded."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

import providers
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
    VocabularyItem,
    VocabularySource,
)

TURN_FIELDS = {
    "session_id",
    "turn_id",
    "transcript",
    "macca_text",
    "macca_audio_url",
    "feedback",
    "next_step",
    "lesson_step",
    "total_steps",
    "macca",
    "degraded",
}
MACCA_FIELDS = {"version", "reply", "feedback", "drills", "next_prompt", "step_complete"}
SUMMARY_FIELDS = {"grammar_ok", "tip_id", "encouragement_id"}
PAST_TENSE = "I go to the office yesterday"
COMPLETE_GREETING = "Hello, my name is Alice and I am happy to be here today."
ORDER = "Could I have a latte please?"


def send(client, text, **target):
    body = {"user_text": text, **{k: str(v) for k, v in target.items()}}
    return client.post("/api/session/turn", body, format="json")


def start(client, **body):
    response = client.post("/api/session/start", body, format="json")
    assert response.status_code == 201
    return response.json()["session_id"]


def speech_files(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "speech"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- The reply ------------------------------------------------------------------------


def test_a_typed_turn_answers_with_the_turn_response(alice_api):
    session_id = start(alice_api, mode="live")

    response = send(alice_api, "I like coffee.", session_id=session_id)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == TURN_FIELDS
    assert body["session_id"] == session_id
    assert body["transcript"] is None  # typed, not heard
    assert body["macca_text"]
    assert body["macca_text"] == body["macca"]["reply"]
    assert body["macca_audio_url"].startswith("http://testserver/media/speech/")
    assert set(body["macca"]) == MACCA_FIELDS
    assert body["macca"]["version"] == "1.0"
    assert set(body["macca"]["feedback"]) == {
        "better_sentence",
        "grammar",
        "vocabulary",
        "pronunciation",
    }
    assert set(body["feedback"]) == SUMMARY_FIELDS  # step_complete only in guided lessons
    assert (body["next_step"], body["lesson_step"], body["total_steps"]) == (None, None, None)
    assert body["degraded"] is False
    learner_turn = Turn.objects.get(pk=body["turn_id"])
    assert (learner_turn.role, learner_turn.text) == (Role.LEARNER, "I like coffee.")


def test_a_correct_sentence_gets_grammar_ok(alice_api):
    body = send(alice_api, "I went to the office yesterday.", mode="live").json()

    assert body["feedback"]["grammar_ok"] is True
    assert body["feedback"]["tip_id"]
    assert body["feedback"]["encouragement_id"]
    assert body["macca"]["feedback"]["grammar"] == []
    assert body["macca"]["feedback"]["better_sentence"] is None


def test_a_past_tense_mistake_is_corrected_and_recorded(alice, alice_api):
    body = send(alice_api, PAST_TENSE, mode="live").json()

    assert body["feedback"]["grammar_ok"] is False
    assert "went" in body["feedback"]["tip_id"]
    assert body["macca"]["feedback"]["better_sentence"] == "I went to the office yesterday"
    assert [g["issue"] for g in body["macca"]["feedback"]["grammar"]] == ["past_tense"]
    issues = FeedbackIssue.objects.filter(turn_id=body["turn_id"])
    assert {(i.kind, i.code) for i in issues} == {
        (FeedbackKind.GRAMMAR, "past_tense"),
        (FeedbackKind.VOCABULARY, "vocabulary"),
    }
    assert all(i.learner == alice for i in issues)
    assert str(issues[0].session_id) == body["session_id"]
    word = issues.get(kind=FeedbackKind.VOCABULARY).detail["word"]
    assert word == "office"


def test_words_macca_teaches_join_the_learners_list_once(alice, alice_api):
    send(alice_api, PAST_TENSE, mode="live")
    send(alice_api, "My office is near the station.", mode="live")

    items = VocabularyItem.objects.filter(learner=alice, word__iexact="office")
    assert items.count() == 1
    item = items.get()
    assert item.source == VocabularySource.CONVERSATION
    assert item.translation  # from the tutor's feedback
    assert (
        FeedbackIssue.objects.filter(kind=FeedbackKind.VOCABULARY, detail__word="office").count()
        == 2
    )


def test_turn_positions_are_gapless(alice_api):
    session_id = start(alice_api, mode="live")

    first = send(alice_api, PAST_TENSE, session_id=session_id).json()
    second = send(alice_api, "I like coffee.", session_id=session_id).json()

    turns = list(Turn.objects.filter(session_id=session_id).order_by("position"))
    assert [(t.position, t.role) for t in turns] == [
        (1, Role.TUTOR),
        (2, Role.LEARNER),
        (3, Role.TUTOR),
        (4, Role.LEARNER),
        (5, Role.TUTOR),
    ]
    assert str(turns[1].pk) == first["turn_id"]
    assert str(turns[3].pk) == second["turn_id"]
    assert turns[2].text == first["macca_text"]
    assert turns[4].text == second["macca_text"]
    assert turns[4].structured == second["macca"]


# --- Which session a turn goes to -------------------------------------------------------


def test_without_a_session_id_a_turn_goes_to_the_latest_open_session_of_the_mode(alice_api):
    older = start(alice_api, mode="live")
    newer = start(alice_api, mode="live")
    ended = start(alice_api, mode="live")
    alice_api.post(f"/api/session/{ended}/end")
    start(alice_api, mode="pronunciation")

    body = send(alice_api, "I like coffee.", mode="live").json()

    assert body["session_id"] == newer
    assert Turn.objects.filter(session_id=older).count() == 1
    assert PracticeSession.objects.count() == 4


def test_without_mode_or_session_id_a_turn_goes_to_a_conversation(alice_api):
    session_id = start(alice_api, mode="live")

    body = send(alice_api, "I like coffee.").json()

    assert body["session_id"] == session_id


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("live", Mode.LIVE_CONVERSATION),
        ("live_conversation", Mode.LIVE_CONVERSATION),
        ("guided", Mode.GUIDED_LESSON),
        ("pronunciation", Mode.PRONUNCIATION_COACH),
        ("pronunciation_coach", Mode.PRONUNCIATION_COACH),
    ],
)
def test_without_an_open_session_a_turn_starts_one(alice, alice_api, lesson, mode, expected):
    response = send(alice_api, "Hello, I am happy to practise with you.", mode=mode)

    assert response.status_code == 200
    session = PracticeSession.objects.get(pk=response.json()["session_id"])
    assert session.learner == alice
    assert session.mode == expected
    turns = list(session.turns.order_by("position"))
    assert [(t.position, t.role) for t in turns] == [
        (1, Role.TUTOR),  # the opening line
        (2, Role.LEARNER),
        (3, Role.TUTOR),
    ]
    if expected == Mode.GUIDED_LESSON:
        assert session.lesson == lesson
        assert response.json()["total_steps"] == 2


def test_a_guided_turn_without_a_session_picks_a_published_lesson(alice_api, lesson):
    hidden = Lesson.objects.create(slug="hidden", title="Hidden", objective="Draft.", level="A2")
    LessonStep.objects.create(lesson=hidden, position=1, title="One", instruction="Say one.")

    body = send(alice_api, "Hello!", mode="guided").json()

    assert PracticeSession.objects.get(pk=body["session_id"]).lesson == lesson


def test_a_guided_turn_without_a_session_picks_a_lesson_not_yet_completed(alice_api, lesson):
    second = Lesson.objects.create(
        slug="small-talk", title="Small talk", objective="Chat.", level="A2", is_published=True
    )
    LessonStep.objects.create(lesson=second, position=1, title="Chat", instruction="Say hi.")
    session_id = start(alice_api, mode="guided", lesson_id=lesson.pk)
    send(alice_api, COMPLETE_GREETING, session_id=session_id)
    send(alice_api, ORDER, session_id=session_id)

    body = send(alice_api, "Hello!", mode="guided").json()

    assert body["session_id"] != session_id
    assert PracticeSession.objects.get(pk=body["session_id"]).lesson == second


def test_a_guided_turn_without_any_published_lesson_is_not_found(alice_api):
    response = send(alice_api, "Hello!", mode="guided")

    assert response.status_code == 404
    assert response.json()["detail"]
    assert not PracticeSession.objects.exists()


def test_a_mode_that_contradicts_the_session_is_refused(alice_api):
    session_id = start(alice_api, mode="live")

    response = send(alice_api, "Hello!", session_id=session_id, mode="pronunciation")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert Turn.objects.filter(session_id=session_id).count() == 1


def test_the_sessions_own_mode_in_short_form_is_accepted(alice_api):
    session_id = start(alice_api, mode="live")

    response = send(alice_api, "Hello!", session_id=session_id, mode="live")

    assert response.status_code == 200
    assert response.json()["session_id"] == session_id


def test_it_hides_other_learners_sessions(alice_api, bob_api):
    session_id = start(alice_api, mode="live")

    response = send(bob_api, "Hello!", session_id=session_id)

    assert response.status_code == 404
    assert Turn.objects.filter(role=Role.LEARNER).count() == 0
    assert Turn.objects.count() == 1
    assert PracticeSession.objects.count() == 1


def test_an_unknown_session_is_not_found(alice_api):
    response = send(alice_api, "Hello!", session_id=uuid.uuid4())

    assert response.status_code == 404
    assert not Turn.objects.exists()


# --- Bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "user_text"),
        ({"user_text": ""}, "user_text"),
        ({"user_text": "   \n\t "}, "user_text"),
        ({"user_text": "a" * 2001}, "user_text"),
        ({"user_text": "Hello!", "mode": "karaoke"}, "mode"),
        ({"user_text": "Hello!", "session_id": "not-a-uuid"}, "session_id"),
    ],
    ids=["missing", "empty", "blank", "too-long", "invalid-mode", "malformed-session-id"],
)
def test_it_rejects_bad_input_with_a_message(alice_api, body, field):
    response = alice_api.post("/api/session/turn", body, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {field}
    assert errors[field][0]
    assert not PracticeSession.objects.exists()
    assert not Turn.objects.exists()


def test_text_of_exactly_the_limit_is_accepted(alice_api):
    assert send(alice_api, "a" * 2000, mode="live").status_code == 200


def test_turns_need_a_signed_in_learner(db, anon):
    response = send(anon, "Hello!")

    assert response.status_code == 401
    assert not PracticeSession.objects.exists()


# --- Guided lessons -------------------------------------------------------------------


def test_a_complete_answer_moves_the_lesson_to_the_next_step(alice_api, lesson):
    session_id = start(alice_api, mode="guided", lesson_id=lesson.pk)

    body = send(alice_api, COMPLETE_GREETING, session_id=session_id).json()

    assert set(body["feedback"]) == SUMMARY_FIELDS | {"step_complete"}
    assert body["feedback"]["step_complete"] is True
    assert body["macca"]["step_complete"] is True
    assert body["next_step"] == "step_2"
    assert (body["lesson_step"], body["total_steps"]) == (2, 2)
    assert PracticeSession.objects.get(pk=session_id).current_step == 2


def test_an_incomplete_answer_stays_on_the_step(alice_api, lesson):
    session_id = start(alice_api, mode="guided", lesson_id=lesson.pk)

    body = send(alice_api, "Hi", session_id=session_id).json()

    assert body["feedback"]["step_complete"] is False
    assert body["next_step"] == "step_1"
    assert (body["lesson_step"], body["total_steps"]) == (1, 2)
    assert "Say hello." in body["macca_text"]
    assert PracticeSession.objects.get(pk=session_id).current_step == 1


def test_completing_the_last_step_completes_the_lesson_and_ends_the_session(
    alice, alice_api, lesson
):
    session_id = start(alice_api, mode="guided", lesson_id=lesson.pk)
    send(alice_api, COMPLETE_GREETING, session_id=session_id)

    body = send(alice_api, ORDER, session_id=session_id).json()

    assert body["feedback"]["step_complete"] is True
    assert body["next_step"] is None
    assert (body["lesson_step"], body["total_steps"]) == (2, 2)
    session = PracticeSession.objects.get(pk=session_id)
    assert session.lesson_completed_at is not None
    assert session.ended_at is not None
    assert "Ordering coffee" in session.summary
    assert "latte" in session.summary
    word = VocabularyItem.objects.get(learner=alice, word__iexact="latte")
    assert word.translation == "kopi susu"
    assert word.source == VocabularySource.LESSON
    detail = alice_api.get(f"/api/sessions/{session_id}").json()
    assert detail["lesson_completed"] is True
    assert detail["summary"] == session.summary


def test_the_completed_lesson_takes_no_more_turns(alice_api, lesson):
    session_id = start(alice_api, mode="guided", lesson_id=lesson.pk)
    send(alice_api, COMPLETE_GREETING, session_id=session_id)
    send(alice_api, ORDER, session_id=session_id)

    response = send(alice_api, "One more, please.", session_id=session_id)

    assert response.status_code == 400
    assert "ended" in response.json()["detail"]


def test_a_guided_turn_without_a_session_continues_the_open_lesson(alice_api, lesson):
    session_id = start(alice_api, mode="guided", lesson_id=lesson.pk)
    send(alice_api, COMPLETE_GREETING, session_id=session_id)

    body = send(alice_api, ORDER, mode="guided").json()

    assert body["session_id"] == session_id
    assert body["next_step"] is None
    assert PracticeSession.objects.get(pk=session_id).lesson_completed_at is not None


# --- Macca's voice: synthesized once per line -------------------------------------------


@pytest.fixture
def tts_calls(monkeypatch) -> list[str]:
    """The texts the voice provider was asked to speak."""
    tts = providers.get_tts()
    synthesize = tts.synthesize
    calls: list[str] = []

    def counting(text, voice=None, *, slow=False):
        calls.append(text)
        return synthesize(text, voice, slow=slow)

    monkeypatch.setattr(tts, "synthesize", counting)
    return calls


def test_the_same_reply_is_synthesized_once_and_stored_once(alice_api, settings, tts_calls):
    first_session = start(alice_api, mode="live")
    first = send(alice_api, "I like coffee.", session_id=first_session).json()
    alice_api.post(f"/api/session/{first_session}/end")
    calls_before = len(tts_calls)

    second_session = start(alice_api, mode="live")
    second = send(alice_api, "I like coffee.", session_id=second_session).json()

    assert second["macca_text"] == first["macca_text"]
    assert second["macca_audio_url"] == first["macca_audio_url"]
    assert len(tts_calls) == calls_before  # the opening line and the reply: both cache hits
    assert tts_calls.count(first["macca_text"]) == 1
    assert SpeechClip.objects.filter(text=first["macca_text"]).count() == 1
    assert SpeechClip.objects.count() == 2  # the opening line and the reply
    assert len(speech_files(settings)) == 2
    tutor_turns = Turn.objects.filter(role=Role.TUTOR, text=first["macca_text"])
    assert tutor_turns.count() == 2
    assert len({t.speech_id for t in tutor_turns}) == 1


def test_different_replies_get_different_clips(alice_api, settings, tts_calls):
    session_id = start(alice_api, mode="live")
    first = send(alice_api, "I like coffee.", session_id=session_id).json()
    second = send(alice_api, PAST_TENSE, session_id=session_id).json()

    assert first["macca_audio_url"] != second["macca_audio_url"]
    assert len(tts_calls) == 3
    assert SpeechClip.objects.count() == 3
    assert len(speech_files(settings)) == 3


# --- What the language model is shown ---------------------------------------------------


@pytest.fixture
def llm_calls(monkeypatch) -> list[dict]:
    """What the tutor's language model was given on each turn."""
    llm = providers.get_llm()
    generate = llm.generate
    calls: list[dict] = []

    def recording(profile, context, history, learner_text):
        calls.append(
            {"profile": profile, "context": context, "history": history, "text": learner_text}
        )
        return generate(profile, context, history, learner_text)

    monkeypatch.setattr(llm, "generate", recording)
    return calls


def test_the_model_sees_at_most_eight_recent_turns(alice_api, llm_calls):
    session_id = start(alice_api, mode="live")
    texts = [
        PAST_TENSE,
        "I like coffee.",
        "My sister live in Bandung.",
        "We watched a movie.",
        "I go to the market yesterday.",
        "Tomorrow I will cook rice.",
    ]
    for text in texts[:-1]:
        assert send(alice_api, text, session_id=session_id).status_code == 200
    before = [
        (t.role, t.text) for t in Turn.objects.filter(session_id=session_id).order_by("position")
    ]

    send(alice_api, texts[-1], session_id=session_id)

    assert len(before) == 11
    assert len(llm_calls) == len(texts)
    assert len(llm_calls[0]["history"]) == 1  # only Macca's opening line
    last = llm_calls[-1]
    assert [(h.role, h.text) for h in last["history"]] == before[-8:]
    assert last["text"] == texts[-1]
    assert all(len(call["history"]) <= 8 for call in llm_calls)


def test_the_model_knows_the_learners_common_issues(alice_api, llm_calls):
    send(alice_api, PAST_TENSE, mode="live")
    send(alice_api, "I go to the market yesterday.", mode="live")

    send(alice_api, "I like coffee.", mode="live")

    assert llm_calls[0]["profile"].common_issues == []
    profile = llm_calls[-1]["profile"]
    assert profile.common_issues[0] == "past_tense"
    assert "vocabulary" not in profile.common_issues
    assert profile.name == "Alice"


def test_the_model_is_told_the_lesson_step(alice_api, lesson, llm_calls):
    session_id = start(alice_api, mode="guided", lesson_id=lesson.pk)
    send(alice_api, COMPLETE_GREETING, session_id=session_id)

    send(alice_api, ORDER, session_id=session_id)

    first, second = (call["context"] for call in llm_calls)
    assert (first.step_number, first.step_instruction) == (1, "Say hello.")
    assert (second.step_number, second.step_instruction) == (2, "Order a latte.")
    assert second.total_steps == 2
    assert second.target_vocabulary == ["latte"]
