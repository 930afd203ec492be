"""The acoustic pronunciation judge: which words of a sentence were said, and which of
their sounds came out as the substitutes Indonesian learners typically make, judged from
the audio itself, never from what a recogniser guessed the words were.

1. The sentence's expected phones (CMUdict; words it lacks through espeak-ng's phonemes)
   are force-aligned to the audio, and each phone is scored against a free phone loop
   over the same frames (Goodness of Pronunciation: 0 is as good as anything could fit,
   more negative is worse). A word far below anything-at-all was not said.
2. For each word that was said, every typical learner variant of its hard sounds (θ→t,
   v→f, a dropped final /t/ …) is aligned in its place; how much better the variant fits
   the audio than the right pronunciation, per frame of the sound, is the *variant margin*.
   A margin above the calibrated threshold of its substitution type flags the sound.

Thresholds come from `make bench-pronunciation` (bench/pronunciation.py): chosen on a
calibration half of a synthetic corpus so that correct readings are rarely flagged, and
reported on the held-out half in bench/RESULTS.md. Plain data in, dataclasses out; the
caller decides what to say and what to store."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

import numpy as np

from providers.local import ESPEAK, PHONES
from providers.local.phones import (
    FRAME_SECONDS,
    Alignment,
    AlignmentFailed,
    ipa_to_arpabet,
    loop_score,
)

from .pronunciation import _CODE_BY_ARPABET, _coda, _dictionary, _tokens
from .pronunciation_data import ARPABET_TO_IPA, DROPPABLE_FINALS, HARD_SOUNDS, VOWELS

# How strong the evidence (a variant's margin per frame of the word, plus GOP_WEIGHT × the
# expected sound's bad fit) must be before a sound of each type is flagged. From
# `make bench-pronunciation`'s calibration half; see bench/RESULTS.md.
THRESHOLDS: dict[str, float] = {
    "th_voiceless": 2.0,
    "th_voiced": 4.63,
    "v": 5.8,
    "f": 5.51,
    "z": 10.81,
    "sh": 3.11,
    "ch": 10.68,
    "final_consonant": 25.68,
    "ae": 4.95,
    "ee": 3.33,
}
MISSING_GOP = -50.0
"""A word whose phones fit this much worse than a free phone loop (per frame) was not said."""
RESCUED_GOP = -25.0
"""A word too far from its expected sounds counts as said when a learner variant brings it
this close to anything-at-all (per frame): well inside what words said right reach."""
SQUEEZED_FRAMES, SQUEEZED_GOP = 4, -40.0
"""A word aligned to at most this many frames a phone, and this bad, was skipped."""
MIN_MARGIN_FRAMES = 10
"""Margins are per frame of the word, counted as at least this many (a 30 ms "a")."""
GOP_WEIGHT = 0.0
"""How much the expected sound's own bad fit adds to a variant's margin (bench-chosen)."""
UNCALIBRATED = 50.0
"""The threshold of a variant the benchmark has no figures for: practically never flagged."""
PHONE_GOP_FULL, PHONE_GOP_ZERO = -8.0, -40.0
"""A phone's score: 100 at or above the first Goodness of Pronunciation, 0 at the second."""
SPEECH_RMS = 0.005
"""Below this loudness in every 30 ms window there is no speech to judge."""
MAX_CANDIDATES = 24
"""Variants tried per sentence, in sentence order: each is one more alignment."""

_ARPABET_BY_IPA = {ipa: arpabet for arpabet, ipa in ARPABET_TO_IPA.items()} | {"e": "EH"}


@dataclass(frozen=True)
class Candidate:
    """One learner variant of a word: the sound at `position` said as `heard` ("" = dropped)."""

    code: str  # a HARD_SOUNDS key
    position: int
    target: str  # ARPAbet
    heard: str  # ARPAbet, "" when dropped
    phones: tuple[str, ...]  # the whole variant pronunciation


