"""make bench-pronunciation: how well the acoustic judge hears Indonesian-typical
substitutions, measured in one run on a corpus built now with the local voices.

Corpus: for each substitution type, words carrying the sound, each in a carrier
sentence, read by two synthetic voices (piper's joe, which reads IPA inside [[ ]], and
espeak-ng, which reads its own phoneme mnemonics), once with the sound said the way
Indonesian learners often say it (θ→t, v→p, a dropped final /t/ …) and once correctly.
Words alternate between a calibration half and a held-out half, so no word or sentence
of the held-out half was seen when thresholds were chosen.

On the calibration half, each type's rule (the acoustic evidence's threshold, the floor
under Whisper's log odds of the variant's spelling, the evidence that needs no Whisper)
is the one catching the most substituted words while keeping false alarms on the other
words at or under the target rate (silence is preferred to a false alarm). On the
held-out half: recall (the word flagged for that sound), whether the heard sound was
named right, the false-alarm rate (another word flagged for the type), and the AUC of
the acoustic evidence; then the judge's real-time factor.

    python bench/pronunciation.py [--words N] [--cache DIR]

Figures go to stdout and into bench/RESULTS.md. Synthetic voices, not learners: see the
README for what these figures do and do not say."""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "macca.settings")

from bench.common import markdown_table, run_main, write_results

TARGET_RECALL = 0.85
TARGET_FALSE_ALARMS = 0.05
CALIBRATION_FALSE_ALARMS = 0.02  # stricter on the calibration half: prefer silence

# Each word's carrier is drawn from this pool by a hash of the word, whatever its half, so
# both halves meet every carrier (and its own sounds, which are negatives too).
CARRIERS = [
    "Say {} again.",
    "I can say {} now.",
    "Please read {} slowly.",
    "We heard {} today.",
    "Now say {} to me.",
    "I wrote {} on the board.",
    "Can you say {} again?",
    "My next word is {} today.",
]

# code: (target sound, the substitutes to rotate through, words carrying the sound)
TYPES: dict[str, tuple[str, list[str], list[str]]] = {
    "th_voiceless": (
        "θ",
        ["t", "s", "f"],
        ["think", "three", "thank", "thin", "bath", "mouth", "month", "both", "nothing",
         "health", "thick", "thumb", "third", "thirty", "thousand", "tooth", "earth", "north",
         "path", "birthday"],
    ),
    "th_voiced": (
        "ð",
        ["d"],
        ["this", "that", "they", "mother", "brother", "weather", "them", "those", "father",
         "other", "these", "there", "than", "then", "although", "together", "either",
         "leather", "smooth", "breathe"],
    ),
    "v": (
        "v",
        ["f", "p"],
        ["very", "voice", "seven", "river", "live", "love", "visit", "van", "give", "over",
         "vote", "village", "movie", "never", "every", "heavy", "travel", "drive", "five",
         "wave"],
    ),
    "f": (
        "f",
        ["p"],
        ["food", "family", "coffee", "fish", "phone", "after", "fine", "wife", "life", "fun",
         "fast", "face", "fire", "four", "often", "leaf", "safe", "soft", "free", "fork"],
    ),
    "z": (
        "z",
        ["s"],
        ["zoo", "zero", "lazy", "busy", "easy", "rose", "music", "nose", "size", "choose",
         "zip", "zone", "dozen", "puzzle", "jazz", "prize", "freeze", "noise", "cousin",
         "reason"],
    ),
    "sh": (
        "ʃ",
        ["s"],
        ["she", "shop", "wash", "shoe", "ship", "push", "shirt", "sugar", "nation", "fresh",
         "shoulder", "sheet", "shine", "short", "shower", "fashion", "cash", "dish", "finish",
         "ocean"],
    ),
    "ch": (
        "tʃ",
        ["s", "ʃ", "t"],
        ["church", "cheap", "chair", "watch", "teacher", "lunch", "kitchen", "chicken",
         "much", "beach", "chin", "chess", "chalk", "chat", "catch", "reach", "teach", "rich",
         "match", "coach"],
    ),
    "final_consonant": (
        "final",
        [""],
        ["cat", "good", "book", "night", "bed", "cake", "hot", "road", "seat", "coat", "duck",
         "boat", "kid", "bread", "lake", "sit", "red", "bike", "foot", "nut"],
    ),
    "ae": (
        "æ",
        ["ɛ"],
        ["bad", "man", "black", "hat", "apple", "happy", "map", "back", "pan", "sad", "cap",
         "fan", "lamp", "hand", "jam", "plan", "rabbit", "taxi", "camera", "snack"],
    ),
    "ee": (
        "iː",
        ["ɪ"],
        ["sheep", "eat", "green", "leave", "feel", "team", "meat", "sleep", "keep", "week",
         "see", "tea", "piece", "clean", "dream", "need", "heat", "peace", "street", "key"],
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
            carrier = CARRIERS[zlib.crc32(word.encode()) % len(CARRIERS)]
            sentence = carrier.format(word)
            index = carrier.split().index("{}")
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


# The rules tried per type on the calibration half: the acoustic evidence's threshold, the
# floor under Whisper's log odds of the variant's spelling (-inf: no veto), and the
# evidence that needs no agreement from Whisper (inf: always needs it).
EVIDENCE_GRID = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0)
FLOOR_GRID = (float("-inf"), -10.0, -8.0, -6.0, -4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)
SURE_GRID = (0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, float("inf"))


def _trials(word, code: str) -> list | None:
    """The word's variants of the type's sound (None: not tried on this word; [] when
    nothing fits the word well enough to flag it: missing)."""
    if not word.flaggable:
        return []
    found = [t for t in word.trials if t.candidate.code == code]
    return found or None


def split(readings: list[Reading], half: str, voice: str | None = None):
    """{code: (positives, negatives)} of one half, each a list of (the word's variants of
    the type, reading). A positive is the target word of a substituted reading, for its
    type; a negative is any other word the type was tried on, in correct and in
    substituted readings."""
    found: dict[str, tuple[list, list]] = {code: ([], []) for code in TYPES}
    for r in readings:
        if r.half != half or (voice and r.voice != voice):
            continue
        for i, word in enumerate(r.words):
            target = r.substituted and i == r.index
            for code in TYPES:
                trials = _trials(word, code)
                if target and code == r.code:
                    found[code][0].append((trials or [], r))
                elif trials and not target:
                    found[code][1].append((trials, r))
    return found


def _caught(trials: list, code: str, rule: tuple[float, float, float]) -> bool:
    from tutor.services.judge import convinces

    return any(convinces(t, {code: rule}) for t in trials)


PRIOR_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)  # tried on the calibration half
PRIOR_MARGIN = 0.02  # a weight must win by more than this (noise, on a corpus this size)


