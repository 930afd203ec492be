"""The counters progress reads (learner turns per UTC quarter-hour, mistakes per code, each
session's last turn time): kept by every write of turns and issues, filled by the migration
from an existing history, rebuilt after the admin deletes practice rows, and read the same
way in any time zone, so the progress figures cost the same whatever the history."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tutor.models import (
    FeedbackIssue,
    FeedbackKind,
    IssueTally,
    Mode,
    PracticeSession,
    Role,
    Turn,
    TurnTally,
    User,
)
from tutor.services.account import delete_account
from tutor.services.activity import quarter_of, record_turns
from tutor.services.progress import common_issues, practice_progress

pytestmark = pytest.mark.django_db

# 12:00 in Jakarta (UTC+7) on Monday 10 March 2025.
NOON_IN_JAKARTA = datetime(2025, 3, 10, 5, 0, tzinfo=UTC)
# The token and its learner, in one query (expired tokens are purged at login).
TOKEN_QUERIES = 1


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def typed_turn(client, session_id: str | None, text: str = "I go to the office yesterday"):
    body = {"user_text": text} | ({"session_id": session_id} if session_id else {})
    response = client.post("/api/session/turn", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def tallies(learner: User) -> dict[datetime, int]:
    """The learner's turns per quarter-hour, by the quarter's start (UTC)."""
    rows = TurnTally.objects.filter(learner=learner).values_list("quarter", "turns")
    return {datetime.fromtimestamp(quarter * 900, tz=UTC): turns for quarter, turns in rows}


def issue_counts(learner: User) -> dict[tuple[str, str], int]:
    rows = IssueTally.objects.filter(learner=learner).values_list("kind", "code", "times")
    return {(kind, code): times for kind, code, times in rows}


# --- The turn write ----------------------------------------------------------------------


def test_a_turn_counts_its_learner_turn_its_mistakes_and_the_session_s_last_turn(alice, alice_api):
    with time_machine.travel(NOON_IN_JAKARTA, tick=False) as traveller:
        session_id = typed_turn(alice_api, None)["session_id"]
        traveller.shift(timedelta(minutes=4))
        typed_turn(alice_api, session_id)
        traveller.shift(timedelta(minutes=20))  # 05:24 UTC: the next quarter-hour but one
        typed_turn(alice_api, session_id)

    assert tallies(alice) == {utc("2025-03-10T05:00"): 2, utc("2025-03-10T05:15"): 1}
    assert issue_counts(alice) == {("grammar", "past_tense"): 3}
    tally = IssueTally.objects.get(learner=alice)
    assert tally.last_seen == utc("2025-03-10T05:24")
    session = PracticeSession.objects.get(pk=session_id)
    last_turn = session.turns.order_by("-position").first()
    assert session.last_turn_at == last_turn.created_at == utc("2025-03-10T05:24")


def test_a_new_session_s_opening_line_is_its_last_turn_but_no_practice(alice, alice_api):
    with time_machine.travel(NOON_IN_JAKARTA, tick=False):
        started = alice_api.post("/api/session/start", {"mode": "live"}, format="json")
    assert started.status_code == 201

    session = PracticeSession.objects.get(pk=started.json()["session_id"])
    assert session.last_turn_at == NOON_IN_JAKARTA
    assert tallies(alice) == {}


def test_vocabulary_feedback_is_no_mistake_and_an_older_issue_keeps_the_later_last_seen(alice):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    said = Turn.objects.create(session=session, position=1, role=Role.LEARNER, text="I go.")

    def issue(kind: str, code: str, at: str) -> FeedbackIssue:
        return FeedbackIssue.objects.create(
            learner=alice, session=session, turn=said, kind=kind, code=code, created_at=utc(at)
        )

    record_turns(
        session=session,
        turns=[said],
        issues=[
            issue(FeedbackKind.GRAMMAR, "article", "2025-03-05T03:00"),
            issue(FeedbackKind.GRAMMAR, "article", "2025-03-05T03:01"),
            issue(FeedbackKind.VOCABULARY, "vocabulary", "2025-03-05T03:00"),
        ],
    )
    record_turns(
        session=session,
        turns=[],
        issues=[issue(FeedbackKind.GRAMMAR, "article", "2025-03-01T03:00")],
    )

    assert issue_counts(alice) == {("grammar", "article"): 3}
    assert IssueTally.objects.get(learner=alice).last_seen == utc("2025-03-05T03:01")


def test_quarter_hours_are_counted_from_the_epoch_in_utc():
    jakarta = ZoneInfo("Asia/Jakarta")

    assert quarter_of(utc("1970-01-01T00:14:59.9")) == 0
    assert quarter_of(utc("1970-01-01T00:15")) == 1
    assert quarter_of(utc("2025-03-10T10:14:59.9")) == quarter_of(utc("2025-03-10T10:00"))
    assert quarter_of(datetime(2025, 3, 10, 17, 44, tzinfo=jakarta)) * 900 == (
        utc("2025-03-10T10:30").timestamp()
    )


# --- Local days from UTC quarter-hours ----------------------------------------------------


def practise_at(learner: User, *moments: str) -> None:
    """One session per moment (UTC) with one learner turn then, counted as the app counts."""
    for moment in moments:
        session = PracticeSession.objects.create(
            learner=learner, mode=Mode.LIVE_CONVERSATION, started_at=utc(moment)
        )
        turn = Turn.objects.create(
            session=session, position=1, role=Role.LEARNER, text="Hi", created_at=utc(moment)
        )
        record_turns(session=session, turns=[turn])


def use_time_zone(learner: User, name: str) -> None:
    learner.time_zone = name
    learner.save(update_fields=["time_zone"])


@pytest.mark.parametrize(
    ("zone", "before_midnight", "at_midnight"),
    [
        ("Asia/Jakarta", "2025-03-08T16:59", "2025-03-08T17:00"),  # UTC+7
        ("Asia/Kolkata", "2025-03-08T18:29", "2025-03-08T18:30"),  # UTC+5:30
        ("Asia/Kathmandu", "2025-03-08T18:14", "2025-03-08T18:15"),  # UTC+5:45
        ("America/St_Johns", "2025-03-09T03:29", "2025-03-09T03:30"),  # UTC-3:30
        ("Europe/London", "2025-07-08T22:59", "2025-07-08T23:00"),  # summer time, UTC+1
        ("Europe/London", "2025-01-08T23:59", "2025-01-09T00:00"),  # winter, UTC
    ],
)
def test_turns_a_minute_either_side_of_the_learner_s_midnight_fall_on_two_days(
    alice, zone, before_midnight, at_midnight
):
    use_time_zone(alice, zone)
    practise_at(alice, before_midnight, at_midnight)

    progress = practice_progress(alice, now=utc(at_midnight) + timedelta(hours=1))

    assert progress["turns_total"] == 2
    assert (progress["current_streak_days"], progress["longest_streak_days"]) == (2, 2)


def test_a_late_turn_in_a_zone_with_summer_time_joins_that_day_s_other_turns(alice):
    use_time_zone(alice, "Europe/London")
    # 23:30 UTC in January is 23:30 in London, on the day of the noon turn; in July it
    # is 00:30 the next day, on the day of the next noon turn.
    practise_at(alice, "2025-01-08T12:00", "2025-01-08T23:30", "2025-07-08T23:30")
    practise_at(alice, "2025-07-09T12:00")

    progress = practice_progress(alice, now=utc("2025-07-09T13:00"))

    assert progress["turns_total"] == 4
    assert (progress["current_streak_days"], progress["longest_streak_days"]) == (1, 1)


def test_daily_minutes_follow_a_summer_time_change_within_the_thirty_days(alice):
    use_time_zone(alice, "Europe/London")  # BST from 01:00 UTC on 30 March 2025
    for start in ("2025-03-29T23:30", "2025-03-30T23:30", "2025-03-10T23:30"):
        PracticeSession.objects.create(
            learner=alice,
            mode=Mode.LIVE_CONVERSATION,
            started_at=utc(start),
            ended_at=utc(start) + timedelta(minutes=10),
        )

    days = practice_progress(alice, now=utc("2025-04-02T12:00"))["daily_minutes"]

    minutes = {day["date"]: day["minutes"] for day in days if day["minutes"]}
    # 23:30 GMT on 29 March; 00:30 BST on 31 March; 23:30 GMT on 10 March.
    assert minutes == {date(2025, 3, 29): 10, date(2025, 3, 31): 10, date(2025, 3, 10): 10}


def test_a_learner_who_moves_zone_sees_their_days_in_the_new_one(alice):
    # 18:40 UTC on 8 March: 01:40 on 9 March in Jakarta, 00:10 on 9 March in Kolkata.
    # 18:20 UTC on 9 March: 01:20 on 10 March in Jakarta, 23:50 on 9 March in Kolkata.
    practise_at(alice, "2025-03-08T18:40", "2025-03-09T18:20")
    later = utc("2025-03-10T06:00")

    in_jakarta = practice_progress(alice, now=later)
    use_time_zone(alice, "Asia/Kolkata")
    in_kolkata = practice_progress(alice, now=later)

    assert (in_jakarta["current_streak_days"], in_jakarta["longest_streak_days"]) == (2, 2)
    assert (in_kolkata["current_streak_days"], in_kolkata["longest_streak_days"]) == (1, 1)
    assert in_jakarta["turns_total"] == in_kolkata["turns_total"] == 2


# --- The migration fills the counters from an existing history ----------------------------


def figures_from_rows(learner: User, now: datetime) -> dict:
    """The figures the counters stand in for, worked out in Python from every turn, issue
    and session, as progress did before there were counters."""
    zone = ZoneInfo(learner.time_zone)
    days = Counter(
        created.astimezone(zone).date()
        for created in Turn.objects.filter(session__learner=learner, role=Role.LEARNER).values_list(
            "created_at", flat=True
        )
    )
    issues: dict[str, list] = {}
    for code, created in FeedbackIssue.objects.filter(
        learner=learner, kind__in=[FeedbackKind.GRAMMAR, FeedbackKind.PRONUNCIATION]
    ).values_list("code", "created_at"):
        seen = issues.setdefault(code, [0, created])
        seen[0] += 1
        seen[1] = max(seen[1], created)
    ranked = sorted(issues, key=lambda code: (-issues[code][0], -issues[code][1].timestamp(), code))
    seconds = 0
    for session in PracticeSession.objects.filter(learner=learner):
        last = session.turns.order_by("-created_at").values_list("created_at", flat=True).first()
        end = session.ended_at or last or session.started_at
        seconds += max(0, min(int((end - session.started_at).total_seconds()), 3 * 60 * 60))
    today = now.astimezone(zone).date()
    streak, day = 0, today if today in days else today - timedelta(days=1)
    while day in days:
        streak, day = streak + 1, day - timedelta(days=1)
    return {
        "turns_total": sum(days.values()),
        "current_streak_days": streak,
        "practice_days": sorted(days),
        "common_issues": ranked[:5],
        "total_practice_time_minutes": int(seconds / 60 + 0.5),
    }


def build_history_at_0008(apps, email: str, time_zone: str) -> None:
    """Practice around the learner's midnights, open and ended sessions, issues with ties,
    written with the models as they were before the counters."""
    UserAt = apps.get_model("tutor", "User")
    Session = apps.get_model("tutor", "PracticeSession")
    TurnAt = apps.get_model("tutor", "Turn")
    Issue = apps.get_model("tutor", "FeedbackIssue")
    learner = UserAt.objects.create(email=email, name="Old", time_zone=time_zone)
    codes = ["article", "past_tense", "th_voiceless", "plural"]
    for day in range(12):
        started = NOON_IN_JAKARTA - timedelta(days=day, hours=day * 2, minutes=7 * day)
        session = Session.objects.create(
            learner=learner,
            mode=Mode.LIVE_CONVERSATION,
            started_at=started,
            ended_at=None if day % 3 == 2 else started + timedelta(minutes=9),
        )
        for position in range(1, 9):
            turn = TurnAt.objects.create(
                session=session,
                position=position,
                role=Role.TUTOR if position % 2 else Role.LEARNER,
                text=f"Turn {position}",
                created_at=started + timedelta(minutes=2 * position),
            )
            if turn.role == Role.LEARNER and (day + position) % 3:
                code = codes[(day * position) % len(codes)]
                Issue.objects.create(
                    learner=learner,
                    session=session,
                    turn=turn,
                    kind=FeedbackKind.PRONUNCIATION if code.startswith("th") else "grammar",
                    code=code,
                    created_at=turn.created_at,
                )
            if position == 4:
                Issue.objects.create(
                    learner=learner,
                    session=session,
                    turn=turn,
                    kind=FeedbackKind.VOCABULARY,
                    code="vocabulary",
                    created_at=turn.created_at,
                )


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_counters_so_the_figures_match_the_rows():
    before = [("tutor", "0008_lessonstep_updated_at")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("tutor")
    executor.migrate(before)
    old_apps = MigrationExecutor(connection).loader.project_state(before).apps
    build_history_at_0008(old_apps, "jakarta@example.com", "Asia/Jakarta")
    build_history_at_0008(old_apps, "kolkata@example.com", "Asia/Kolkata")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)

    now = NOON_IN_JAKARTA + timedelta(hours=1)
    for email in ("jakarta@example.com", "kolkata@example.com"):
        learner = User.objects.get(email=email)
        expected = figures_from_rows(learner, now)
        progress = practice_progress(learner, now=now)
        assert expected["turns_total"] == 12 * 4
        assert progress["turns_total"] == expected["turns_total"]
        assert progress["current_streak_days"] == expected["current_streak_days"]
        assert progress["common_issues"] == expected["common_issues"]
        assert progress["total_practice_time_minutes"] == expected["total_practice_time_minutes"]
        assert sum(tallies(learner).values()) == 12 * 4
        assert ("vocabulary", "vocabulary") not in issue_counts(learner)
        for session in PracticeSession.objects.filter(learner=learner):
            assert session.last_turn_at == session.turns.order_by("-position")[0].created_at


# --- Removing rows --------------------------------------------------------------------------


def practise_through_the_api(learner: User, days: int) -> None:
    """A conversation at noon (Jakarta) on each of the last `days` days: started, one typed
    turn with a past-tense mistake, ended."""
    api = client_for(learner)
    for day in reversed(range(days)):
        with time_machine.travel(NOON_IN_JAKARTA - timedelta(days=day), tick=False):
            started = api.post("/api/session/start", {"mode": "live"}, format="json")
            session_id = started.json()["session_id"]
            typed_turn(api, session_id)
            assert api.post(f"/api/session/{session_id}/end").status_code == 200


def test_deleting_a_session_in_the_admin_takes_its_turns_out_of_the_figures(
    admin_client, alice, bob
):
    practise_through_the_api(alice, 3)
    practise_through_the_api(bob, 2)
    oldest = PracticeSession.objects.filter(learner=alice).order_by("started_at").first()
    url = reverse("admin:tutor_practicesession_delete", args=[oldest.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    progress = practice_progress(alice, now=NOON_IN_JAKARTA)
    assert (progress["turns_total"], progress["longest_streak_days"]) == (2, 2)
    assert issue_counts(alice) == {("grammar", "past_tense"): 2}
    assert practice_progress(bob, now=NOON_IN_JAKARTA)["turns_total"] == 2
    assert issue_counts(bob) == {("grammar", "past_tense"): 2}


def test_deleting_feedback_in_the_admin_takes_it_out_of_the_common_issues(admin_client, alice):
    practise_through_the_api(alice, 2)
    url = reverse("admin:tutor_feedbackissue_changelist")
    chosen = FeedbackIssue.objects.filter(learner=alice).values_list("pk", flat=True)

    response = admin_client.post(
        url, {"action": "delete_selected", "_selected_action": list(chosen), "post": "yes"}
    )

    assert response.status_code == 302
    assert common_issues(alice) == []
    assert practice_progress(alice, now=NOON_IN_JAKARTA)["turns_total"] == 2


def test_a_deleted_account_leaves_no_counters(alice, bob):
    practise_through_the_api(alice, 2)
    practise_through_the_api(bob, 1)

    delete_account(user=alice)

    assert set(TurnTally.objects.values_list("learner", flat=True)) == {bob.pk}
    assert set(IssueTally.objects.values_list("learner", flat=True)) == {bob.pk}


# --- Cost -----------------------------------------------------------------------------------


def counted_history(learner: User, sessions: int, turns_per_session: int) -> None:
    """Sessions a day apart back from yesterday, each turn counted as it is written."""
    for n in range(sessions):
        started = NOON_IN_JAKARTA - timedelta(days=n + 1)
        session = PracticeSession.objects.create(
            learner=learner, mode=Mode.LIVE_CONVERSATION, started_at=started
        )
        turns = Turn.objects.bulk_create(
            Turn(
                session=session,
                position=p,
                role=Role.LEARNER if p % 2 else Role.TUTOR,
                text="Hi",
                created_at=started + timedelta(seconds=30 * p),
            )
            for p in range(1, turns_per_session + 1)
        )
        issues = FeedbackIssue.objects.bulk_create(
            FeedbackIssue(
                learner=learner, session=session, turn=t, kind="grammar", code=f"code_{p % 7}"
            )
            for p, t in enumerate(turns)
            if t.role == Role.LEARNER
        )
        record_turns(session=session, turns=turns, issues=issues)


def test_the_progress_endpoint_takes_the_same_queries_and_reads_no_turn_for_any_history(
    alice, alice_api, bob, bob_api, django_assert_num_queries
):
    counted_history(alice, sessions=1, turns_per_session=10)
    counted_history(bob, sessions=50, turns_per_session=20)

    with time_machine.travel(NOON_IN_JAKARTA, tick=False):
        with django_assert_num_queries(TOKEN_QUERIES + 5):
            small = alice_api.get("/api/user/progress")
        with (
            django_assert_num_queries(TOKEN_QUERIES + 5),
            CaptureQueriesContext(connection) as queries,
        ):
            large = bob_api.get("/api/user/progress")

    assert (small.json()["turns_total"], large.json()["turns_total"]) == (5, 500)
    assert large.json()["current_streak_days"] == 50
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"tutor_turn"' not in read
    assert '"tutor_feedbackissue"' not in read
