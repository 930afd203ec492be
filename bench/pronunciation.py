"""make bench-pronunciation: how well the acoustic judge hears Indonesian-typical
substitutions, measured in one run on a corpus built now with the local voices.

Corpus: for each substitution type, words carrying the sound, each in a carrier
sentence, read by two synthetic voices (piper's joe, which reads IPA inside [[ ]], and
espeak-ng, which reads its own phoneme mnemonics), once with the sound said the way
Indonesian learners often say it (θ→t, v→p, a dropped final /t/ …) and once correctly.
Words alternate between a calibration half and a held-out half, so no word or sentence
of the held-out half was seen when thresholds were chosen.

On the calibration half, each type's threshold is the lowest variant margin that keeps
false alarms on correct readings at or under the target rate (silence is preferred to a
false alarm). On the held-out half: recall (the word flagged for that sound), whether the
heard sound was named right, the false-alarm rate (a correct word flagged for the type),
and the AUC of the margin; then the judge's real-time factor.

    python bench/pronunciation.py [--words N] [--write-thresholds]

Figures go to stdout and into bench/RESULTS.md. Synthetic voices, not learners: see the
README for what these figures do and do not say."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "macca.settings")

from bench.common import markdown_table, run_main, write_results

TARGET_RECALL = 0.85
TARGET_FALSE_ALARMS = 0.05
CALIBRATION_FALSE_ALARMS = 0.02  # stricter on the calibration half: prefer silence
GOP_WEIGHTS = (0.0, 0.3, 1.0)  # tried on the calibration half, smallest first
WEIGHT_MARGIN = 0.03
MIN_THRESHOLD = 2.0  # a variant must fit clearly better, however few the negatives seen

CARRIERS = ["Say {} again.", "I can say {} now.", "Please read {} slowly.", "We heard {} today."]

# code: (target sound, the substitutes to rotate through, words carrying the sound)
TYPES: dict[str, tuple[str, list[str], list[str]]] = {
    "th_voiceless": (
        "θ",
        ["t", "s", "f"],
        ["think", "three", "thank", "thin", "bath", "mouth", "month", "both", "nothing",
         "health"],
    ),
    "th_voiced": (
        "ð",
        ["d"],
        ["this", "that", "they", "mother", "brother", "weather", "them", "those", "father",
         "other"],
    ),
    "v": (
        "v",
        ["f", "p"],
        ["very", "voice", "seven", "river", "live", "love", "visit", "van", "give", "over"],
    ),
    "f": (
        "f",
        ["p"],
        ["food", "family", "coffee", "fish", "phone", "after", "fine", "wife", "life", "fun"],
    ),
    "z": (
        "z",
        ["s"],
        ["zoo", "zero", "lazy", "busy", "easy", "rose", "music", "nose", "size", "choose"],
    ),
    "sh": (
        "ʃ",
        ["s"],
        ["she", "shop", "wash", "shoe", "ship", "push", "shirt", "sugar", "nation", "fresh"],
    ),
    "ch": (
        "tʃ",
        ["s", "ʃ", "t"],
        ["church", "cheap", "chair", "watch", "teacher", "lunch", "kitchen", "chicken",
         "much", "beach"],
    ),
    "final_consonant": (
        "final",
        [""],
        ["cat", "good", "book", "night", "bed", "cake", "hot", "road", "seat", "bag"],
    ),
    "ae": (
        "æ",
        ["ɛ"],
        ["bad", "man", "black", "hat", "apple", "happy", "map", "back", "pan", "sad"],
    ),
    "ee": (
        "iː",
        ["ɪ"],
        ["sheep", "eat", "green", "leave", "feel", "team", "meat", "sleep", "keep", "week"],
    ),
}  # fmt: skip
VOICES = ["piper", "espeak"]


@dataclass
class Reading:
    code: str  # the substitution type the item was built for
    word: str
    index: int  # the word's position in the sentence
    sentence: str
    voice: str
    substituted: bool
    heard: str  # the substitute said, "" for a dropped sound
    half: str  # "calibration" or "held-out"
    words: list  # the judge's WordJudgements
    seconds: float  # audio
    compute: float  # judge seconds


def _speak(sentence: str, changes: dict, voice: str, cache: Path | None):
    """16 kHz samples of the reading, from the cache directory when it holds them."""
    import hashlib

    import numpy as np

    from providers.audio import decode, wav_bytes
    from tests.audio import mispronounced, with_silence

    key = hashlib.sha256(repr((sentence, sorted(changes.items()), voice)).encode()).hexdigest()
    path = cache / f"{key[:24]}.npy" if cache else None
    if path and path.exists():
        return np.load(path)
    samples, rate = mispronounced(sentence, changes, voice)
    audio = with_silence(np.asarray(samples, np.float32), rate, 0.3, 0.4)
    pcm = decode(wav_bytes(audio, rate), max_seconds=60).samples
    if path:
        np.save(path, pcm)
    return pcm


def build_and_judge(words_per_type: int, cache: Path | None) -> list[Reading]:
    from tutor.services.judge import judge

    readings: list[Reading] = []
    n = 0
    for code, (target, substitutes, words) in TYPES.items():
        for w, word in enumerate(words[:words_per_type]):
            sentence = CARRIERS[w % len(CARRIERS)].format(word)
            index = [t.strip(".").lower() for t in sentence.split()].index(word)
            half = "calibration" if w % 2 == 0 else "held-out"
            for voice in VOICES:
                heard = substitutes[n % len(substitutes)]
                n += 1
                for substituted in (True, False):
                    changes = {index: (target, heard)} if substituted else {}
                    pcm = _speak(sentence, changes, voice, cache)
                    started = time.perf_counter()
                    judged = judge(pcm, sentence)
                    compute = time.perf_counter() - started
                    readings.append(
                        Reading(code, word, index, sentence, voice, substituted, heard, half,
                                judged.words, len(pcm) / 16_000, compute)
                    )  # fmt: skip
            print(f"  {code:16} {word:10} judged", file=sys.stderr)
    return readings


def _evidence(word, code: str) -> float | None:
    """The word's strongest evidence that the type's sound was substituted (None: the
    type was not tried on this word)."""
    values = [t.evidence for t in word.trials if t.candidate.code == code]
    values = [v for v in values if v is not None]
    return max(values) if values else None


def split(readings: list[Reading], half: str, voice: str | None = None):
    """{code: (positives, negatives)} of one half. A positive is the target word of a
    substituted reading, for its type (-inf when nothing of it was tried, e.g. judged not
    said); a negative is any other word the type was tried on, in correct and in
    substituted readings."""
    found: dict[str, tuple[list, list]] = {code: ([], []) for code in TYPES}
    for r in readings:
        if r.half != half or (voice and r.voice != voice):
            continue
        for i, word in enumerate(r.words):
            target = r.substituted and i == r.index
            for code in TYPES:
                value = _evidence(word, code)
                if target and code == r.code:
                    found[code][0].append((float("-inf") if value is None else value, r))
                elif value is not None and not target:
                    found[code][1].append((value, r))
    return found


def choose_threshold(negatives: list[float]) -> float:
    """The lowest threshold with at most CALIBRATION_FALSE_ALARMS of the negatives above it."""
    ranked = sorted(negatives)
    allowed = int(CALIBRATION_FALSE_ALARMS * len(ranked))
    if not ranked:
        return MIN_THRESHOLD
    return max(MIN_THRESHOLD, round(ranked[len(ranked) - allowed - 1] + 0.01, 2))


def calibrate(readings: list[Reading]) -> dict[str, float]:
    return {
        code: choose_threshold([n for n, _ in neg])
        for code, (_, neg) in split(readings, "calibration").items()
    }


def auc(positives: list[float], negatives: list[float]) -> float | None:
    if not positives or not negatives:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def evaluate(readings: list[Reading], thresholds: dict, half: str, voice: str | None = None):
    """Per type: evidence minus threshold of positives and negatives, and of the flagged
    positives how many named the heard sound right."""
    from tutor.services.judge import _ARPABET_BY_IPA, flag_sounds

    table = {}
    for code, (pos, neg) in split(readings, half, voice).items():
        named = flagged = 0
        for value, r in pos:
            if value > thresholds[code]:
                flags = [
                    f
                    for f in flag_sounds(r.words[r.index].trials, thresholds)
                    if f.candidate.code == code
                ]
                expected = _ARPABET_BY_IPA.get(r.heard, "") if r.heard else ""
                flagged += 1
                named += bool(flags) and flags[0].candidate.heard == expected
        table[code] = {
            "pos": [v - thresholds[code] for v, _ in pos],
            "neg": [v - thresholds[code] for v, _ in neg],
            "named": named,
            "flagged": flagged,
        }
    return table


def summary(table) -> tuple[float, float, int, int]:
    pos = [p for row in table.values() for p in row["pos"]]
    neg = [n for row in table.values() for n in row["neg"]]
    recall = sum(p > 0 for p in pos) / max(len(pos), 1)
    false_alarms = sum(n > 0 for n in neg) / max(len(neg), 1)
    return recall, false_alarms, len(pos), len(neg)


def choose_gop_weight(readings: list[Reading]) -> float:
    """The weight of the GOP cue with the best recall on the calibration half itself; a
    larger weight must win by more than WEIGHT_MARGIN (noise, on a corpus this size)."""
    from tutor.services import judge

    chosen, best = GOP_WEIGHTS[0], -1.0
    for weight in GOP_WEIGHTS:
        judge.GOP_WEIGHT = weight
        recall, _, _, _ = summary(evaluate(readings, calibrate(readings), "calibration"))
        print(f"GOP weight {weight}: calibration recall {recall:.2f}", file=sys.stderr)
        if recall > best + WEIGHT_MARGIN:
            chosen, best = weight, recall
    judge.GOP_WEIGHT = chosen
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=10, help="words per substitution type")
    parser.add_argument("--cache", type=Path, help="keep the synthesised corpus here")
    args = parser.parse_args()
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from providers.local import ESPEAK, PHONES, PIPER
    from tutor.services.judge import flag_sounds

    started = time.perf_counter()
    for engine in (PHONES, PIPER, ESPEAK):
        engine.get()
    print(f"engines loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    readings = build_and_judge(args.words, args.cache)

    weight = choose_gop_weight(readings)
    thresholds = calibrate(readings)
    table = evaluate(readings, thresholds, "held-out")

    rows = []
    for code, row in table.items():
        pos, neg = row["pos"], row["neg"]
        area = auc(pos, neg)
        rows.append(
            [code, len(pos), len(neg), f"{sum(p > 0 for p in pos) / len(pos):.2f}" if pos else "–",
             f"{row['named']}/{row['flagged']}",
             f"{sum(n > 0 for n in neg) / len(neg):.3f}" if neg else "–",
             f"{area:.2f}" if area is not None else "–"]
        )  # fmt: skip
    recall, false_alarms, n_pos, n_neg = summary(table)
    by_voice = []
    for voice in VOICES:
        v_recall, v_fa, v_pos, v_neg = summary(evaluate(readings, thresholds, "held-out", voice))
        by_voice.append([voice, v_pos, v_neg, f"{v_recall:.2f}", f"{v_fa:.3f}"])
    named = sum(row["named"] for row in table.values())
    flagged = sum(row["flagged"] for row in table.values())
    audio = sum(r.seconds for r in readings)
    compute = sum(r.compute for r in readings)
    rtfs = sorted(r.compute / r.seconds for r in readings)
    correct = [r for r in readings if not r.substituted and r.half == "held-out"]
    clean = sum(
        1
        for r in correct
        if all(w.said for w in r.words)
        and not any(flag_sounds(w.trials, thresholds) for w in r.words)
    )
    unsaid = sum(1 for r in readings if not r.substituted for w in r.words if not w.said)
    said_total = sum(len(r.words) for r in readings if not r.substituted)

    body = "\n\n".join(
        [
            f"Corpus: {len(readings)} readings of {len({r.sentence for r in readings})} "
            f"sentences by {len(VOICES)} synthetic voices (piper joe, espeak-ng en-us), "
            f"{sum(r.substituted for r in readings)} with one substituted sound over "
            f"{len(TYPES)} types and {sum(not r.substituted for r in readings)} read "
            f"correctly; {audio:.0f} s of audio. Words alternate between a calibration half "
            "and a held-out half. The evidence for a substitution is the variant's margin "
            f"plus {weight} × how badly the expected sound fits (its GOP); a threshold per "
            "type is chosen on the calibration half (false alarms ≤ "
            f"{CALIBRATION_FALSE_ALARMS:.0%} there, never below {MIN_THRESHOLD}); every "
            "figure below is the held-out half, words and sentences never seen in "
            "calibration. A false alarm is a correctly said word flagged for the type.",
            markdown_table(
                [
                    "type",
                    "substituted words",
                    "other words tried",
                    "recall",
                    "heard sound named right",
                    "false-alarm rate",
                    "AUC",
                ],
                rows,
            ),
            markdown_table(
                ["voice", "substituted words", "other words tried", "recall", "false-alarm rate"],
                by_voice,
            ),
            markdown_table(
                ["measure", "value", "goal"],
                [
                    [
                        "recall, all types (held-out)",
                        f"{recall:.2f} of {n_pos}",
                        f"≥ {TARGET_RECALL}",
                    ],
                    [
                        "false-alarm rate, all types (held-out)",
                        f"{false_alarms:.3f} of {n_neg}",
                        f"≤ {TARGET_FALSE_ALARMS}",
                    ],
                    ["heard sound named right, of flagged", f"{named}/{flagged}", ""],
                    [
                        "correct held-out sentences with nothing flagged or missing",
                        f"{clean}/{len(correct)}",
                        "",
                    ],
                    ["words of correct readings judged not said", f"{unsaid}/{said_total}", ""],
                    [
                        "judge real-time factor, median / p95",
                        f"{statistics.median(rtfs):.2f} / {rtfs[int(0.95 * (len(rtfs) - 1))]:.2f}",
                        "",
                    ],
                    ["judge compute, total", f"{compute:.1f} s for {audio:.0f} s of audio", ""],
                ],
            ),
            f"Chosen (`GOP_WEIGHT` = {weight} and `THRESHOLDS` in tutor/services/judge.py "
            "hold these):\n\n"
            "```\n" + "\n".join(f'"{c}": {t},' for c, t in thresholds.items()) + "\n```",
        ]
    )
    print(body)
    write_results("Pronunciation judge (make bench-pronunciation)", body)
    ok = recall >= TARGET_RECALL and false_alarms <= TARGET_FALSE_ALARMS
    state = "met" if ok else "NOT met"
    print(f"\ntarget {state}: recall {recall:.2f}, false alarms {false_alarms:.3f}")
    return 0


if __name__ == "__main__":
    run_main(main)
