"""The learner's recurring mistakes: GET /api/user/mistakes. Each code comes with
how often and when it was last seen, the learner's own sentences beside the
corrected ones, and an explanation in the learner's explanation language."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tutor.models import FeedbackIssue, FeedbackKind, Mode, PracticeSession, Role, Turn, User

pytestmark = pytest.mark.django_db

MISTAKES = "/api/user/mistakes"
MISTAKE_KEYS = {"code", "kind", "count", "last_seen", "explanation", "examples"}
EXAMPLE_KEYS = {"original_text", "better_sentence", "session_id"}

# What the offline coach flags, and how it corrects each sentence.
PAST_TENSE = {
    "I go to the office yesterday.": "I went to the office yesterday.",
    "I eat rice yesterday.": "I ate rice yesterday.",
    "He play football yesterday.": "He played football yesterday.",
    "I go to school yesterday.": "I went to school yesterday.",
    "We watch a movie last night.": "We watched a movie last night.",
}
THIRD_PERSON = ("She work in a bank.", "She works in a bank.")
ARTICLE = ("I am student.", "I am a student.")


@pytest.fixture
def clock(time_machine):
    """A clock that moves only when told, one minute per turn: every turn has
    its own time, so "newest first" is never a tie (and turns are not throttled)."""
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    return time_machine


def say(client, clock, text: str) -> dict:
    """A typed live turn, a minute after the previous one."""
    clock.shift(timedelta(minutes=1))
    response = client.post("/api/session/turn", {"user_text": text, "mode": "live"}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def mistakes(client) -> list[dict]:
    response = client.get(MISTAKES)
    assert response.status_code == 200, response.content
    return response.json()


# --- The list -------------------------------------------------------------------------


def test_it_lists_recurring_mistakes_most_frequent_first(alice_api, clock):
    sentences = list(PAST_TENSE)
    say(alice_api, clock, sentences[0])
    say(alice_api, clock, THIRD_PERSON[0])
    say(alice_api, clock, sentences[1])
    last = say(alice_api, clock, sentences[2])

    listed = mistakes(alice_api)

    assert [(m["code"], m["kind"], m["count"]) for m in listed] == [
        ("past_tense", "grammar", 3),
        ("third_person_s", "grammar", 1),
    ]
    for mistake in listed:
        assert set(mistake) == MISTAKE_KEYS
        assert mistake["examples"]
        for example in mistake["examples"]:
            assert set(example) == EXAMPLE_KEYS
    last_turn = Turn.objects.get(
        session_id=last["session_id"], role=Role.LEARNER, text=sentences[2]
    )
    assert datetime.fromisoformat(listed[0]["last_seen"]) == last_turn.created_at


def test_each_example_is_the_learner_s_own_sentence_beside_the_corrected_one(alice_api, clock):
    session_id = say(alice_api, clock, "I go to the office yesterday.")["session_id"]
    say(alice_api, clock, THIRD_PERSON[0])

    listed = {m["code"]: m for m in mistakes(alice_api)}

    assert listed["past_tense"]["examples"] == [
        {
            "original_text": "I go to the office yesterday.",
            "better_sentence": "I went to the office yesterday.",
            "session_id": session_id,
        }
    ]
    assert listed["third_person_s"]["examples"] == [
        {
            "original_text": THIRD_PERSON[0],
            "better_sentence": THIRD_PERSON[1],
            "session_id": session_id,
        }
    ]


def test_it_shows_at_most_three_examples_newest_first(alice_api, clock):
    for sentence in PAST_TENSE:
        say(alice_api, clock, sentence)

    [past] = mistakes(alice_api)

    assert past["count"] == 5
    newest = list(PAST_TENSE.items())[::-1][:3]
    assert [(e["original_text"], e["better_sentence"]) for e in past["examples"]] == newest


def test_the_examples_are_different_sentences(alice_api, clock):
    """Saying the same wrong sentence again counts again, but shows it once."""
    first, second, third = list(PAST_TENSE)[:3]
    for sentence in (first, second, third, third, third):
        say(alice_api, clock, sentence)

    [past] = mistakes(alice_api)

    assert past["count"] == 5
    assert [e["original_text"] for e in past["examples"]] == [third, second, first]


def test_a_sentence_with_two_slips_of_one_kind_is_one_example(alice_api, clock):
    say(alice_api, clock, "I eat rice yesterday.")
    say(alice_api, clock, "Yesterday I go to the market and eat rice.")

    [past] = mistakes(alice_api)

    assert [e["original_text"] for e in past["examples"]] == [
        "Yesterday I go to the market and eat rice.",
        "I eat rice yesterday.",
    ]


def test_examples_name_the_session_they_came_from(alice_api, clock):
    first_session = say(alice_api, clock, "I go to the office yesterday.")["session_id"]
    alice_api.post(f"/api/session/{first_session}/end")
    second_session = say(alice_api, clock, "I eat rice yesterday.")["session_id"]

    [past] = mistakes(alice_api)

    assert first_session != second_session
    assert [e["session_id"] for e in past["examples"]] == [second_session, first_session]


def test_a_tie_goes_to_the_mistake_seen_most_recently(alice_api, clock):
    say(alice_api, clock, THIRD_PERSON[0])
    say(alice_api, clock, ARTICLE[0])

    assert [m["code"] for m in mistakes(alice_api)] == ["article", "third_person_s"]


# --- Explanations -----------------------------------------------------------------------


def _explanation(turn: dict) -> tuple[str, str]:
    [point] = turn["macca"]["feedback"]["grammar"]
    return point["explanation"], point["explanation_language"]


def test_the_explanation_is_in_indonesian_by_default(alice_api, clock):
    told, language = _explanation(say(alice_api, clock, "I go to the office yesterday."))

    [past] = mistakes(alice_api)

    assert language == "id"
    assert past["explanation"] == told
    assert "yesterday" in told


def test_after_switching_to_english_the_explanation_is_english(alice_api, clock):
    in_indonesian, _ = _explanation(say(alice_api, clock, "I go to the office yesterday."))
    patched = alice_api.patch("/api/user/profile", {"explanation_language": "en"}, format="json")
    assert patched.status_code == 200

    in_english, language = _explanation(say(alice_api, clock, "I eat rice yesterday."))

    [past] = mistakes(alice_api)
    assert language == "en"
    assert in_english != in_indonesian
    assert past["explanation"] == in_english
    assert past["count"] == 2


def test_the_explanation_follows_the_learner_s_language_not_the_latest_turn(alice_api, clock):
    in_indonesian, _ = _explanation(say(alice_api, clock, "I go to the office yesterday."))
    alice_api.patch("/api/user/profile", {"explanation_language": "en"}, format="json")
    say(alice_api, clock, "I eat rice yesterday.")
    alice_api.patch("/api/user/profile", {"explanation_language": "id"}, format="json")

    [past] = mistakes(alice_api)

    assert past["explanation"] == in_indonesian


# --- What is not a mistake ----------------------------------------------------------------


def test_vocabulary_feedback_is_never_a_mistake(alice, alice_api, clock):
    taught = say(alice_api, clock, "I went to the market yesterday.")
    assert [v["word"] for v in taught["macca"]["feedback"]["vocabulary"]] == ["market"]
    assert FeedbackIssue.objects.filter(learner=alice, kind=FeedbackKind.VOCABULARY).exists()

    assert mistakes(alice_api) == []

    say(alice_api, clock, "I go to the office yesterday.")  # a mistake, and a new word
    assert [m["code"] for m in mistakes(alice_api)] == ["past_tense"]


def test_no_mistakes_is_an_empty_list(alice_api, clock):
    assert mistakes(alice_api) == []

    say(alice_api, clock, "My friend is very kind.")

    assert mistakes(alice_api) == []


# --- Isolation and auth --------------------------------------------------------------------


def test_a_learner_sees_only_their_own_mistakes(alice_api, bob_api, clock):
    say(alice_api, clock, "I go to the office yesterday.")
    say(alice_api, clock, THIRD_PERSON[0])

    assert mistakes(bob_api) == []

    say(bob_api, clock, "I eat rice yesterday.")
    bobs = mistakes(bob_api)
    assert [(m["code"], m["count"]) for m in bobs] == [("past_tense", 1)]
    assert [e["original_text"] for e in bobs[0]["examples"]] == ["I eat rice yesterday."]
    assert "office" not in str(bobs)
    alices = {m["code"]: m["count"] for m in mistakes(alice_api)}
    assert alices == {"past_tense": 1, "third_person_s": 1}


def test_mistakes_need_a_signed_in_learner(anon, alice_api, clock):
    say(alice_api, clock, "I go to the office yesterday.")

    response = anon.get(MISTAKES)

    assert response.status_code == 401
    assert "detail" in response.json()


# --- Cost -----------------------------------------------------------------------------------

CODES = ["past_tense", "third_person_s", "article", "age_with_have", "plural_noun"]


def add_mistakes(learner: User, turns: int) -> None:
    """`turns` learner turns in one session, each with a grammar mistake (codes in
    turn), a vocabulary point and a pronunciation point."""
    session = PracticeSession.objects.create(learner=learner, mode=Mode.LIVE_CONVERSATION)
    start = timezone.now() - timedelta(hours=1)
    rows = Turn.objects.bulk_create(
        Turn(
            session=session,
            position=n + 1,
            role=Role.LEARNER,
            text=f"I go to the office yesterday, number {n}.",
            created_at=start + timedelta(minutes=n),
        )
        for n in range(turns)
    )
    FeedbackIssue.objects.bulk_create(
        issue
        for n, turn in enumerate(rows)
        for issue in (
            FeedbackIssue(
                learner=learner,
                session=session,
                turn=turn,
                kind=FeedbackKind.GRAMMAR,
                code=CODES[n % len(CODES)],
                detail={
                    "explanation": "Pakai bentuk lampau.",
                    "explanation_language": "id",
                    "better_sentence": f"I went to the office yesterday, number {n}.",
                },
                created_at=turn.created_at,
            ),
            FeedbackIssue(
                learner=learner,
                session=session,
                turn=turn,
                kind=FeedbackKind.VOCABULARY,
                code="vocabulary",
                detail={"word": "office", "translation": "kantor"},
                created_at=turn.created_at,
            ),
            FeedbackIssue(
                learner=learner,
                session=session,
                turn=turn,
                kind=FeedbackKind.PRONUNCIATION,
                code="th_voiceless",
                detail={"word": "think", "target_sound": "θ", "tip": "Lidah di antara gigi."},
                created_at=turn.created_at,
            ),
        )
    )


def test_the_list_costs_the_same_for_2_or_20_turns(alice, alice_api, bob, bob_api):
    add_mistakes(alice, 2)
    add_mistakes(bob, 20)

    with CaptureQueriesContext(connection) as few:
        alices = mistakes(alice_api)
    with CaptureQueriesContext(connection) as many:
        bobs = mistakes(bob_api)

    assert {m["code"] for m in alices} == {"past_tense", "third_person_s", "th_voiceless"}
    assert {m["code"] for m in bobs} == {*CODES, "th_voiceless"}
    assert (bobs[0]["code"], bobs[0]["kind"], bobs[0]["count"]) == (
        "th_voiceless",
        "pronunciation",
        20,
    )
    assert all(len(m["examples"]) == 3 for m in bobs)
    assert len(many) == len(few)
