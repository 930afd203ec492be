"""The pronunciation coach: Macca asks for a sentence full of a hard sound (the
learner's weakest first), scores what speech recognition heard against it, names
the sounds that went wrong with tips in the learner's language, remembers them
as mistakes, and drills the sound that needs it next."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import providers
from providers.schemas import Transcript
from tests.audio import wav_bytes
from tutor.models import FeedbackIssue, FeedbackKind, Mode, PracticeSession, Role, Turn
from tutor.services.pronunciation import hard_sounds
from tutor.services.pronunciation_data import HARD_SOUNDS

SENTENCES = {entry["sentence"] for entry in HARD_SOUNDS.values()}
TH = HARD_SOUNDS["th_voiceless"]["sentence"]  # a new learner's first sentence
# The θ sentence as an Indonesian learner might say it: /t/ and /s/ for /θ/.
TH_MISSAID = "Tank you for sinking of me on my thirtieth birthday."
# The θ sentence with only "of" wrong: /f/ for /v/.
V_MISSAID = "Thank you for thinking off me on my thirtieth birthday."
POINT_KEYS = {"word", "target_sound", "issue", "tip", "severity"}


# --- Helpers ---------------------------------------------------------------------------


def start(api) -> dict:
    response = api.post("/api/session/start", {"mode": "pronunciation"}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def asked_in(prompt: str) -> str:
    """The sentence inside the last “…” of what Macca said."""
    return re.findall(r"“([^”]+)”", prompt)[-1]


def say(api, session_id: str, text: str) -> dict:
    response = api.post(
        "/api/session/turn", {"user_text": text, "session_id": session_id}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def speak(api, session_id: str) -> dict:
    response = api.post(
        "/api/session/turn/audio",
        {
            "audio": SimpleUploadedFile("reading.wav", wav_bytes(1), content_type="audio/wav"),
            "session_id": session_id,
        },
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    return response.json()


def hear(monkeypatch, text: str) -> None:
    """Speech recognition hears `text`, whatever the recording says."""

    def transcribe(audio, content_type, language="en", *, expected_text=None, **hints):
        return Transcript(text=text)

    monkeypatch.setattr(providers.get_asr(), "transcribe", transcribe)


def drill_sentence(body: dict) -> str:
    drills = body["macca"]["drills"]
    assert len(drills) == 1
    assert drills[0]["type"] == "repeat_sentence"
    return drills[0]["sentence"]


def sound_codes(sentence: str) -> set[str]:
    return {sound.code for sound in hard_sounds(sentence)}


def flag(learner, code: str, times: int) -> None:
    """Pronunciation feedback Macca gave `learner` on `code` in an earlier session."""
    session = PracticeSession.objects.create(learner=learner, mode=Mode.PRONUNCIATION_COACH)
    for position in range(1, times + 1):
        turn = Turn.objects.create(
            session=session, position=position, role=Role.LEARNER, text="earlier reading"
        )
        FeedbackIssue.objects.create(
            learner=learner,
            session=session,
            turn=turn,
            kind=FeedbackKind.PRONUNCIATION,
            code=code,
            detail={"word": "earlier", "target_sound": "/x/"},
        )


@pytest.fixture
def english(alice):
    alice.explanation_language = "en"
    alice.save(update_fields=["explanation_language"])
    return alice


# --- The opening sentence --------------------------------------------------------------


def test_the_coach_opens_by_asking_for_a_practice_sentence_from_the_sound_table(alice_api):
    body = start(alice_api)

    assert body["mode"] == "pronunciation_coach"
    asked = asked_in(body["initial_prompt"])
    assert asked in SENTENCES
    assert f"Please say: “{asked}”" in body["initial_prompt"]
    opening = Turn.objects.get(session_id=body["session_id"], position=1)
    assert opening.structured["drills"] == [
        {
            "type": "repeat_sentence",
            "instruction": f"Please say: “{asked}”",
            "sentence": asked,
            "question": None,
        }
    ]


def test_the_coach_opens_with_the_sound_the_learner_was_flagged_for_most(alice, alice_api):
    flag(alice, "th_voiced", 3)
    flag(alice, "th_voiceless", 1)

    asked = asked_in(start(alice_api)["initial_prompt"])

    assert asked == HARD_SOUNDS["th_voiced"]["sentence"]


def test_the_coach_opens_with_the_sound_of_the_learners_weakest_attempts(
    alice, alice_api, monkeypatch
):
    hear(monkeypatch, "fery")
    recorded = alice_api.post(
        "/api/pronunciation/attempts",
        {"target": "very", "audio": SimpleUploadedFile("r.wav", wav_bytes())},
        format="multipart",
    )
    assert recorded.status_code == 201
    flag(alice, "th_voiced", 3)  # flagged more often, but /v/ scores lower in attempts

    asked = asked_in(start(alice_api)["initial_prompt"])

    assert asked == HARD_SOUNDS["v"]["sentence"]


def test_another_learners_weak_sounds_do_not_choose_my_sentence(alice, bob_api):
    flag(alice, "th_voiced", 3)

    asked = asked_in(start(bob_api)["initial_prompt"])

    assert asked != HARD_SOUNDS["th_voiced"]["sentence"]
    assert asked in SENTENCES


# --- A reading heard right -------------------------------------------------------------


def test_a_spoken_reading_heard_right_scores_100_and_moves_on(alice_api):
    started = start(alice_api)
    asked = asked_in(started["initial_prompt"])

    body = speak(alice_api, started["session_id"])  # the mock hears the asked sentence

    assert body["transcript"] == asked
    assert "100 out of 100" in body["macca_text"]
    assert body["macca"]["feedback"]["pronunciation"] == []
    assert body["macca"]["feedback"]["grammar"] == []
    following = drill_sentence(body)
    assert following in SENTENCES
    assert following != asked
    assert following in body["macca_text"]
    assert not FeedbackIssue.objects.filter(kind=FeedbackKind.PRONUNCIATION).exists()


def test_the_next_reading_is_scored_against_the_new_sentence(alice_api):
    session_id = start(alice_api)["session_id"]
    following = drill_sentence(speak(alice_api, session_id))

    body = speak(alice_api, session_id)

    assert body["transcript"] == following
    assert "100 out of 100" in body["macca_text"]


def test_a_reading_with_words_missing_asks_for_the_same_sentence_again(alice_api):
    started = start(alice_api)
    asked = asked_in(started["initial_prompt"])
    assert asked == TH

    body = say(alice_api, started["session_id"], "Thank you for thinking")

    assert "out of 100" in body["macca_text"]
    assert "100 out of 100" not in body["macca_text"]
    assert "“me”" in body["macca_text"]
    assert drill_sentence(body) == asked


def test_after_nothing_was_heard_the_coach_still_scores_its_sentence(alice_api, monkeypatch):
    started = start(alice_api)
    asked = asked_in(started["initial_prompt"])
    hear(monkeypatch, "")  # silence, or speech recognition failed
    speak(alice_api, started["session_id"])
    monkeypatch.undo()  # the mock hears the sentence it is asked for again

    body = speak(alice_api, started["session_id"])

    assert body["transcript"] == asked
    assert "100 out of 100" in body["macca_text"]
    assert body["macca"]["feedback"]["grammar"] == []


# --- A reading with sounds substituted -------------------------------------------------


def test_substituted_sounds_come_back_as_pronunciation_feedback(alice, alice_api):
    assert alice.explanation_language == "id"
    started = start(alice_api)
    assert asked_in(started["initial_prompt"]) == TH

    body = say(alice_api, started["session_id"], TH_MISSAID)

    points = body["macca"]["feedback"]["pronunciation"]
    for point in points:
        assert set(point) == POINT_KEYS
    assert [(p["word"], p["target_sound"]) for p in points] == [
        ("thank", "/θ/"),
        ("thinking", "/θ/"),
    ]
    thank = points[0]
    assert thank["issue"] == "Kamu mengucapkan /t/ untuk /θ/ pada “thank”."
    assert thank["tip"] == HARD_SOUNDS["th_voiceless"]["tip_id"]
    assert thank["severity"] == "high"
    assert points[1]["issue"] == "Kamu mengucapkan /s/ untuk /θ/ pada “thinking”."
    assert points[1]["severity"] in {"medium", "high"}
    assert body["macca"]["feedback"]["better_sentence"] == TH
    assert body["macca"]["feedback"]["grammar"] == []
    assert "out of 100" in body["macca_text"]
    assert "100 out of 100" not in body["macca_text"]


def test_a_learner_who_reads_explanations_in_english_gets_english_feedback(english, alice_api):
    session_id = start(alice_api)["session_id"]

    points = say(alice_api, session_id, TH_MISSAID)["macca"]["feedback"]["pronunciation"]

    assert points[0]["issue"] == "You said /t/ for /θ/ in “thank”."
    assert points[0]["tip"] == HARD_SOUNDS["th_voiceless"]["tip_en"]


def test_substituted_sounds_are_saved_as_pronunciation_mistakes(alice, alice_api):
    session_id = start(alice_api)["session_id"]

    body = say(alice_api, session_id, TH_MISSAID)

    issues = FeedbackIssue.objects.filter(turn_id=body["turn_id"]).order_by("id")
    assert [(i.kind, i.code) for i in issues] == [
        (FeedbackKind.PRONUNCIATION, "th_voiceless"),
        (FeedbackKind.PRONUNCIATION, "th_voiceless"),
    ]
    for issue in issues:
        assert issue.learner == alice
        assert str(issue.session_id) == session_id
        assert issue.detail["better_sentence"] == TH
        assert issue.detail["target_sound"] == "/θ/"
    assert issues[0].detail["word"] == "thank"
    assert not FeedbackIssue.objects.filter(kind=FeedbackKind.GRAMMAR).exists()


def test_a_spoken_reading_with_substituted_sounds_is_scored_from_what_was_heard(
    alice_api, monkeypatch
):
    session_id = start(alice_api)["session_id"]
    hear(monkeypatch, TH_MISSAID)

    body = speak(alice_api, session_id)

    assert body["transcript"] == TH_MISSAID
    points = body["macca"]["feedback"]["pronunciation"]
    assert [(p["word"], p["target_sound"]) for p in points] == [
        ("thank", "/θ/"),
        ("thinking", "/θ/"),
    ]
    codes = FeedbackIssue.objects.filter(turn_id=body["turn_id"]).values_list("code", flat=True)
    assert list(codes) == ["th_voiceless", "th_voiceless"]


def test_the_next_drill_practises_the_first_problems_sound(alice_api):
    session_id = start(alice_api)["session_id"]

    body = say(alice_api, session_id, V_MISSAID)

    points = body["macca"]["feedback"]["pronunciation"]
    assert [(p["word"], p["target_sound"]) for p in points] == [("of", "/v/")]
    assert drill_sentence(body) == HARD_SOUNDS["v"]["sentence"]
    assert HARD_SOUNDS["v"]["sentence"] in body["macca_text"]


def test_a_sound_missed_in_its_own_sentence_is_still_the_one_drilled_next(alice_api):
    """Missing /θ/ in the /θ/ sentence: "let's practise that sound" must mean /θ/."""
    session_id = start(alice_api)["session_id"]

    body = say(alice_api, session_id, TH_MISSAID)

    following = drill_sentence(body)
    assert "th_voiceless" in sound_codes(following), following
    assert following in body["macca_text"]


def test_grammar_is_never_corrected_in_the_pronunciation_coach(alice_api):
    session_id = start(alice_api)["session_id"]

    body = say(alice_api, session_id, "I go to the office yesterday")

    assert body["macca"]["feedback"]["grammar"] == []
    assert body["feedback"]["grammar_ok"] is True
    assert not FeedbackIssue.objects.filter(kind=FeedbackKind.GRAMMAR).exists()


# --- What is remembered ----------------------------------------------------------------


def test_the_mistakes_list_shows_the_sound_with_the_learners_sentence(alice_api):
    session_id = start(alice_api)["session_id"]
    say(alice_api, session_id, TH_MISSAID)

    response = alice_api.get("/api/user/mistakes")

    assert response.status_code == 200
    mistakes = response.json()
    assert [m["code"] for m in mistakes] == ["th_voiceless"]
    th = mistakes[0]
    assert th["kind"] == "pronunciation"
    assert th["count"] == 2
    assert th["explanation"] == HARD_SOUNDS["th_voiceless"]["tip_id"]
    assert th["examples"] == [
        {"original_text": TH_MISSAID, "better_sentence": TH, "session_id": session_id}
    ]


def test_the_session_summary_names_the_sound_and_suggests_practising_it(alice_api):
    session_id = start(alice_api)["session_id"]
    say(alice_api, session_id, TH_MISSAID)

    response = alice_api.post(f"/api/session/{session_id}/end")

    assert response.status_code == 200
    summary = response.json()["summary"]
    assert summary.startswith("Pronunciation practice: 1 turn")
    assert "the /θ/ sound (2×)" in summary
    assert f"“{TH_MISSAID}” → “{TH}”" in summary
    assert "Next time: practise the /θ/ sound in the pronunciation coach." in summary


def test_a_session_read_perfectly_ends_with_no_mistakes(alice_api):
    session_id = start(alice_api)["session_id"]
    speak(alice_api, session_id)

    summary = alice_api.post(f"/api/session/{session_id}/end").json()["summary"]

    assert "No mistakes found" in summary
    assert "/θ/" not in summary
