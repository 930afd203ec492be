from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import providers
from providers.doctor import Outcome, check_all


def latency(outcome: Outcome) -> str:
    return "-" if outcome.latency_ms is None else f"{outcome.latency_ms} ms"


def result(outcome: Outcome) -> str:
    if outcome.local:
        return "local (not checked)"
    return "OK" if outcome.ok else f"FAILED: {outcome.reason}"


class Command(BaseCommand):
    help = (
        "Check the remote AI engines as configured: one minimal call per remote task (a "
        "one-line prompt with the app's response_format, a one-second clip, three words "
        "of speech), sent straight to the provider: no retries, no local fallback, and "
        "the learners' circuit breaker is left as it is. Prints each task's provider, "
        "model and latency, or why it failed and the fix; exits 1 when any task fails. "
        "Each run spends a tiny amount of the account's credits."
    )

    def handle(self, *args, verbosity: int, **options) -> None:
        mode, why = providers.ai_mode()
        if mode == "local":
            if verbosity >= 1:
                self.stdout.write(f"local engines: nothing remote to check ({why}).")
            return
        base = settings.OPENAI_BASE_URL if mode == "openai" else settings.HF_API_BASE_URL
        if verbosity >= 1:
            self.stdout.write(f"Checking AI_PROVIDER={mode} at {base}: one call per task.")
        outcomes = check_all()
        self.table(outcomes, verbosity)
        remote = [outcome for outcome in outcomes if not outcome.local]
        failed = [outcome.task for outcome in remote if not outcome.ok]
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(remote)} remote tasks failed: {', '.join(failed)}.",
                returncode=1,
            )
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"All {len(remote)} remote tasks answered."))

    def table(self, outcomes: list[Outcome], verbosity: int) -> None:
        """One line per task (only the failures at --verbosity 0), then what explains it."""
        widths = [
            max(len(value(outcome)) for outcome in outcomes)
            for value in (lambda o: o.provider, lambda o: o.model, latency)
        ]
        for outcome in outcomes:
            if verbosity < 1 and outcome.ok:
                continue
            cells = (outcome.provider, outcome.model, latency(outcome))
            line = "  ".join(
                cell.rjust(width) if index == 2 else cell.ljust(width)
                for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
            )
            style = self.style.SUCCESS if outcome.ok else self.style.ERROR
            self.stdout.write(f"  {outcome.task}  {line}  " + style(result(outcome)))
            notes = []
            if not outcome.ok and outcome.message:
                notes.append(f"the provider said: {outcome.message}")
            if verbosity >= 2 and outcome.url:
                notes.append(f"POST {outcome.url}")
            if verbosity >= 2 and outcome.detail:
                notes.append(outcome.detail)
            if outcome.breaker_open:
                notes.append(
                    "learners get the local fallback for now: the circuit breaker is open "
                    "after earlier failures (it closes when a call succeeds after its cooldown)"
                )
            for note in notes:
                self.stdout.write(f"       {note}")
