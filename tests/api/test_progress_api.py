"""GET /api/user/progress: the learner's figures, from practice done through the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

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
