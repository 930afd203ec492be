"""Keeps the counters progress reads (`tutor.models.tallies`, `PracticeSession.last_turn_at`)
in step with the turns and feedback issues they count.

Every writer of turns or issues calls `record_turns` in its own transaction, so the counters
commit or roll back with the rows. A writer that removes rows, or one that bulk-loads them
without going through a turn (the admin's deletes, the benchmarks), calls `recount` for the
learners concerned, which rebuilds their counters from the rows in a few grouped statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Max, OuterRef, Q, Subquery

from tutor.models import (
    FeedbackIssue,
    FeedbackKind,
    IssueTally,
    PracticeSession,
    Role,
    Turn,
    TurnTally,
)
from tutor.models.tallies import QUARTER_SECONDS

# Vocabulary feedback teaches words; it counts no mistake.
MISTAKE_KINDS = (FeedbackKind.GRAMMAR, FeedbackKind.PRONUNCIATION)


def quarter_of(moment: datetime) -> int:
    """The UTC quarter-hour `moment` falls in, counted from the epoch (`TurnTally.quarter`):
    10:07:59 UTC and 10:00 UTC are the same quarter, 10:15 the next."""
    return int(moment.timestamp()) // QUARTER_SECONDS


def record_turns(
    *,
    session: PracticeSession,
    turns: Sequence[Turn],
    issues: Iterable[FeedbackIssue] = (),
) -> None:
    """Counts turns just written to `session`, and the feedback issues on them: the session's
    `last_turn_at` moves forward, each learner turn adds one to the learner's quarter-hour,
    each grammar or pronunciation issue one to its code (and `last_seen`). Up to three small
    statements (upserts for the counters), whatever the learner's history; call it in the
    transaction that wrote the rows."""
    if turns:
        latest = max(turn.created_at for turn in turns)
        PracticeSession.objects.filter(pk=session.pk).filter(
            Q(last_turn_at__isnull=True) | Q(last_turn_at__lt=latest)
        ).update(last_turn_at=latest)
        if session.last_turn_at is None or session.last_turn_at < latest:
            session.last_turn_at = latest

    quarters: dict[int, int] = {}
    for turn in turns:
        if turn.role == Role.LEARNER:
            quarter = quarter_of(turn.created_at)
            quarters[quarter] = quarters.get(quarter, 0) + 1
    if quarters:
        _upsert(
            TurnTally,
            ["learner", "quarter", "turns"],
            [(session.learner_id, quarter, n) for quarter, n in sorted(quarters.items())],
            conflict=["learner", "quarter"],
            add=["turns"],
        )

    codes: dict[tuple[str, str], list] = {}
    for issue in issues:
        if issue.kind in MISTAKE_KINDS:
            seen = codes.setdefault((issue.kind, issue.code), [0, issue.created_at])
            seen[0] += 1
            seen[1] = max(seen[1], issue.created_at)
    if codes:
        _upsert(
            IssueTally,
            ["learner", "kind", "code", "times", "last_seen"],
            [
                (session.learner_id, kind, code, times, last_seen)
                # Always in the same order, so two turns' upserts never wait on each other
                # in opposite orders (a deadlock on PostgreSQL).
                for (kind, code), (times, last_seen) in sorted(codes.items())
            ],
            conflict=["learner", "kind", "code"],
            add=["times"],
            latest=["last_seen"],
        )


def recount(learner_ids: Iterable) -> None:
    """Rebuilds the counters of these learners from their turns and feedback issues: after
    rows were deleted (the admin) or loaded in bulk. Grouped statements in the database, no
    row per turn in Python."""
    ids = list(dict.fromkeys(learner_ids))
    if not ids:
        return
    with transaction.atomic():
        PracticeSession.objects.filter(learner__in=ids).update(
            last_turn_at=Subquery(
                Turn.objects.filter(session=OuterRef("pk"))
                .order_by()
                .values("session")
                .annotate(last=Max("created_at"))
                .values("last")
            )
        )
        TurnTally.objects.filter(learner__in=ids).delete()
        IssueTally.objects.filter(learner__in=ids).delete()
        learner = TurnTally._meta.get_field("learner")
        marks = ", ".join(["%s"] * len(ids))
        params = [learner.get_db_prep_value(pk, connection) for pk in ids]
        with connection.cursor() as cursor:
            quarter = _quarter_sql("t.created_at")
            cursor.execute(
                f"INSERT INTO {TurnTally._meta.db_table} (learner_id, quarter, turns) "
                f"SELECT s.learner_id, {quarter}, COUNT(*) "
                f"FROM {Turn._meta.db_table} t "
                f"JOIN {PracticeSession._meta.db_table} s ON s.id = t.session_id "
                f"WHERE t.role = %s AND s.learner_id IN ({marks}) "
                f"GROUP BY s.learner_id, {quarter}",
                [Role.LEARNER.value, *params],
            )
            cursor.execute(
                f"INSERT INTO {IssueTally._meta.db_table} "
                "(learner_id, kind, code, times, last_seen) "
                "SELECT learner_id, kind, code, COUNT(*), MAX(created_at) "
                f"FROM {FeedbackIssue._meta.db_table} "
                f"WHERE kind IN (%s, %s) AND learner_id IN ({marks}) "
                "GROUP BY learner_id, kind, code",
                [*(kind.value for kind in MISTAKE_KINDS), *params],
            )


def _quarter_sql(column: str) -> str:
    """`quarter_of` as SQL over a timestamp column (PostgreSQL, or SQLite's UTC text)."""
    if connection.vendor == "postgresql":
        return f"floor(extract(epoch FROM {column}) / 900)::integer"
    return f"CAST(strftime('%%s', {column}) AS INTEGER) / 900"


def _upsert(
    model,
    fields: list[str],
    rows: list[tuple],
    *,
    conflict: list[str],
    add: list[str],
    latest: Sequence[str] = (),
) -> None:
    """INSERT … ON CONFLICT DO UPDATE (PostgreSQL and SQLite both have it): new rows are
    inserted, existing ones get the new counts added and keep the later of two times."""
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    quoted = {name: connection.ops.quote_name(meta.get_field(name).column) for name in fields}
    updates = [f"{quoted[name]} = {table}.{quoted[name]} + excluded.{quoted[name]}" for name in add]
    updates += [
        f"{quoted[name]} = CASE WHEN excluded.{quoted[name]} > {table}.{quoted[name]} "
        f"THEN excluded.{quoted[name]} ELSE {table}.{quoted[name]} END"
        for name in latest
    ]
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {table} ({', '.join(quoted[name] for name in fields)}) "
        f"VALUES {', '.join([placeholders] * len(rows))} "
        f"ON CONFLICT ({', '.join(quoted[name] for name in conflict)}) "
        f"DO UPDATE SET {', '.join(updates)}"
    )
    prepared = [meta.get_field(name) for name in fields]
    params = [
        field.get_db_prep_value(value, connection)
        for row in rows
        for field, value in zip(prepared, row, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
