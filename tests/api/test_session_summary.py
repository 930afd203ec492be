"""What ending a session tells the learner (POST /api/session/{id}/end): what was
practised, the main issues with one of their own sentences corrected, the new
words and one suggestion for next time; and how a guided lesson adds its words
to the learner's list and ends itself once the last step is met."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tutor.models import PracticeSession, User, VocabularyItem, VocabularySource

pytestmark = pytest.mark.django_db

VOCABULARY = "/api/user/vocabulary"
PAST_TENSE = "I go to the office yesterday."
PAST_TENSE_FIXED = "I went to the office yesterday."
COMPLETE_GREETING = "Hello, my name is Alice and I am happy to be here today."
ORDER = "Could I have a latte please?"


@pytest.fixture
def clock(time_machine):
    """One minute per turn: the summary's minutes are real, turns never throttled."""
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    return time_machine


def start(client, **body) -> str:
    response = client.post("/api/session/start", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["session_id"]


def say(client, clock, session_id: str, text: str) -> dict:
    clock.shift(timedelta(minutes=1))
    response = client.post(
        "/api/session/turn", {"session_id": session_id, "user_text": text}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def summary_after(client, clock, session_id: str, *sentences: str) -> str:
    for sentence in sentences:
        say(client, clock, session_id, sentence)
    response = client.post(f"/api/session/{session_id}/end")
    assert response.status_code == 200, response.content
    return response.json()["summary"]


def next_time(summary: str) -> str:
    assert summary.count("Next time:") == 1, summary
    return summary.split("Next time:", 1)[1]


# --- A conversation ---------------------------------------------------------------------


def test_the_summary_names_the_topic_the_issues_the_new_words_and_what_next(alice_api, clock):
    session_id = start(alice_api, mode="live", topic="my job")

    summary = summary_after(
        alice_api,
        clock,
        session_id,
        PAST_TENSE,
        "She work in a bank.",
        "I eat rice yesterday.",
    )

    assert summary.startswith("Conversation about my job: 3 turns, 3 minutes.")
    assert "past tense (2×)" in summary
    assert "third person s (1×)" in summary
    assert summary.index("past tense") < summary.index("third person s")  # most frequent first
    assert f"“{PAST_TENSE}” → “{PAST_TENSE_FIXED}”" in summary
    assert "“She work in a bank.” → “She works in a bank.”" in summary
    assert "New words: office." in summary
    assert "past tense" in next_time(summary)


def test_a_conversation_without_a_topic_is_a_free_conversation(alice_api, clock):
    session_id = start(alice_api, mode="live")

    summary = summary_after(alice_api, clock, session_id, PAST_TENSE)

    assert summary.startswith("Free conversation: 1 turn, 1 minute.")


@pytest.mark.parametrize(
    ("sentence", "issue", "suggestion"),
    [
        ("I eat rice yesterday.", "past tense (2×)", "past tense"),
        ("She work in a bank.", "third person s (2×)", "he works, she goes"),
        ("I am student.", "article (2×)", "a and an"),
        ("I have 25 years old.", "age with have (2×)", "years old"),
    ],
)
def test_the_suggestion_for_next_time_is_about_the_top_issue(
    alice_api, clock, sentence, issue, suggestion
):
    session_id = start(alice_api, mode="live")
    other = "My sister like tea." if "work" not in sentence else "I go to school yesterday."

    summary = summary_after(alice_api, clock, session_id, sentence, other, sentence)

    assert f"To work on: {issue}, e.g. “{sentence}”" in summary
    assert suggestion in next_time(summary)


def test_a_session_with_only_correct_sentences_has_no_mistakes_and_a_suggestion(alice_api, clock):
    session_id = start(alice_api, mode="live", topic="food")

    summary = summary_after(
        alice_api, clock, session_id, "I went to the market yesterday.", "My friend is very kind."
    )

    assert "No mistakes found" in summary
    assert "To work on" not in summary
    assert "New words: market." in summary
    assert next_time(summary).strip()


def test_an_empty_session_has_no_suggestion_for_next_time(alice_api, clock):
    session_id = start(alice_api, mode="live", topic="food")

    summary = summary_after(alice_api, clock, session_id)

    assert summary.startswith("Conversation about food: 0 turns")
    assert "Next time" not in summary
    assert "No mistakes found" not in summary
    assert "To work on" not in summary


def test_the_summary_is_kept_and_ending_again_returns_it(alice_api, clock):
    session_id = start(alice_api, mode="live")
    summary = summary_after(alice_api, clock, session_id, PAST_TENSE)

    again = alice_api.post(f"/api/session/{session_id}/end").json()["summary"]
    detail = alice_api.get(f"/api/sessions/{session_id}").json()["summary"]

    assert again == detail == summary == PracticeSession.objects.get(pk=session_id).summary


# --- A guided lesson ----------------------------------------------------------------------


def lesson_words(learner: User) -> list[tuple[str, str, str]]:
    return list(
        VocabularyItem.objects.filter(learner=learner).values_list("word", "translation", "source")
    )


def test_starting_a_lesson_adds_its_words_to_the_learner_s_list(alice, alice_api, lesson):
    start(alice_api, mode="guided", lesson_id=str(lesson.pk))

    assert lesson_words(alice) == [("latte", "kopi susu", VocabularySource.LESSON)]
    [listed] = alice_api.get(VOCABULARY).json()
    assert (listed["word"], listed["translation"], listed["source"]) == (
        "latte",
        "kopi susu",
        "lesson",
    )


def test_starting_a_lesson_again_adds_no_duplicate(alice, alice_api, lesson):
    start(alice_api, mode="guided", lesson_id=str(lesson.pk))
    first = VocabularyItem.objects.get(learner=alice)

    start(alice_api, mode="guided", lesson_id=str(lesson.pk))

    assert list(VocabularyItem.objects.filter(learner=alice)) == [first]


def test_a_word_the_learner_already_had_is_kept_as_is(alice, alice_api, lesson):
    mine = VocabularyItem.objects.create(
        learner=alice, word="Latte", translation="es kopi", example="A latte, please."
    )
    before = VocabularyItem.objects.values().get(pk=mine.pk)

    start(alice_api, mode="guided", lesson_id=str(lesson.pk))

    assert VocabularyItem.objects.filter(learner=alice).count() == 1
    assert VocabularyItem.objects.values().get(pk=mine.pk) == before


def test_a_lesson_s_words_go_only_to_the_learner_who_started_it(alice, bob, alice_api, lesson):
    start(alice_api, mode="guided", lesson_id=str(lesson.pk))

    assert lesson_words(bob) == []


def test_completing_the_last_step_ends_the_lesson_with_a_summary(alice_api, lesson, clock):
    session_id = start(alice_api, mode="guided", lesson_id=str(lesson.pk))
    say(alice_api, clock, session_id, COMPLETE_GREETING)

    last = say(alice_api, clock, session_id, ORDER)

    assert last["macca"]["step_complete"] is True
    session = PracticeSession.objects.get(pk=session_id)
    assert session.ended_at is not None
    assert session.summary.startswith("Lesson “Ordering coffee”: 2 turns, 2 minutes.")
    assert "Lesson completed!" in session.summary
    assert "New words: latte." in session.summary
    assert "Next time:" in session.summary
    ended = alice_api.post(f"/api/session/{session_id}/end").json()
    assert ended["summary"] == session.summary


def test_a_lesson_ended_early_is_not_completed_and_suggests_finishing_it(alice_api, lesson, clock):
    session_id = start(alice_api, mode="guided", lesson_id=str(lesson.pk))

    summary = summary_after(alice_api, clock, session_id, COMPLETE_GREETING)

    assert summary.startswith("Lesson “Ordering coffee”: 1 turn")
    assert "Lesson completed!" not in summary
    assert "finish the lesson" in next_time(summary)