def choose_prior_weight(readings: list[Reading]) -> float:
    """The share of Whisper's expectations taken off its odds with the best recall on the
    calibration half; the middle of the range unless another wins by PRIOR_MARGIN."""
    from tutor.services import judge

    scores = {}
    for weight in PRIOR_WEIGHTS:
        judge.PRIOR_WEIGHT = weight
        scores[weight] = summary(evaluate(readings, calibrate(readings), "calibration"))[0]
        print(f"prior weight {weight}: calibration recall {scores[weight]:.2f}", file=sys.stderr)
    best = max(scores, key=scores.get)
    judge.PRIOR_WEIGHT = best if scores[best] > scores[0.5] + PRIOR_MARGIN else 0.5
    return judge.PRIOR_WEIGHT


def calibrate(readings: list[Reading]) -> dict[str, tuple[float, float, float]]:
    """Per type, the rule catching the most substituted words of the calibration half while
    flagging at most CALIBRATION_FALSE_ALARMS of its other words; on a tie the stricter."""
    chosen = {}
    for code, (pos, neg) in split(readings, "calibration").items():
        allowed = int(CALIBRATION_FALSE_ALARMS * len(neg))
        best = None
        for rule in itertools.product(EVIDENCE_GRID, FLOOR_GRID, SURE_GRID):
            if rule[2] <= rule[0] or sum(_caught(t, code, rule) for t, _ in neg) > allowed:
                continue
            key = (sum(_caught(t, code, rule) for t, _ in pos), rule)
            if best is None or key > best:
                best = key
        chosen[code] = best[1] if best else (EVIDENCE_GRID[-1], FLOOR_GRID[-1], SURE_GRID[-1])
    return chosen


def auc(positives: list[float], negatives: list[float]) -> float | None:
    if not positives or not negatives:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def _strongest(trials: list) -> float:
    values = [t.evidence for t in trials if t.evidence is not None]
    return max(values, default=float("-inf"))


def evaluate(readings: list[Reading], thresholds: dict, half: str, voice: str | None = None):
    """Per type: positives caught, negatives flagged, the acoustic evidence's AUC, and of the
    caught positives how many named the heard sound right."""
    from tutor.services.judge import _ARPABET_BY_IPA, flag_sounds

    table = {}
    for code, (pos, neg) in split(readings, half, voice).items():
        rule = thresholds[code]
        named = caught = 0
        for trials, r in pos:
            if _caught(trials, code, rule):
                flags = [
                    f
                    for f in flag_sounds(r.words[r.index].trials, thresholds)
                    if f.candidate.code == code
                ]
                expected = _ARPABET_BY_IPA.get(r.heard, "") if r.heard else ""
                caught += 1
                named += bool(flags) and flags[0].candidate.heard == expected
        table[code] = {
            "pos": len(pos),
            "neg": len(neg),
            "caught": caught,
            "false": sum(_caught(t, code, rule) for t, _ in neg),
            "named": named,
            "auc": auc([_strongest(t) for t, _ in pos], [_strongest(t) for t, _ in neg]),
        }
    return table


