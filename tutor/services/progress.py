"""What a learner has achieved so far (GET /api/user/progress, the profile's common issues).

A selector: it only reads. Each figure comes from one query over the learner's rows, and the
database aggregates them (sums, counts, per-day groups in the learner's zone), so both the
number of queries (5 for `practice_progress`) and the rows they return stay fixed whatever
the learner's history; only the streaks' rows grow, one per practice day.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone

from tutor.models import (
    CardState,
    FeedbackIssue,
    FeedbackKind,
    PracticeSession,
    PronunciationAttempt,
    Role,
    Turn,
    User,
    VocabularyItem,
)

# A session left open overnight is not a night of practice.
MAX_SESSION_SECONDS = 3 * 60 * 60
DAILY_MINUTES_DAYS = 30

# Vocabulary rows record words Macca taught, not mistakes the learner made.
_MISTAKE_KINDS = (FeedbackKind.GRAMMAR, FeedbackKind.PRONUNCIATION)


def common_issues(learner: User, *, limit: int = 5) -> list[str]:
    """The learner's most frequent grammar and pronunciation issue codes, most frequent first;
    a tie goes to the code seen most recently, since that is what the learner is working on."""
    rows = (
        FeedbackIssue.objects.filter(learner=learner, kind__in=_MISTAKE_KINDS)
        .values("code")
        .annotate(times=Count("id"), last_seen=Max("created_at"))
        .order_by("-times", "-last_seen", "code")[:limit]
    )
    return [row["code"] for row in rows]


def session_seconds(session: PracticeSession) -> int:
    """How long a session lasted, in whole seconds, for totals and the per-day chart.

    Duration = (ended_at, or else the time of its last turn, or else started_at) − started_at,
    never negative and capped at 3 hours: an open session stops counting at its last turn, and
    one left open overnight does not become a day of practice. A session annotated with
    `last_turn_at` uses it; any other open session costs a query. `_capped_duration` is the
    same rule as a database expression, for the totals.
    """
    end = session.ended_at or _last_turn_at(session) or session.started_at
    seconds = int((end - session.started_at).total_seconds())
    return max(0, min(seconds, MAX_SESSION_SECONDS))


def practice_progress(learner: User, *, now: datetime | None = None) -> dict:
    """The learner's progress figures, counted in their own calendar (`learner.time_zone`).

    - A practice day is a calendar day in the learner's zone on which they sent at least one
      learner turn.
    - current_streak_days: consecutive practice days ending today, or ending yesterday while
      today has no practice yet (the streak is not shown as broken in the morning); else 0.
    - longest_streak_days: the longest run of consecutive practice days ever.
    - Session durations are as in `session_seconds`; daily_minutes gives each session's duration
      to the day (learner's zone) it started, for the last 30 days, oldest first, today last.
    - pronunciation_average: the mean `overall` score rounded half up, or None without attempts.

    The database does the counting: no query returns a row per session or turn. The largest
    answer is one row per practice day (for the streaks), so the Python work grows with the
    days a learner has practised, never with their turns.
    """
    zone = ZoneInfo(learner.time_zone)
    today = (now or timezone.now()).astimezone(zone).date()
    first_day = today - timedelta(days=DAILY_MINUTES_DAYS - 1)

    totals, seconds_per_day = _session_totals(learner, zone=zone, since=first_day)
    turns_per_day = _learner_turns_per_day(learner, zone)
    current, longest = _streaks(set(turns_per_day), today=today)
    average = PronunciationAttempt.objects.filter(learner=learner).aggregate(avg=Avg("overall"))

    days = (first_day + timedelta(days=n) for n in range(DAILY_MINUTES_DAYS))
    return {
        "sessions_completed": totals["completed"],
        "total_practice_time_minutes": _round_half_up(totals["seconds"] / 60),
        "common_issues": common_issues(learner),
        # Learned = reviewed to a stable state, not merely saved to the list.
        "vocabulary_learned": VocabularyItem.objects.filter(
            learner=learner, state=CardState.REVIEW
        ).count(),
        "turns_total": sum(turns_per_day.values()),
        "current_streak_days": current,
        "longest_streak_days": longest,
        "pronunciation_average": (
            None if average["avg"] is None else _round_half_up(average["avg"])
        ),
        "daily_minutes": [
            {"date": day, "minutes": _round_half_up(seconds_per_day.get(day, 0) / 60)}
            for day in days
        ],
    }


def _capped_duration() -> ExpressionWrapper:
    """`session_seconds` as a database expression over a PracticeSession row: (ended_at, or
    else its last turn's time, or else started_at) − started_at, within 0 and 3 hours."""
    last_turn_at = (
        Turn.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    end = Coalesce("ended_at", Subquery(last_turn_at), "started_at")
    elapsed = ExpressionWrapper(end - F("started_at"), output_field=DurationField())
    return Least(
        Greatest(elapsed, Value(timedelta(0), output_field=DurationField())),
        Value(timedelta(seconds=MAX_SESSION_SECONDS), output_field=DurationField()),
    )


def _session_totals(
    learner: User, *, zone: ZoneInfo, since: date
) -> tuple[dict[str, float], dict[date, float]]:
    """({completed, seconds} over all sessions, seconds per start day from `since` on), in one
    query of at most 31 rows: sessions are grouped by the day they started in `zone`, and every
    session that started before `since` falls into one group without a day."""
    since_start = datetime.combine(since, time.min, tzinfo=zone)
    rows = (
        PracticeSession.objects.filter(learner=learner)
        .annotate(
            day=Case(
                When(started_at__gte=since_start, then=TruncDate("started_at", tzinfo=zone)),
                default=None,
                output_field=DateField(),
            )
        )
        .values("day")
        .annotate(
            completed=Count("id", filter=Q(ended_at__isnull=False)),
            duration=Sum(_capped_duration()),
        )
        .order_by()
    )
    totals = {"completed": 0, "seconds": 0.0}
    per_day: dict[date, float] = {}
    for row in rows:
        seconds = row["duration"].total_seconds() if row["duration"] else 0.0
        totals["completed"] += row["completed"]
        totals["seconds"] += seconds
        if row["day"] is not None:
            per_day[row["day"]] = seconds
    return totals, per_day


def _last_turn_at(session: PracticeSession) -> datetime | None:
    if hasattr(session, "last_turn_at"):
        return session.last_turn_at
    return session.turns.aggregate(last=Max("created_at"))["last"]


def _learner_turns_per_day(learner: User, zone: ZoneInfo) -> dict[date, int]:
    """Learner turns counted per calendar day in `zone`, one row per practice day. The database
    converts each time to the zone before taking its date (AT TIME ZONE on PostgreSQL, Django's
    function on SQLite)."""
    rows = (
        Turn.objects.filter(session__learner=learner, role=Role.LEARNER)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(turns=Count("id"))
        .order_by("day")
    )
    return {row["day"]: row["turns"] for row in rows}


def _streaks(practice_days: set[date], *, today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive practice days; O(practice days)."""
    one_day = timedelta(days=1)
    day = today if today in practice_days else today - one_day
    current = 0
    while day in practice_days:
        current += 1
        day -= one_day

    longest = run = 0
    previous: date | None = None
    for day in sorted(practice_days):
        run = run + 1 if previous is not None and day - previous == one_day else 1
        longest = max(longest, run)
        previous = day
    return current, longest


def _round_half_up(value: float) -> int:
    """Learners expect 72.5 to show as 73; Python's round() would give 72."""
    return math.floor(value + 0.5)
