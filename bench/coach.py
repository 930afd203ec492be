"""make bench-coach: the offline coach's grammar checks, measured in one run.

Accuracy: on each split of the corpus, the share of learner sentences whose better
sentence is one of the corrections a teacher accepts ("caught"), and the false alarms
(correct sentences that got any correction). The splits:

- dev: tests/grammar_corpus.py, the half the checks were written against;
- held_out: the corpus's other half, measured, not tuned on (its correct sentences
  are run by the test suite, so a false alarm there was fixed when seen);
- unseen_dev and unseen_held_out: bench/grammar_unseen.py, written by a second author
  after the checks, with other topics, names and sentence frames. Its first
  measurement (0.63 caught, 2 false alarms in 123) was made before anyone read it;
  then unseen_dev was read to make the checks more general, and unseen_held_out only
  measured (one false alarm it showed in this benchmark's output was fixed).

Cost: the memory and time spaCy's pipeline takes to load, and the coach's time per
turn (coach_reply on one learner turn, grammar checks included), over every corpus
sentence, several rounds.

    python bench/coach.py [--rounds N]

Figures go to stdout and into bench/RESULTS.md."""

from __future__ import annotations

import argparse
import collections
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "macca.settings")

from bench.common import markdown_table, run_main, write_results


def _rss_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def _splits() -> dict[str, tuple[list, list]]:
    from tests import grammar_corpus

    splits: dict[str, tuple[list, list]] = {}
    for name in ("dev", "held_out"):
        splits[name] = (
            [case for case in grammar_corpus.WRONG if case.split == name],
            [case for case in grammar_corpus.RIGHT if case.split == name],
        )
    from bench import grammar_unseen

    for name in grammar_unseen.SPLITS:
        splits[name] = (
            [case for case in grammar_unseen.WRONG if case.split == name],
            [case for case in grammar_unseen.RIGHT if case.split == name],
        )
    return splits


def _accuracy(splits: dict) -> tuple[str, str, list[str]]:
    from providers.grammar import check_grammar

    rows, by_issue, alarms = [], collections.defaultdict(lambda: collections.Counter()), []
    for name, (wrong, right) in splits.items():
        caught = flagged = 0
        for case in wrong:
            better = check_grammar(case.text).better
            hit = better in case.better
            caught += hit
            flagged += better is not None
            for issue in case.issues:
                by_issue[issue][name, "total"] += 1
                by_issue[issue][name, "caught"] += hit
        false_alarms = [case.text for case in right if check_grammar(case.text).points]
        alarms += [f"{name}: {text}" for text in false_alarms]
        rows.append(
            [
                name,
                len(wrong),
                f"{caught / len(wrong):.2f} ({caught})",
                f"{flagged / len(wrong):.2f}",
                len(right),
                f"{len(false_alarms) / len(right):.3f} ({len(false_alarms)})",
            ]
        )
    table = markdown_table(
        [
            "split",
            "learner sentences",
            "caught (better sentence right)",
            "any correction",
            "correct sentences",
            "false alarms",
        ],
        rows,
    )
    names = list(splits)
    issue_rows = []
    for issue in sorted(by_issue):
        cells = [issue]
        for name in names:
            total = by_issue[issue][name, "total"]
            cells.append(f"{by_issue[issue][name, 'caught']}/{total}" if total else "–")
        issue_rows.append(cells)
    issue_table = markdown_table(["issue", *names], issue_rows)
    return table, issue_table, alarms


def _cost(splits: dict, rounds: int) -> tuple[str, dict]:
    from providers.coach import coach_reply
    from providers.local import PARSER
    from providers.schemas import LearnerProfile, PracticeContext

    before = _rss_mb()
    started = time.perf_counter()
    PARSER.get()
    load_seconds = time.perf_counter() - started
    added = _rss_mb() - before
    texts = [case.text for wrong, right in splits.values() for case in (*wrong, *right)]
    profile, context = LearnerProfile(name="Siti"), PracticeContext(topic="daily life")
    for text in texts[:20]:  # warm
        coach_reply(profile, context, [], text)
    times = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            coach_reply(profile, context, [], text)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    figures = {
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95)],
        "max": times[-1],
        "load": load_seconds,
        "memory": added,
        "turns": len(times),
        "rss": _rss_mb(),
    }
    table = markdown_table(
        ["measure", "value"],
        [
            ["coach time per turn, p50", f"{figures['p50']:.1f} ms"],
            ["coach time per turn, p95", f"{figures['p95']:.1f} ms"],
            ["coach time per turn, max", f"{figures['max']:.1f} ms"],
            ["turns timed", figures["turns"]],
            ["spaCy pipeline load", f"{figures['load']:.2f} s"],
            ["memory the pipeline adds (RSS)", f"{figures['memory']:.0f} MB"],
        ],
    )
    return table, figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="times each sentence is timed")
    args = parser.parse_args()
    import django

    django.setup()
    splits = _splits()
    cost_table, figures = _cost(splits, args.rounds)
    table, issue_table, alarms = _accuracy(splits)
    print(table, "\n", issue_table, "\n", cost_table, sep="\n")
    for alarm in alarms:
        print("false alarm:", alarm)
    body = f"""
What the offline coach's grammar checks (providers/grammar.py: spaCy's en_core_web_sm
3.8.0 tagger and parser, lemminflect for the forms) make of learner sentences written by
hand for Indonesian speakers' most common mistakes. "Caught" means the better sentence
is exactly one of the corrections a teacher accepts; "any correction" counts every
sentence that got one, right or not. A false alarm is a correct sentence that got any
correction. dev is the half the checks were written against; held_out the other half
of tests/grammar_corpus.py (measured; its correct sentences are in the test suite, so a
false alarm there gets fixed). bench/grammar_unseen.py was written by a second author
after the checks, on other topics and sentence frames; measured first as a whole (0.63
caught, 2 false alarms in 123 correct sentences), then unseen_dev was read to make the
checks more general and unseen_held_out only measured. One false alarm it showed here
("Our youngest son turned six last week" → "weeks") was fixed after it was seen.

{table}

By issue (caught / sentences with that mistake):

{issue_table}

Cost, on this machine, {figures["turns"]} turns of `coach_reply` in one process (the goal
was at most 15 ms p50):

{cost_table}

Synthetic sentences written to test the checks, not learners' transcripts: real
learners' speech, through a recogniser, will be messier. See the README.
"""
    write_results("Offline coach grammar (make bench-coach)", body)
    return 0


if __name__ == "__main__":
    run_main(main)
