"""The history pages: the learner's sessions, newest first, and a session's
transcript with its feedback and the recordings and replies to play again."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from tests.conftest import client_for
from tutor.models import FeedbackIssue, Mode, PracticeSession, Role, Turn

pytestmark = pytest.mark.django_db


def conversation(api, text: str = "I go to the office yesterday", topic: str = "work") -> str:
    """A real session through the API (mock AI): Macca's opening, a learner turn and a reply."""
    session_id = api.post(
        "/api/session/start", {"mode": "live", "topic": topic}, format="json"
    ).json()["session_id"]
    response = api.post(
        "/api/session/turn", {"session_id": session_id, "user_text": text}, format="json"
    )
    assert response.status_code == 200, response.content
    return session_id


def add_sessions(learner, count: int, *, lesson=None) -> list[PracticeSession]:
    now = timezone.now()
    sessions = PracticeSession.objects.bulk_create(
        PracticeSession(
            learner=learner,
            mode=Mode.GUIDED_LESSON if lesson and i % 2 else Mode.LIVE_CONVERSATION,
            lesson=lesson if lesson and i % 2 else None,
            current_step=1 if lesson and i % 2 else None,
            topic=f"topic {i}",
            started_at=now - timedelta(hours=i + 1),
            ended_at=now - timedelta(hours=i),
            summary=f"Summary {i}",
        )
        for i in range(count)
    )
    Turn.objects.bulk_create(
        Turn(session=session, position=position, role=role, text=f"{role} says hello")
        for session in sessions
        for position, role in ((1, Role.TUTOR), (2, Role.LEARNER), (3, Role.TUTOR))
    )
    return sessions


