from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tutor.services.lessons import DEMO_LESSONS, LessonFileError, read_lesson_file, seed_lessons


class Command(BaseCommand):
    help = (
        "Load curated lessons (by default Macca's demo lessons) into the database. "
        "Idempotent: a lesson already present (same slug) is left as admins edited it, "
        "unless --update is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=DEMO_LESSONS,
            help="Lesson file to load (default: the demo lessons, tutor/fixtures/lessons.json).",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Rewrite lessons that already exist, and their steps, from the file.",
        )

    def handle(self, *args, file: Path, update: bool, verbosity: int, **options) -> None:
        try:
            result = seed_lessons(read_lesson_file(file), update=update)
        except LessonFileError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Lessons: {result.created} created, {result.updated} updated, "
                    f"{result.unchanged} unchanged."
                )
            )