@dataclass(frozen=True)
class Trial:
    """A variant aligned in the word's place: how much better (+) or worse (−) the whole
    sentence fitted, over how many frames of the word, and how badly the expected sound
    itself fitted (its Goodness of Pronunciation)."""

    candidate: Candidate
    diff: float | None  # None when the variant could not be aligned at all
    word_frames: int
    phone_gop: float

    @property
    def margin(self) -> float | None:
        """How much better the variant fits, per frame of the word."""
        if self.diff is None:
            return None
        return self.diff / max(self.word_frames, MIN_MARGIN_FRAMES)

    @property
    def evidence(self) -> float | None:
        """The two cues combined: the variant fits better (the margin), and the expected
        sound fits badly (its GOP below zero), weighted by GOP_WEIGHT."""
        if self.margin is None:
            return None
        return self.margin - GOP_WEIGHT * self.phone_gop


@dataclass(frozen=True)
class PhoneJudgement:
    phone: str  # ARPAbet
    frames: int
    gop: float  # per frame against the phone loop: 0 best, more negative worse
    score: int  # 0..100


@dataclass(frozen=True)
class Flag:
    candidate: Candidate
    margin: float
    threshold: float

    @property
    def confidence(self) -> float:
        return _confidence(self.margin - self.threshold, scale=self.threshold)


@dataclass(frozen=True)
class WordJudgement:
    word: str
    phones: tuple[str, ...]  # ARPAbet, as expected
    source: str  # "cmudict", "espeak-ng" (a word the dictionary lacks), or "" (unpronounceable)
    said: bool
    gop: float | None  # the word's Goodness of Pronunciation, None when nothing was aligned
    start: float | None = None  # seconds into the recording
    end: float | None = None
    phone_results: tuple[PhoneJudgement, ...] = ()
    flags: tuple[Flag, ...] = ()  # at most one per sound, the best-fitting variant
    trials: tuple[Trial, ...] = ()  # every variant tried

    @property
    def score(self) -> int:
        if not self.said or not self.phone_results:
            return 0
        flagged = {flag.candidate.position for flag in self.flags}
        scores = [0 if i in flagged else p.score for i, p in enumerate(self.phone_results)]
        return round(sum(scores) / len(scores))

    @property
    def confidence(self) -> float:
        """How sure the judge is that the word was (or was not) said."""
        if self.gop is None:
            return 1.0
        return _confidence(self.gop - MISSING_GOP, scale=-MISSING_GOP)


@dataclass(frozen=True)
class Judgement:
    words: list[WordJudgement]
    speech: bool  # False: silence, nothing to judge


def _confidence(distance: float, *, scale: float) -> float:
    """0.5 on the threshold, towards 1 as the evidence moves away from it either way."""
    return round(min(1.0, 0.5 + abs(distance) / (2 * max(scale, 1e-6))), 2)


Pronunciation = tuple[tuple[str, ...], tuple[bool, ...]]  # ARPAbet, and which are stressed


@cache
def pronunciations(word: str) -> tuple[list[Pronunciation], str]:
    """Every distinct pronunciation of a lower-case word (at most three: "read" is both
    /riːd/ and /rɛd/), stress stripped but remembered, and where they came from: CMUdict,
    or espeak-ng's phonemes for a word it lacks ("Budi", "pamily")."""
    found: dict[tuple[str, ...], tuple[bool, ...]] = {}
    for raw in _dictionary().get(word, []):
        phones = tuple(p.rstrip("012") for p in raw)
        found.setdefault(phones, tuple(p[-1] in "12" for p in raw))
    if found:
        return list(found.items())[:3], "cmudict"
    try:
        phones = tuple(ipa_to_arpabet(ESPEAK.get().ipa(word)))
    except RuntimeError:
        phones = ()
    if not phones:
        return [], ""
    return [(phones, tuple(p in VOWELS for p in phones))], "espeak-ng"


