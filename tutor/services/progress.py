"""What a learner has achieved so far (GET /api/user/progress, the profile's common issues).

A selector: it only reads. Turns and feedback issues are never scanned: the turn write keeps
counters (`tutor.services.activity`): learner turns per UTC quarter-hour, mistakes per code,
each session's last turn time. Each figure comes from one query the database aggregates
(sums, counts, per-day groups in the learner's zone), so the number of queries (5 for
`practice_progress`) stays fixed, and what the database reads grows with the learner's
sessions and practised quarter-hours, not their turns; the largest answer is about one row per
practice day, for the streaks.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    FloatField,
    Func,
    Max,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone

from tutor.models import (
    CardState,
    IssueTally,
    PracticeSession,
    PronunciationAttempt,
    TurnTally,
    User,
    VocabularyItem,
)

from .activity import MISTAKE_KINDS, QUARTER_SECONDS

# A session left open overnight is not a night of practice.
MAX_SESSION_SECONDS = 3 * 60 * 60
DAILY_MINUTES_DAYS = 30
QUARTERS_PER_DAY = 24 * 4
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def common_issues(learner: User, *, limit: int = 5) -> list[str]:
    """The learner's most frequent grammar and pronunciation issue codes, most frequent first;
    a tie goes to the code seen most recently, since that is what the learner is working on.
    Read from the learner's counts per kind and code (one row each), not from every issue."""
    rows = (
        IssueTally.objects.filter(learner=learner, kind__in=MISTAKE_KINDS)
        .values("code")
        .annotate(times=Sum("times"), last_seen=Max("last_seen"))
        .order_by("-times", "-last_seen", "code")[:limit]
    )
    return [row["code"] for row in rows]


def session_seconds(session: PracticeSession) -> int:
    """How long a session lasted, in whole seconds, for totals and the per-day chart.

    Duration = (ended_at, or else the time of its last turn, or else started_at) − started_at,
    never negative and capped at 3 hours: an open session stops counting at its last turn, and
    one left open overnight does not become a day of practice. The last turn's time is the
    session's `last_turn_at`, kept by the turn write, so this costs no query.
    `_capped_duration` is the same rule as a database expression, for the totals.
    """
    end = session.ended_at or session.last_turn_at or session.started_at
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

    The database does the counting, over counters the turn write keeps: no query reads a row
    per turn or per feedback issue, none returns a row per session. The largest answer is one
    row per practice day (for the streaks), so the Python work grows with the days a learner
    has practised, never with their turns.
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


class _SecondsBetween(Func):
    """(end − start) in seconds, in the database's own arithmetic: Django's datetime
    subtraction on SQLite calls back into Python for every row. To the millisecond on
    SQLite (julianday), to the microsecond on PostgreSQL."""

    arity = 2
    output_field = FloatField()
    template = "EXTRACT(EPOCH FROM (%(expressions)s))::double precision"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="ROUND((julianday(%(expressions)s)) * 86400, 3)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _capped_duration() -> Func:
    """`session_seconds` as a database expression over a PracticeSession row: (ended_at, or
    else last_turn_at, or else started_at) − started_at in seconds, within 0 and 3 hours."""
    end = Coalesce("ended_at", "last_turn_at", "started_at")
    return Least(
        Greatest(_SecondsBetween(end, "started_at"), Value(0.0)),
        Value(float(MAX_SESSION_SECONDS)),
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
        seconds = float(row["duration"] or 0.0)
        totals["completed"] += row["completed"]
        totals["seconds"] += seconds
        if row["day"] is not None:
            per_day[row["day"]] = seconds
    return totals, per_day


def _learner_turns_per_day(learner: User, zone: ZoneInfo) -> dict[date, int]:
    """Learner turns counted per calendar day in `zone`, from the learner's turns per UTC
    quarter-hour, whichever zone the learner has chosen by now. A quarter never straddles a
    local midnight (zones are offset by whole quarter-hours), so each has one local day.

    The database groups the quarters by day with integer arithmetic, no time zone
    conversion per row: with the zone's least and greatest UTC offsets, most quarters fall
    on the same local day either way, and group by it; only a quarter close enough to a
    local midnight for the two to differ (in a zone with summer time) comes back alone, and
    Python asks the zone which day it was. So the answer is about one row per practice day.
    Plain SQL, the same on PostgreSQL and SQLite: through the ORM, each of those rows cost
    twice the time."""
    low, high = _offset_range(zone.key)
    day = f"(quarter + {low}) / {QUARTERS_PER_DAY}"
    if low == high:
        unsure, group = "NULL", "1"
    else:
        later_day = f"(quarter + {high}) / {QUARTERS_PER_DAY}"
        unsure, group = f"CASE WHEN {day} = {later_day} THEN NULL ELSE quarter END", "1, 2"
    table = connection.ops.quote_name(TurnTally._meta.db_table)
    learner_id = TurnTally._meta.get_field("learner").get_db_prep_value(learner.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {day}, {unsure}, SUM(turns) FROM {table} "
            f"WHERE learner_id = %s GROUP BY {group}",
            [learner_id],
        )
        rows = cursor.fetchall()
    per_day: dict[date, int] = {}
    for day_number, quarter, turns in rows:
        if quarter is None:
            local = date.fromordinal(EPOCH_ORDINAL + day_number)
        else:
            local = datetime.fromtimestamp(quarter * QUARTER_SECONDS, tz=zone).date()
        per_day[local] = per_day.get(local, 0) + int(turns)
    return per_day


@lru_cache(maxsize=64)
def _offset_range(zone_key: str) -> tuple[int, int]:
    """The least and greatest UTC offsets the zone has had since 1970, in quarter-hours
    (widened to whole ones), sampled twice a month up to next year: any offset kept for 16
    days or more is seen. Rules, not learner data, so a process may keep them."""
    zone = ZoneInfo(zone_key)
    offsets = {
        datetime(year, month, day, tzinfo=UTC).astimezone(zone).utcoffset().total_seconds()
        for year in range(1970, date.today().year + 2)
        for month in range(1, 13)
        for day in (1, 16)
    }
    return (
        math.floor(min(offsets) / QUARTER_SECONDS),
        math.ceil(max(offsets) / QUARTER_SECONDS),
    )


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
