"""GET /api/user/progress: the learner's figures, from practice done through the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tutor.models import Mode, PracticeSession, Role, Turn
from tutor.services.activity import recount

pytestmark = pytest.mark.django_db

PROGRESS = "/api/user/progress"
PROGRESS_KEYS = {
    "sessions_completed",
    "total_practice_time_minutes",
    "common_issues",
    "vocabulary_learned",
    "turns_total",
    "current_streak_days",
    "longest_streak_days",
    "pronunciation_average",
    "daily_minutes",
}
# 12:00 in Jakarta (the learners' default zone, UTC+7) on Monday 10 March 2025.
NOON_IN_JAKARTA = datetime(2025, 3, 10, 5, 0, tzinfo=UTC)


def practise(client, start: datetime, user_text: str = "I go to the office yesterday") -> None:
    """Through the API: start a conversation, one typed turn 2 minutes in, end at 5 minutes."""
    with time_machine.travel(start, tick=False) as traveller:
        started = client.post("/api/session/start", {"mode": "live"}, format="json")
        assert started.status_code == 201
        session_id = started.json()["session_id"]
        traveller.shift(timedelta(minutes=2))
        turn = client.post(
            "/api/session/turn", {"session_id": session_id, "user_text": user_text}, format="json"
        )
        assert turn.status_code == 200
        traveller.shift(timedelta(minutes=3))
        assert client.post(f"/api/session/{session_id}/end").status_code == 200


def progress_at(client, moment: datetime) -> dict:
    with time_machine.travel(moment, tick=False):
        response = client.get(PROGRESS)
    assert response.status_code == 200
    return response.json()


def test_a_new_learner_has_no_progress_yet(alice_api):
    body = progress_at(alice_api, NOON_IN_JAKARTA)

    assert set(body) == PROGRESS_KEYS
    assert {key: value for key, value in body.items() if key != "daily_minutes"} == {
        "sessions_completed": 0,
        "total_practice_time_minutes": 0,
        "common_issues": [],
        "vocabulary_learned": 0,
        "turns_total": 0,
        "current_streak_days": 0,
        "longest_streak_days": 0,
        "pronunciation_average": None,
    }
    assert len(body["daily_minutes"]) == 30
    assert all(day == {"date": day["date"], "minutes": 0} for day in body["daily_minutes"])


def test_daily_minutes_are_the_last_30_days_oldest_first_in_the_learner_s_zone(alice_api):
    # 23:30 UTC on 9 March is already 10 March in Jakarta.
    body = progress_at(alice_api, datetime(2025, 3, 9, 23, 30, tzinfo=UTC))

    dates = [date.fromisoformat(day["date"]) for day in body["daily_minutes"]]
    assert dates[-1] == date(2025, 3, 10)
    assert dates == [date(2025, 2, 9) + timedelta(days=n) for n in range(30)]
    assert all(set(day) == {"date", "minutes"} for day in body["daily_minutes"])


def test_it_counts_practice_done_through_the_api(alice_api):
    practise(alice_api, NOON_IN_JAKARTA)

    body = progress_at(alice_api, NOON_IN_JAKARTA + timedelta(hours=1))

    assert body["sessions_completed"] == 1
    assert body["turns_total"] == 1
    assert body["total_practice_time_minutes"] == 5
    assert body["common_issues"] == ["past_tense"]
    assert body["vocabulary_learned"] == 0  # "office" was taught, but not yet reviewed
    assert body["current_streak_days"] == 1
    assert body["longest_streak_days"] == 1
    assert body["pronunciation_average"] is None
    assert body["daily_minutes"][-1] == {"date": "2025-03-10", "minutes": 5}
    assert sum(day["minutes"] for day in body["daily_minutes"]) == 5


def test_an_open_session_counts_its_turns_but_is_not_completed(alice_api):
    with time_machine.travel(NOON_IN_JAKARTA, tick=False):
        alice_api.post("/api/session/turn", {"user_text": "I like coffee."}, format="json")

    body = progress_at(alice_api, NOON_IN_JAKARTA + timedelta(minutes=10))

    assert body["turns_total"] == 1
    assert body["sessions_completed"] == 0


def test_practice_on_consecutive_days_makes_a_streak(alice_api):
    practise(alice_api, NOON_IN_JAKARTA - timedelta(days=1))
    practise(alice_api, NOON_IN_JAKARTA)

    body = progress_at(alice_api, NOON_IN_JAKARTA + timedelta(hours=1))

    assert body["sessions_completed"] == 2
    assert body["turns_total"] == 2
    assert body["current_streak_days"] == 2
    assert body["longest_streak_days"] == 2
    assert [day["minutes"] for day in body["daily_minutes"][-2:]] == [5, 5]


def test_it_shows_only_the_learner_s_own_progress(alice_api, bob_api):
    practise(alice_api, NOON_IN_JAKARTA)

    body = progress_at(bob_api, NOON_IN_JAKARTA + timedelta(hours=1))

    assert body["sessions_completed"] == 0
    assert body["turns_total"] == 0
    assert body["vocabulary_learned"] == 0
    assert body["common_issues"] == []


def test_anonymous_is_401(anon):
    response = anon.get(PROGRESS)

    assert response.status_code == 401
    assert "detail" in response.json()


def add_history(learner, *, days: int, sessions_per_day: int, turns_per_session: int) -> None:
    """Sessions at noon (Jakarta) back from yesterday, 10 minutes apart, a turn every 30 s
    (learner and Macca in turn); every third session is left open. Loaded in bulk, so the
    counters a turn would have kept are recounted, as the migration fills them."""
    sessions = PracticeSession.objects.bulk_create(
        [
            PracticeSession(
                learner=learner,
                mode=Mode.LIVE_CONVERSATION,
                started_at=(started := NOON_IN_JAKARTA - timedelta(days=day, minutes=10 * n)),
                ended_at=None if n % 3 == 2 else started + timedelta(minutes=5),
            )
            for day in range(1, days + 1)
            for n in range(sessions_per_day)
        ]
    )
    Turn.objects.bulk_create(
        [
            Turn(
                session=session,
                position=position,
                role=Role.LEARNER if position % 2 else Role.TUTOR,
                text=f"Turn {position}",
                created_at=session.started_at + timedelta(seconds=30 * position),
            )
            for session in sessions
            for position in range(1, turns_per_session + 1)
        ]
    )
    recount([learner.pk])


def largest_answer(queries: CaptureQueriesContext) -> int:
    """The most rows any of the captured SELECTs returns, run again."""
    most = 0
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute(query["sql"])
                most = max(most, len(cursor.fetchall()))
    return most


def test_it_costs_the_same_queries_for_10_or_1000_turns_and_no_row_per_session(
    alice, alice_api, bob, bob_api
):
    add_history(alice, days=1, sessions_per_day=1, turns_per_session=10)
    # 100 sessions on 25 days: more sessions than practice days or chart days.
    add_history(bob, days=25, sessions_per_day=4, turns_per_session=10)
    moment = NOON_IN_JAKARTA + timedelta(hours=1)

    with CaptureQueriesContext(connection) as few:
        small = progress_at(alice_api, moment)
    with CaptureQueriesContext(connection) as many:
        large = progress_at(bob_api, moment)

    assert len(many) == len(few)
    # At most one row per practice day (25) or per chart day and the older sessions (31).
    assert largest_answer(many) <= 31
    assert (small["turns_total"], small["sessions_completed"]) == (5, 1)
    assert small["total_practice_time_minutes"] == 5
    assert (large["turns_total"], large["sessions_completed"]) == (500, 75)
    # Open sessions last until their last turn, at 5 minutes too.
    assert large["total_practice_time_minutes"] == 100 * 5
    assert (large["current_streak_days"], large["longest_streak_days"]) == (25, 25)
    minutes = [day["minutes"] for day in large["daily_minutes"]]
    assert minutes == [0] * 4 + [20] * 25 + [0]  # nothing yet today