def summary(table) -> tuple[float, float, int, int]:
    n_pos = sum(row["pos"] for row in table.values())
    n_neg = sum(row["neg"] for row in table.values())
    recall = sum(row["caught"] for row in table.values()) / max(n_pos, 1)
    false_alarms = sum(row["false"] for row in table.values()) / max(n_neg, 1)
    return recall, false_alarms, n_pos, n_neg


def _number(value: float) -> str:
    return f'float("{value}")' if abs(value) == float("inf") else str(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=20, help="words per substitution type")
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

    prior_weight = choose_prior_weight(readings)
    thresholds = calibrate(readings)
    table = evaluate(readings, thresholds, "held-out")

    rows = []
    for code, row in table.items():
        pos, neg, area = row["pos"], row["neg"], row["auc"]
        rows.append(
            [code, pos, neg, f"{row['caught'] / pos:.2f}" if pos else "–",
             f"{row['named']}/{row['caught']}", f"{row['false'] / neg:.3f}" if neg else "–",
             f"{area:.2f}" if area is not None else "–"]
        )  # fmt: skip
    recall, false_alarms, n_pos, n_neg = summary(table)
    by_voice = []
    for voice in VOICES:
        v_recall, v_fa, v_pos, v_neg = summary(evaluate(readings, thresholds, "held-out", voice))
        by_voice.append([voice, v_pos, v_neg, f"{v_recall:.2f}", f"{v_fa:.3f}"])
    named = sum(row["named"] for row in table.values())
    flagged = sum(row["caught"] for row in table.values())
    audio = sum(r.seconds for r in readings)
    compute = sum(r.compute for r in readings)
    rtfs = sorted(r.compute / r.seconds for r in readings)
    correct = [r for r in readings if not r.substituted and r.half == "held-out"]

    def flags(w) -> list:
        return flag_sounds(w.trials, thresholds) if w.flaggable else []

    def said(w) -> bool:  # as the judge decides it, with the thresholds chosen here
        return w.fits or bool(flags(w))

    clean = sum(
        1 for r in correct if all(said(w) for w in r.words) and not any(flags(w) for w in r.words)
    )
    unsaid = sum(1 for r in readings if not r.substituted for w in r.words if not said(w))
    said_total = sum(len(r.words) for r in readings if not r.substituted)

    body = "\n\n".join(
        [
            f"Corpus: {len(readings)} readings of {len({r.sentence for r in readings})} "
            f"sentences by {len(VOICES)} synthetic voices (piper joe, espeak-ng en-us), "
            f"{sum(r.substituted for r in readings)} with one substituted sound over "
            f"{len(TYPES)} types and {sum(not r.substituted for r in readings)} read "
            f"correctly; {audio:.0f} s of audio, each word in one of {len(CARRIERS)} carrier "
            "sentences drawn whatever its half. Words alternate between a calibration half "
            "and a held-out half. A sound is flagged when two cues agree: the acoustic "
            "evidence (how much better the variant fits the audio than the expected sound, "
            "per frame, divided by how loosely the acoustic model fits the recording) beats "
            "its type's threshold, and Whisper's log odds of the variant's spelling "
            "(“tink” against “think”, for the same audio, less a share of the same odds "
            "for silence: what Whisper expects of English anyway) are above its type's "
            "floor; or "
            "the acoustic evidence alone is overwhelming. The three are chosen per type on "
            "the calibration half (the most substituted words caught with"
            f" false alarms ≤ {CALIBRATION_FALSE_ALARMS:.0%} there); every "
            "figure below is the held-out half, words and sentences never seen in "
            "calibration. A false alarm is a correctly said word flagged for the type; AUC "
            "is of the acoustic evidence alone.",
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
            f"Chosen (`PRIOR_WEIGHT` = {prior_weight} and `THRESHOLDS` in "
            "tutor/services/judge.py hold these: evidence threshold, "
            "Whisper floor, evidence needing no Whisper):\n\n"
            "```\n"
            + "\n".join(
                f'"{c}": ({a}, {_number(b)}, {_number(sure)}),'
                for c, (a, b, sure) in thresholds.items()
            )
            + "\n```",
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