@pytest.mark.parametrize("path", ["/history/", f"/history/{uuid.uuid4()}/"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={path}"


def test_the_list_shows_the_learners_sessions_newest_first(client, alice, bob, lesson):
    now = timezone.now()
    PracticeSession.objects.create(
        learner=alice,
        mode=Mode.LIVE_CONVERSATION,
        topic="my hobbies",
        started_at=now - timedelta(days=2),
        ended_at=now - timedelta(days=2) + timedelta(minutes=12),
        summary="Conversation about my hobbies: 4 turns.",
    )
    PracticeSession.objects.create(
        learner=alice,
        mode=Mode.GUIDED_LESSON,
        lesson=lesson,
        current_step=2,
        started_at=now - timedelta(hours=1),
    )
    PracticeSession.objects.create(learner=bob, mode=Mode.LIVE_CONVERSATION, topic="bob's topic")
    client.force_login(alice)

    response = client.get("/history/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Ordering coffee") < html.index("my hobbies")
    assert "Guided lesson" in html and "Conversation" in html
    assert "Step 2 of 2" in html
    assert "12 min" in html
    assert "Conversation about my hobbies: 4 turns." in html
    assert "Not ended" in html
    assert "bob" not in html


def test_the_list_counts_the_learners_answers(client, alice, alice_api):
    conversation(alice_api)
    client.force_login(alice)

    html = client.get("/history/").content.decode()

    assert "1 answer" in html
    assert "work" in html


def test_dates_are_in_the_learners_time_zone(client, alice):
    alice.time_zone = "Asia/Jakarta"
    alice.save(update_fields=["time_zone"])
    PracticeSession.objects.create(
        learner=alice,
        mode=Mode.LIVE_CONVERSATION,
        started_at=datetime(2026, 1, 1, 23, 30, tzinfo=UTC),
    )
    client.force_login(alice)

    html = client.get("/history/").content.decode()

    assert "2 Jan 2026, 06:30" in html


def test_the_list_is_paginated_by_twenty(client, alice):
    add_sessions(alice, 25)
    client.force_login(alice)

    first = client.get("/history/").content.decode()
    second = client.get("/history/", {"page": 2}).content.decode()

    assert first.count('class="history-item card"') == 20
    assert second.count('class="history-item card"') == 5
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    assert "topic 0<" in first and "topic 24<" in second


def test_the_list_costs_a_fixed_number_of_queries(client, alice, lesson):
    add_sessions(alice, 2, lesson=lesson)
    client.force_login(alice)
    client.get("/history/")

    with CaptureQueriesContext(connection) as few:
        client.get("/history/")
    add_sessions(alice, 15, lesson=lesson)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/history/")

    assert response.content.decode().count('class="history-item card"') == 17
    assert len(many) == len(few)


def test_another_learners_session_is_not_found(client, alice, bob):
    session_id = conversation(client_for(alice))
    client.force_login(bob)

    assert client.get(f"/history/{session_id}/").status_code == 404


def test_an_unknown_session_is_not_found(client, alice):
    client.force_login(alice)

    assert client.get(f"/history/{uuid.uuid4()}/").status_code == 404


def test_the_detail_shows_the_transcript_with_feedback_and_audio(client, alice, alice_api):
    session_id = conversation(alice_api)
    learner_turn = Turn.objects.get(session_id=session_id, role=Role.LEARNER)
    learner_turn.audio.name = f"private/recordings/{alice.id}/answer.webm"
    learner_turn.save(update_fields=["audio"])
    client.force_login(alice)

    response = client.get(f"/history/{session_id}/")

    assert response.status_code == 200
    html = response.content.decode()
    turns = list(Turn.objects.filter(session_id=session_id).order_by("position"))
    positions = [html.index(escape(turn.text)) for turn in turns]
    assert positions == sorted(positions)
    assert "I go to the office yesterday" in html
    assert "<mark>went</mark>" in html  # the better sentence, the change highlighted
    grammar = FeedbackIssue.objects.get(turn=learner_turn, kind="grammar")
    assert escape(grammar.detail["explanation"]) in html
    assert "office" in html  # the vocabulary chip
    assert f'src="/api/turns/{learner_turn.id}/audio"' in html
    reply = turns[-1]
    assert reply.speech is not None
    # Macca's lines: Ogg/Opus, and the same line as MP3 where Opus does not play.
    url = reply.speech.audio.url
    assert f'<source src="{url}" type="audio/ogg; codecs=opus">' in html
    assert f'<source src="{url}?format=mp3" type="audio/mpeg">' in html
    assert html.count("<audio controls") == 3  # opening, reply and the recording


def test_the_detail_costs_a_fixed_number_of_queries(client, alice, alice_api):
    session_id = conversation(alice_api)
    client.force_login(alice)
    client.get(f"/history/{session_id}/")

    with CaptureQueriesContext(connection) as few:
        client.get(f"/history/{session_id}/")
    for text in ("She go to school.", "I have 20 years old.", "We eats rice."):
        alice_api.post(
            "/api/session/turn", {"session_id": session_id, "user_text": text}, format="json"
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/history/{session_id}/")

    assert response.content.decode().count('class="history-turn turn-learner"') == 4
    assert len(many) == len(few)


def test_the_detail_shows_pronunciation_tips(client, alice):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.PRONUNCIATION_COACH)
    Turn.objects.create(session=session, position=1, role=Role.TUTOR, text="Say: I think so.")
    said = Turn.objects.create(session=session, position=2, role=Role.LEARNER, text="I sink so.")
    FeedbackIssue.objects.create(
        learner=alice,
        session=session,
        turn=said,
        kind="pronunciation",
        code="th_voiceless",
        detail={
            "word": "think",
            "target_sound": "/θ/",
            "issue": "You said /s/ for /θ/ in “think”.",
            "tip": "Put the tip of your tongue between your teeth.",
            "severity": "high",
        },
    )
    client.force_login(alice)

    html = client.get(f"/history/{session.id}/").content.decode()

    assert "Pronunciation coach" in html
    assert "You said /s/ for /θ/ in “think”." in html
    assert "Put the tip of your tongue between your teeth." in html
