"""The pronunciation coach page: the sentence to read comes from the learner's
weakest sound, the suggestions fill it in, and past attempts can be replayed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from tutor.models import (
    FeedbackIssue,
    FeedbackKind,
    Mode,
    PracticeSession,
    PronunciationAttempt,
    Role,
    Turn,
)
from tutor.services.pronunciation import practice_sentence
from tutor.services.pronunciation_data import HARD_SOUNDS

pytestmark = pytest.mark.django_db


def flag_sound(learner, code: str, times: int = 1) -> None:
    session = PracticeSession.objects.create(learner=learner, mode=Mode.PRONUNCIATION_COACH)
    turn = Turn.objects.create(session=session, position=1, role=Role.LEARNER, text="Dis is it.")
    FeedbackIssue.objects.bulk_create(
        FeedbackIssue(
            learner=learner,
            session=session,
            turn=turn,
            kind=FeedbackKind.PRONUNCIATION,
            code=code,
            detail={"word": "this", "target_sound": "/ð/"},
        )
        for _ in range(times)
    )


def attempt(learner, target: str, *, overall: int = 70, minutes_ago: int = 0, **fields):
    words = [
        {"word": "think", "heard": "sink", "status": "needs_work", "score": 50, "sounds": []},
        {"word": "about", "heard": "about", "status": "excellent", "score": 100, "sounds": []},
    ]
    item = PronunciationAttempt(
        learner=learner,
        target_text=target,
        transcript="sink about",
        accuracy=overall,
        completeness=100,
        overall=overall,
        words=words,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )
    item.audio.name = f"private/recordings/{learner.id}/{target[:4]}.webm"
    item.save()
    return item


def value_of_target(html: str) -> str:
    start = html.index('id="target-text"')
    tag = html[start : html.index(">", start)]
    return tag.split('value="', 1)[1].split('"', 1)[0]


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/pronunciation/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/pronunciation/"


def test_a_new_learner_gets_the_first_sentence_of_the_table(client, alice):
    client.force_login(alice)

    response = client.get("/pronunciation/")

    assert response.status_code == 200
    first = next(iter(HARD_SOUNDS))
    assert value_of_target(response.content.decode()) == practice_sentence(first)


def test_the_sentence_drills_the_learners_weakest_sound(client, alice, bob):
    flag_sound(alice, "th_voiced", times=2)
    flag_sound(bob, "v", times=5)
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    assert value_of_target(html) == practice_sentence("th_voiced")
    assert "your weak sound" in html


def test_a_sound_can_be_chosen_in_the_address(client, alice):
    client.force_login(alice)

    html = client.get("/pronunciation/?sound=v").content.decode()

    assert value_of_target(html) == practice_sentence("v")


def test_the_page_has_the_recorder_the_result_area_and_the_honest_note(client, alice):
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    assert '<label for="target-text">Sentence to practise</label>' in html
    assert 'id="attempt-record"' in html
    assert 'aria-pressed="false"' in html
    for score in ("score-overall", "score-accuracy", "score-completeness"):
        assert f'id="{score}"' in html
    assert 'id="mic-message"' in html and 'role="alert"' in html
    assert "Scores are based on what the speech recogniser heard" in html
    assert 'id="pronunciation-strings"' in html
    assert "/static/js/pronunciation.js" in html


def test_suggestions_fill_in_sentences_for_the_hard_sounds(client, alice):
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    for code in ("th_voiceless", "th_voiced", "v", "final_consonant"):
        assert f'data-sound="{code}"' in html
        assert f'data-sentence="{practice_sentence(code)}"' in html
    assert "/θ/" in html and "/ð/" in html


def test_tips_follow_the_explanation_language(client, alice):
    client.force_login(alice)
    first = next(iter(HARD_SOUNDS))

    indonesian = client.get("/pronunciation/").content.decode()
    alice.explanation_language = "en"
    alice.save(update_fields=["explanation_language"])
    english = client.get("/pronunciation/").content.decode()

    assert escape(HARD_SOUNDS[first]["tip_id"]) in indonesian
    assert escape(HARD_SOUNDS[first]["tip_en"]) in english


def test_past_attempts_are_listed_newest_first_with_their_recordings(client, alice, bob):
    old = attempt(alice, "Think about it.", overall=55, minutes_ago=30)
    new = attempt(alice, "Three trees.", overall=88, minutes_ago=1)
    attempt(bob, "Bob's own sentence", overall=10)
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    history = html[html.index('id="attempt-history"') :]
    assert history.index(f"/api/pronunciation/attempts/{new.id}/audio") < history.index(
        f"/api/pronunciation/attempts/{old.id}/audio"
    )
    assert "<audio controls" in history
    assert "88" in history and "55" in history
    assert 'class="word status-needs_work"' in history
    assert "(needs work)" in history
    assert "(excellent)" in history
    assert "sink about" in history
    assert "Bob" not in history


def test_the_history_shows_the_latest_ten(client, alice):
    for n in range(12):
        attempt(alice, f"Sentence number {n}", minutes_ago=n)
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    assert html.count('class="pron-attempt"') == 10


def test_an_unscored_attempt_says_so(client, alice):
    attempt(alice, "Very nice.", overall=0, degraded=True)
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    assert "Not scored" in html