def candidates(
    pronunciation: Pronunciation, codes: Collection[str] | None = None
) -> list[Candidate]:
    """The learner variants worth trying on a pronunciation: each hard sound said as each of
    its usual substitutes, and a dropped final consonant. `codes` limits them to those."""
    phones, stressed = pronunciation
    found: list[Candidate] = []

    def add(code: str, position: int, heard: str) -> None:
        if codes is not None and code not in codes:
            return
        variant = phones[:position] + ((heard,) if heard else ()) + phones[position + 1 :]
        option = Candidate(code, position, phones[position], heard, variant)
        if variant and variant != phones and option not in found:
            found.append(option)

    for i, phone in enumerate(phones):
        code = _CODE_BY_ARPABET.get(phone)
        if code is None or (phone in VOWELS and not stressed[i]):
            continue  # an unstressed /i/ (the end of "very") is not the sheep/ship problem
        for ipa in HARD_SOUNDS[code]["substitutes"]:
            heard = _ARPABET_BY_IPA.get(ipa)
            if heard and heard != phone:
                add(code, i, heard)
    coda = _coda(phones)
    if len(phones) > 1 and coda:
        last = len(phones) - 1
        if len(coda) >= 2:
            add("final_cluster", last, "")
        elif phones[last] in DROPPABLE_FINALS and phones[last] not in _CODE_BY_ARPABET:
            add("final_consonant", last, "")
    return found


