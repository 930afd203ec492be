from __future__ import annotations

import argparse
from datetime import timedelta

from django.core.management.base import BaseCommand

from tutor.services.media import PurgeResult, Tally, purge_media

MAX_DAYS = 36500  # a hundred years; more would overflow the date arithmetic


def days(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of days, got {value!r}"
        ) from None
    if not 1 <= number <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"expected 1 to {MAX_DAYS} days, got {number}")
    return number


def file_size(size: int) -> str:
    """1536 → "1.5 KB" (binary units, one decimal)."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    return f"{value:.1f} {unit}"


def counted(tally: Tally, singular: str, plural: str) -> str:
    return f"{tally.count} {singular if tally.count == 1 else plural} ({file_size(tally.bytes)})"


def summary(result: PurgeResult, *, dry_run: bool) -> str:
    parts = ", ".join(
        (
            counted(result.speech_clips, "speech clip", "speech clips"),
            counted(result.orphan_speech_files, "orphan speech file", "orphan speech files"),
            counted(result.recordings, "expired recording", "expired recordings"),
        )
    )
    return f"Dry run: would remove {parts}." if dry_run else f"Removed {parts}."


class Command(BaseCommand):
    help = (
        "Remove media nothing stored points to: cached tutor speech no turn plays "
        "(row and file, judged by when the clip was last used), speech files without a row, "
        "and learner recordings no turn or attempt points to (both judged by the file's "
        "modified time). A file a stored row points to is never removed, however old. "
        "Safe to run again; meant to run daily."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than",
            type=days,
            required=True,
            metavar="DAYS",
            help="Only remove what is older than this many days (a whole number, at least 1).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be removed, and remove nothing.",
        )

    def handle(self, *args, older_than: int, dry_run: bool, verbosity: int, **options) -> None:
        verb = "Would remove" if dry_run else "Removed"

        def report(kind: str, name: str, size: int) -> None:
            if verbosity >= 2:
                self.stdout.write(f"{verb} {kind} {name or '(no file)'} ({file_size(size)})")

        result = purge_media(older_than=timedelta(days=older_than), dry_run=dry_run, report=report)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(summary(result, dry_run=dry_run)))
