from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from tutor.models import (
    CardState,
    FeedbackIssue,
    FeedbackKind,
    Mode,
    PracticeSession,
    PronunciationAttempt,
    Role,
    Turn,
    User,
    VocabularyItem,
)
from tutor.services.activity import record_turns
from tutor.services.progress import common_issues, practice_progress, session_seconds

# Noon in Jakarta (UTC+7) on Monday 10 March 2025.
NOW = datetime(2025, 3, 10, 5, 0, tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def start_session(
    learner: User, started_at: datetime, ended_at: datetime | None = None
) -> PracticeSession:
    return PracticeSession.objects.create(
        learner=learner, mode=Mode.LIVE_CONVERSATION, started_at=started_at, ended_at=ended_at
    )


def add_turn(session: PracticeSession, created_at: datetime, role: str = Role.LEARNER) -> Turn:
    """A turn written as the app writes one: with the counters progress reads."""
    turn = Turn.objects.create(
        session=session,
        position=session.turns.count() + 1,
        role=role,
        text="I go to the market yesterday.",
        created_at=created_at,
    )
    record_turns(session=session, turns=[turn])
    return turn


def practise_on(learner: User, *moments: str) -> None:
    """One short session per moment (UTC), each with a learner turn at that moment."""
    for moment in moments:
        add_turn(start_session(learner, utc(moment)), utc(moment))


def add_issue(learner: User, code: str, created_at: datetime, kind: str = FeedbackKind.GRAMMAR):
    session = start_session(learner, created_at)
    turn = add_turn(session, created_at)
    issue = FeedbackIssue.objects.create(
        learner=learner, session=session, turn=turn, kind=kind, code=code, created_at=created_at
    )
    record_turns(session=session, turns=[], issues=[issue])
    return issue


def use_time_zone(learner: User, name: str) -> None:
    learner.time_zone = name
    learner.save(update_fields=["time_zone"])


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


# --- No data ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_a_learner_without_practice_gets_zeros_and_thirty_empty_days(alice):
    progress = practice_progress(alice)

    assert progress == {
        "sessions_completed": 0,
        "total_practice_time_minutes": 0,
        "common_issues": [],
        "vocabulary_learned": 0,
        "turns_total": 0,
        "current_streak_days": 0,
        "longest_streak_days": 0,
        "pronunciation_average": None,
        "daily_minutes": progress["daily_minutes"],
    }
    assert len(progress["daily_minutes"]) == 30
    assert all(day["minutes"] == 0 for day in progress["daily_minutes"])


# --- Durations -------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_total_time_counts_ended_sessions_and_open_sessions_up_to_their_last_turn(alice):
    start_session(alice, utc("2025-03-09T01:00"), ended_at=utc("2025-03-09T01:20"))
    open_session = start_session(alice, utc("2025-03-09T03:00"))
    add_turn(open_session, utc("2025-03-09T03:01"))
    add_turn(open_session, utc("2025-03-09T03:10"), role=Role.TUTOR)

    progress = practice_progress(alice)

    assert progress["total_practice_time_minutes"] == 30
    assert progress["sessions_completed"] == 1


@pytest.mark.usefixtures("frozen")
def test_an_ended_session_counts_until_it_ended_not_until_its_last_turn(alice):
    session = start_session(alice, utc("2025-03-09T01:00"), ended_at=utc("2025-03-09T01:05"))
    add_turn(session, utc("2025-03-09T01:40"))

    assert session_seconds(session) == 5 * 60


def test_an_open_session_without_turns_lasts_no_time(alice):
    session = start_session(alice, utc("2025-03-09T01:00"))

    assert session_seconds(session) == 0


def test_a_session_is_never_negative(alice):
    session = start_session(alice, utc("2025-03-09T01:00"))
    add_turn(session, utc("2025-03-09T00:59"))

    assert session_seconds(session) == 0


def test_a_session_counts_at_most_three_hours(alice):
    overnight = start_session(alice, utc("2025-03-08T15:00"), ended_at=utc("2025-03-09T09:00"))
    left_open = start_session(alice, utc("2025-03-09T10:00"))
    add_turn(left_open, utc("2025-03-09T22:00"))

    assert session_seconds(overnight) == 3 * 60 * 60
    assert session_seconds(left_open) == 3 * 60 * 60
    with time_machine.travel(NOW, tick=False):
        assert practice_progress(alice)["total_practice_time_minutes"] == 2 * 3 * 60


def test_session_seconds_of_a_plain_open_session_reads_its_last_turn_time_without_a_query(
    alice, django_assert_num_queries
):
    session = start_session(alice, utc("2025-03-09T01:00"))
    add_turn(session, utc("2025-03-09T01:12"))
    session = PracticeSession.objects.get(pk=session.pk)

    with django_assert_num_queries(0):
        assert session_seconds(session) == 12 * 60


@pytest.mark.usefixtures("frozen")
def test_total_minutes_round_half_up(alice):
    start_session(alice, utc("2025-03-09T01:00:00"), ended_at=utc("2025-03-09T01:02:30"))

    assert practice_progress(alice)["total_practice_time_minutes"] == 3


# --- Streaks ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_a_turn_at_18_utc_belongs_to_the_next_day_in_jakarta(alice, bob):
    # 18:00 UTC on 8 March is 01:00 on 9 March in Jakarta; the next turn is 9 March everywhere.
    moments = ("2025-03-08T18:00", "2025-03-09T10:00")
    practise_on(alice, *moments)
    use_time_zone(bob, "UTC")
    practise_on(bob, *moments)

    jakarta, london = practice_progress(alice), practice_progress(bob)

    assert (jakarta["current_streak_days"], jakarta["longest_streak_days"]) == (1, 1)
    assert (london["current_streak_days"], london["longest_streak_days"]) == (2, 2)


@pytest.mark.usefixtures("frozen")
def test_the_streak_counts_today_once_the_learner_practises(alice):
    practise_on(alice, "2025-03-08T03:00", "2025-03-09T03:00", "2025-03-10T01:00")

    progress = practice_progress(alice)

    assert progress["current_streak_days"] == 3
    assert progress["longest_streak_days"] == 3


@pytest.mark.usefixtures("frozen")
def test_the_streak_is_still_current_when_only_yesterday_had_practice(alice):
    # NOW is noon on 10 March in Jakarta; practice on 8 and 9 March.
    practise_on(alice, "2025-03-08T03:00", "2025-03-09T03:00")

    assert practice_progress(alice)["current_streak_days"] == 2


@pytest.mark.usefixtures("frozen")
def test_the_learners_today_decides_the_streak_not_utcs(alice):
    # 20:00 UTC on 9 March is already 10 March in Jakarta, i.e. "today" for alice,
    # even though it is the evening before in UTC.
    practise_on(alice, "2025-03-09T20:00")

    assert practice_progress(alice)["current_streak_days"] == 1
    assert practice_progress(alice, now=utc("2025-03-11T17:00"))["current_streak_days"] == 0


@pytest.mark.usefixtures("frozen")
def test_a_missed_day_breaks_the_current_streak_but_longest_keeps_the_run(alice):
    practise_on(
        alice,
        "2025-03-01T03:00",
        "2025-03-02T03:00",
        "2025-03-03T03:00",
        "2025-03-04T03:00",
        # 5 March: no practice.
        "2025-03-06T03:00",
        "2025-03-06T09:00",
        "2025-03-07T03:00",
        # 8 and 9 March: no practice, so on 10 March the streak is gone.
    )

    progress = practice_progress(alice)

    assert progress["current_streak_days"] == 0
    assert progress["longest_streak_days"] == 4


@pytest.mark.usefixtures("frozen")
def test_only_learner_turns_make_a_practice_day(alice):
    session = start_session(alice, utc("2025-03-09T03:00"))
    add_turn(session, utc("2025-03-09T03:00"), role=Role.TUTOR)

    progress = practice_progress(alice)

    assert progress["current_streak_days"] == 0
    assert progress["turns_total"] == 0


# --- Daily minutes ---------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_daily_minutes_gives_thirty_days_oldest_first_with_today_last(alice):
    progress = practice_progress(alice)

    days = [entry["date"] for entry in progress["daily_minutes"]]
    assert days[0] == date(2025, 2, 9)
    assert days[-1] == date(2025, 3, 10)
    assert days == [date(2025, 2, 9) + timedelta(days=n) for n in range(30)]


@pytest.mark.usefixtures("frozen")
def test_daily_minutes_puts_each_session_on_the_learners_day_it_started(alice):
    # 23:00 UTC on 9 March is 06:00 on 10 March in Jakarta.
    start_session(alice, utc("2025-03-09T23:00"), ended_at=utc("2025-03-09T23:10"))
    start_session(alice, utc("2025-03-10T02:00"), ended_at=utc("2025-03-10T02:05"))
    # 16:50 UTC on 8 March is 23:50 on 8 March in Jakarta: it stays there after midnight.
    start_session(alice, utc("2025-03-08T16:50"), ended_at=utc("2025-03-08T17:30"))
    # 9 February (Jakarta) is the oldest day shown; 8 February is out of the window.
    start_session(alice, utc("2025-02-09T03:00"), ended_at=utc("2025-02-09T03:07"))
    start_session(alice, utc("2025-02-08T03:00"), ended_at=utc("2025-02-08T03:50"))

    minutes = {
        entry["date"]: entry["minutes"] for entry in practice_progress(alice)["daily_minutes"]
    }

    assert minutes[date(2025, 3, 10)] == 15
    assert minutes[date(2025, 3, 9)] == 0
    assert minutes[date(2025, 3, 8)] == 40
    assert minutes[date(2025, 2, 9)] == 7
    assert date(2025, 2, 8) not in minutes
    assert sum(minutes.values()) == 62


# --- Common issues ---------------------------------------------------------------------------


def test_common_issues_puts_the_most_frequent_first(alice):
    for _ in range(3):
        add_issue(alice, "article", utc("2025-03-01T03:00"))
    for _ in range(2):
        add_issue(alice, "th_sound", utc("2025-03-02T03:00"), kind=FeedbackKind.PRONUNCIATION)
    add_issue(alice, "past_tense", utc("2025-03-03T03:00"))

    assert common_issues(alice) == ["article", "th_sound", "past_tense"]


def test_common_issues_breaks_ties_by_the_most_recently_seen(alice):
    add_issue(alice, "article", utc("2025-03-01T03:00"))
    add_issue(alice, "plural", utc("2025-03-05T03:00"))
    add_issue(alice, "past_tense", utc("2025-03-03T03:00"))

    assert common_issues(alice) == ["plural", "past_tense", "article"]


def test_common_issues_leaves_out_vocabulary_feedback(alice):
    for _ in range(3):
        add_issue(alice, "latte", utc("2025-03-01T03:00"), kind=FeedbackKind.VOCABULARY)
    add_issue(alice, "article", utc("2025-03-01T03:00"))

    assert common_issues(alice) == ["article"]


def test_common_issues_ignores_other_learners(alice, bob):
    add_issue(alice, "article", utc("2025-03-01T03:00"))
    for _ in range(3):
        add_issue(bob, "past_tense", utc("2025-03-01T03:00"))

    assert common_issues(alice) == ["article"]


def test_common_issues_stops_at_the_limit(alice):
    for n, code in enumerate(["a", "b", "c", "d", "e", "f", "g"]):
        add_issue(alice, code, utc("2025-03-01T03:00") + timedelta(minutes=n))

    assert common_issues(alice) == ["g", "f", "e", "d", "c"]
    assert common_issues(alice, limit=2) == ["g", "f"]


# --- Counts and pronunciation ----------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_it_counts_completed_sessions_vocabulary_and_learner_turns(alice):
    ended = start_session(alice, utc("2025-03-09T03:00"), ended_at=utc("2025-03-09T03:10"))
    add_turn(ended, utc("2025-03-09T03:01"))
    add_turn(ended, utc("2025-03-09T03:02"), role=Role.TUTOR)
    add_turn(ended, utc("2025-03-09T03:03"))
    add_turn(start_session(alice, utc("2025-03-10T03:00")), utc("2025-03-10T03:01"))
    VocabularyItem.objects.create(learner=alice, word="latte", state=CardState.REVIEW)
    VocabularyItem.objects.create(learner=alice, word="receipt", state=CardState.REVIEW)
    VocabularyItem.objects.create(learner=alice, word="bill", state=CardState.LEARNING)

    progress = practice_progress(alice)

    assert progress["sessions_completed"] == 1
    assert progress["turns_total"] == 3
    assert progress["vocabulary_learned"] == 2  # reviewed to a stable state; "bill" is new


def add_attempt(learner: User, overall: int) -> PronunciationAttempt:
    return PronunciationAttempt.objects.create(
        learner=learner, target_text="three", accuracy=overall, completeness=100, overall=overall
    )


@pytest.mark.usefixtures("frozen")
def test_pronunciation_average_is_rounded_half_up_to_a_whole_score(alice):
    add_attempt(alice, 70)
    add_attempt(alice, 75)

    assert practice_progress(alice)["pronunciation_average"] == 73

    add_attempt(alice, 70)

    assert practice_progress(alice)["pronunciation_average"] == 72


@pytest.mark.usefixtures("frozen")
def test_it_ignores_other_learners_practice(alice, bob):
    ended = start_session(bob, utc("2025-03-09T03:00"), ended_at=utc("2025-03-09T03:30"))
    add_turn(ended, utc("2025-03-09T03:01"))
    add_issue(bob, "article", utc("2025-03-09T03:05"))
    VocabularyItem.objects.create(learner=bob, word="latte", state=CardState.REVIEW)
    add_attempt(bob, 90)

    progress = practice_progress(alice)

    assert progress["sessions_completed"] == 0
    assert progress["total_practice_time_minutes"] == 0
    assert progress["turns_total"] == 0
    assert progress["current_streak_days"] == 0
    assert progress["common_issues"] == []
    assert progress["vocabulary_learned"] == 0
    assert progress["pronunciation_average"] is None
    assert all(day["minutes"] == 0 for day in progress["daily_minutes"])


# --- Queries ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("sessions", [2, 20])
def test_it_takes_the_same_five_queries_however_many_sessions(
    alice, sessions, django_assert_num_queries
):
    for n in range(sessions):
        started = NOW - timedelta(days=n, hours=1)
        session = start_session(
            alice, started, ended_at=None if n % 2 else started + timedelta(minutes=10)
        )
        add_turn(session, started + timedelta(minutes=5))
        add_turn(session, started + timedelta(minutes=6), role=Role.TUTOR)
        issue = FeedbackIssue.objects.create(
            learner=alice, session=session, turn=session.turns.first(), kind="grammar", code="x"
        )
        record_turns(session=session, turns=[], issues=[issue])
        add_attempt(alice, 80)
    alice = User.objects.get(pk=alice.pk)

    with django_assert_num_queries(5):
        progress = practice_progress(alice)

    assert progress["current_streak_days"] == sessions