def has_speech(samples: np.ndarray, rate: int = 16_000) -> bool:
    window = int(0.03 * rate)
    if len(samples) < window:
        return False
    usable = samples[: len(samples) // window * window].reshape(-1, window)
    return bool(np.sqrt((usable.astype(np.float64) ** 2).mean(axis=1)).max() >= SPEECH_RMS)


def _phone_score(gop: float) -> int:
    if gop >= PHONE_GOP_FULL:
        return 100
    if gop <= PHONE_GOP_ZERO:
        return 0
    return round(100 * (gop - PHONE_GOP_ZERO) / (PHONE_GOP_FULL - PHONE_GOP_ZERO))


def _unjudged(words: list[str], *, speech: bool) -> Judgement:
    judged = []
    for word in words:
        options, source = pronunciations(word)
        judged.append(WordJudgement(word, options[0][0] if options else (), source, False, None))
    return Judgement(judged, speech=speech)


def _missing(span, gop: float) -> bool:
    """Not said: far worse than anything-at-all, or squeezed to the aligner's minimum length
    (three frames a phone) and clearly worse."""
    squeezed = span.frames <= SQUEEZED_FRAMES * max(len(span.phones), 1)
    return gop < MISSING_GOP or (squeezed and gop < SQUEEZED_GOP)


def _best_pronunciations(aligner, samples, options: list[list[Pronunciation]]):
    """The sentence aligned with each word's best-fitting pronunciation: the first of each,
    then each alternative tried in turn, kept when the whole sentence fits it better."""
    chosen = [o[0] for o in options]
    base = aligner.align(samples, [c[0] for c in chosen])
    for k, alternatives in enumerate(options):
        for alternative in alternatives[1:]:
            trial = [c[0] for c in chosen]
            trial[k] = alternative[0]
            try:
                aligned = aligner.align(samples, trial)
            except AlignmentFailed:
                continue
            if aligned.score > base.score:
                base, chosen[k] = aligned, alternative
    return base, chosen


def judge(samples: np.ndarray, text: str, *, codes: Collection[str] | None = None) -> Judgement:
    """Judges a reading of `text` in 16 kHz mono float samples. `codes` limits the sounds
    checked (a conversation turn checks the learner's weak ones); None checks them all.
    Raises RuntimeError when the acoustic model cannot load."""
    words = _tokens(text)
    aligner = PHONES.get()
    speech = has_speech(samples)
    known = [(i, pronunciations(w)[0]) for i, w in enumerate(words)]
    known = [(i, options) for i, options in known if options]
    if not known or not speech:
        return _unjudged(words, speech=speech)
    try:
        base, chosen = _best_pronunciations(aligner, samples, [o for _, o in known])
    except AlignmentFailed:
        return _unjudged(words, speech=True)
    loop = aligner.phone_loop(samples)
    slot = {i: k for k, (i, _) in enumerate(known)}

    judged: list[WordJudgement] = []
    tried = 0
    for i, word in enumerate(words):
        source = pronunciations(word)[1]
        if i not in slot:
            judged.append(WordJudgement(word, (), source, said=False, gop=None))
            continue
        k = slot[i]
        span, (phones, stressed) = base.words[k], chosen[k]
        gop = (span.score - loop_score(loop, span.start, span.end)) / max(span.frames, 1)
        phone_results = tuple(
            PhoneJudgement(p.name, p.frames, g, _phone_score(g))
            for p in span.phones
            for g in [(p.score - loop_score(loop, p.start, p.end)) / max(p.frames, 1)]
        )
        said = not _missing(span, gop)
        trials: list[Trial] = []
        if len(phone_results) == len(phones):
            options = candidates((phones, stressed), codes)[: max(0, MAX_CANDIDATES - tried)]
            tried += len(options)
            gops = [p.gop for p in phone_results]
            trials = try_variants(aligner, samples, base, [c[0] for c in chosen], k, options, gops)
            if not said:
                # Said, but differently: a learner variant fits well where the expected
                # word did not (“pan” for “van” is not a missing word).
                best = max((t.margin for t in trials if t.margin is not None), default=None)
                said = best is not None and gop + best > RESCUED_GOP and any(flag_sounds(trials))
                trials = trials if said else []
        judged.append(
            WordJudgement(
                word,
                phones,
                source,
                said=said,
                gop=gop,
                start=span.start * FRAME_SECONDS,
                end=span.end * FRAME_SECONDS,
                phone_results=phone_results,
                flags=tuple(flag_sounds(trials)),
                trials=tuple(trials),
            )
        )
    return Judgement(judged, speech=True)


def try_variants(
    aligner,
    samples: np.ndarray,
    base: Alignment,
    prons: list[tuple[str, ...]],
    k: int,
    options: list[Candidate],
    phone_gops: list[float],
) -> list[Trial]:
    """Each variant of word `k` aligned in its place, against the sentence as expected."""
    span = base.words[k]
    trials = []
    for option in options:
        gop = phone_gops[option.position]
        trial = list(prons)
        trial[k] = option.phones
        try:
            diff: float | None = aligner.align(samples, trial).score - base.score
        except AlignmentFailed:
            diff = None
        trials.append(Trial(option, diff, span.frames, gop))
    return trials


def threshold_for(code: str, thresholds: dict[str, float] | None = None) -> float:
    thresholds = THRESHOLDS if thresholds is None else thresholds
    return thresholds.get(code, UNCALIBRATED)


def flag_sounds(
    trials: list[Trial] | tuple[Trial, ...], thresholds: dict[str, float] | None = None
) -> list[Flag]:
    """The sounds whose best variant's evidence beats its type's threshold, one flag per
    sound: the variant that beats it by the most names what was heard."""
    best: dict[int, Flag] = {}
    for trial in trials:
        evidence = trial.evidence
        if evidence is None:
            continue
        threshold = threshold_for(trial.candidate.code, thresholds)
        position = trial.candidate.position
        if evidence > threshold and (
            position not in best
            or evidence - threshold > best[position].margin - best[position].threshold
        ):
            best[position] = Flag(trial.candidate, evidence, threshold)
    return [best[p] for p in sorted(best)]


def ipa(phones: tuple[str, ...] | list[str]) -> str:
    return "".join(ARPABET_TO_IPA.get(p, "") for p in phones)
