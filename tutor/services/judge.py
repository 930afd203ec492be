"""The acoustic pronunciation judge: which words of a sentence were said, and which of
their sounds came out as the substitutes Indonesian learners typically make, judged from
the audio itself, never from what a recogniser guessed the words were.

1. The sentence's expected phones (CMUdict; words it lacks through espeak-ng's phonemes)
   are force-aligned to the audio, and each phone is scored against a free phone loop
   over the same frames (Goodness of Pronunciation: 0 is as good as anything could fit,
   more negative is worse). A word far below anything-at-all was not said.
2. For each aligned word, every typical learner variant of its hard sounds (θ→t,
   v→f, a dropped final /t/ …) is aligned in its place; how much better the variant fits
   the audio than the right pronunciation, per frame of the word, is the *variant margin*.
   Margins are divided by how well the acoustic model fits the recording as a whole (the
   sentence's median word GOP): on a voice it fits badly every difference is larger, so a
   raw margin that means "substituted" in one voice is noise in another. The result is
   the *evidence*.
3. Whisper gives a second opinion: each variant is spelled the way it sounds ("tink") and
   Whisper, forced through the sentence written both ways for the same audio, says how
   much likelier the audio makes the variant's spelling, less part of what Whisper
   expects of English anyway (`Trial.whisper_odds`; providers/local/ears.py).
4. A sound is flagged when both agree (the evidence beats its type's threshold and
   Whisper's odds are above its type's floor), or when the evidence alone is
   overwhelming (the only way for a variant without a spelling).

Thresholds come from `make bench-pronunciation` (bench/pronunciation.py): chosen on a
calibration half of a synthetic corpus so that correct readings are rarely flagged, and
reported on the held-out half in bench/RESULTS.md. Plain data in, dataclasses out; the
caller decides what to say and what to store."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from providers.local import ESPEAK, PHONES
from providers.local.ears import spelling_log_probs
from providers.local.phones import (
    FRAME_SECONDS,
    Alignment,
    AlignmentFailed,
    ipa_to_arpabet,
    loop_score,
)

from .pronunciation import _CODE_BY_ARPABET, _coda, _dictionary, _tokens
from .pronunciation_data import ARPABET_TO_IPA, DROPPABLE_FINALS, HARD_SOUNDS, VOWELS
from .variant_spelling import variant_spelling

# For each type: how strong the acoustic evidence (a variant's margin per frame of the
# word, divided by how loosely the model fits the recording) must be before a sound is
# flagged; the floor under Whisper's log odds of the variant's spelling (at or below it,
# Whisper vetoes the flag); and the evidence so strong that no veto applies. From
# `make bench-pronunciation`'s calibration half; see bench/RESULTS.md.
THRESHOLDS: dict[str, tuple[float, float, float]] = {
    "th_voiceless": (0.05, -4.0, float("inf")),
    "th_voiced": (0.05, -6.0, float("inf")),
    "v": (0.15, -2.0, 0.7),
    "f": (0.2, -6.0, float("inf")),
    "z": (0.15, -6.0, float("inf")),
    "sh": (0.05, -2.0, 1.0),
    "ch": (0.1, -1.0, float("inf")),
    "final_consonant": (0.3, -4.0, float("inf")),
    "ae": (0.4, -8.0, float("inf")),
    "ee": (0.05, 4.0, 0.3),
}
MISSING_GOP = -50.0
"""A word whose phones fit this much worse than a free phone loop (per frame) was not said."""
SQUEEZED_FRAMES, SQUEEZED_GOP = 4, -40.0
"""A word aligned to at most this many frames a phone, and this bad, was skipped."""
MIN_MARGIN_FRAMES = 10
"""Margins are per frame of the word, counted as at least this many (a 30 ms "a")."""
PRIOR_WEIGHT = 0.5
"""How much of what Whisper expects of English anyway comes off its odds (bench-chosen)."""
FIT_FLOOR = 2.0
"""Margins are divided by this plus how badly the sentence's words fit (their median GOP,
negated): a recording the model fits well (GOP −7) divides by 9, a poor fit (−28) by 30."""
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
    sentence fitted, over how many frames of the word, and Whisper's view of its spelling."""

    candidate: Candidate
    diff: float | None  # None when the variant could not be aligned at all
    word_frames: int
    scale: float = 1.0  # how loosely the model fits this recording (see FIT_FLOOR)
    heard_as: float | None = None  # Whisper's log odds for the variant's spelling, if any
    expected_as: float = 0.0  # the same odds for silence: what Whisper expects anyway

    @property
    def whisper_odds(self) -> float | None:
        """How much likelier the audio makes the variant's spelling, less PRIOR_WEIGHT × how
        likely Whisper finds it anyway."""
        if self.heard_as is None:
            return None
        return self.heard_as - PRIOR_WEIGHT * self.expected_as

    @property
    def margin(self) -> float | None:
        """How much better the variant fits, per frame of the word."""
        if self.diff is None:
            return None
        return self.diff / max(self.word_frames, MIN_MARGIN_FRAMES)

    @property
    def evidence(self) -> float | None:
        """How much better the variant fits the audio than the expected sound: the margin,
        in units of how loosely the acoustic model fits the recording."""
        if self.margin is None:
            return None
        return self.margin / self.scale


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
        return _confidence(self.margin - self.threshold, scale=max(self.threshold, 0.2))


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
    trials: tuple[Trial, ...] = ()  # every variant tried, whether or not the word was said
    fits: bool = False  # the expected pronunciation fits the audio as a said word does

    @property
    def flaggable(self) -> bool:
        """Said as expected, or a learner variant fits the audio as well as a said word
        does where the expected one did not (“pan” for “van” is not a missing word)."""
        if self.fits:
            return True
        best = max((t.margin for t in self.trials if t.margin is not None), default=None)
        return best is not None and self.gop is not None and self.gop + best > MISSING_GOP

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
    word_gops = [
        (span.score - loop_score(loop, span.start, span.end)) / max(span.frames, 1)
        for span in base.words
    ]
    scale = FIT_FLOOR + max(0.0, -float(np.median(word_gops)))

    judged: list[WordJudgement] = []
    tried = 0
    for i, word in enumerate(words):
        source = pronunciations(word)[1]
        if i not in slot:
            judged.append(WordJudgement(word, (), source, said=False, gop=None))
            continue
        k = slot[i]
        span, (phones, stressed) = base.words[k], chosen[k]
        phone_results = tuple(
            PhoneJudgement(p.name, p.frames, g, _phone_score(g))
            for p in span.phones
            for g in [(p.score - loop_score(loop, p.start, p.end)) / max(p.frames, 1)]
        )
        trials: list[Trial] = []
        if len(phone_results) == len(phones):
            options = candidates((phones, stressed), codes)[: max(0, MAX_CANDIDATES - tried)]
            tried += len(options)
            prons = [c[0] for c in chosen]
            trials = try_variants(aligner, samples, base, prons, k, options, scale)
        judged.append(
            WordJudgement(
                word,
                phones,
                source,
                said=False,
                gop=word_gops[k],
                start=span.start * FRAME_SECONDS,
                end=span.end * FRAME_SECONDS,
                phone_results=phone_results,
                trials=tuple(trials),
                fits=not _missing(span, word_gops[k]),
            )
        )
    judged = _second_opinion(samples, judged)
    for n, word in enumerate(judged):
        flags = flag_sounds(word.trials) if word.flaggable else []
        judged[n] = replace(word, said=word.fits or bool(flags), flags=tuple(flags))
    return Judgement(judged, speech=True)


def _second_opinion(samples: np.ndarray, judged: list[WordJudgement]) -> list[WordJudgement]:
    """Each variant's spelling ("tink") scored by Whisper against the sentence as written,
    for the same audio, in one pass: `Trial.heard_as`. Left out where a variant has no
    spelling, the recording is longer than Whisper hears at once, or Whisper can't load."""
    words = [w.word for w in judged]
    spelled: list[tuple[int, int, str]] = []  # (word, trial, the sentence with the variant)
    for n, word in enumerate(judged):
        for t, trial in enumerate(word.trials):
            c = trial.candidate
            spelling = variant_spelling(word.word, word.phones, c.position, c.heard)
            if spelling:
                spelled.append((n, t, _sentence([*words[:n], spelling, *words[n + 1 :]])))
    if not spelled:
        return judged
    scored = spelling_log_probs(samples, [_sentence(words)] + [text for _, _, text in spelled])
    if scored is None:
        return judged
    heard, expected = scored
    found = {
        (n, t): (heard[j] - heard[0], expected[j] - expected[0])
        for j, (n, t, _) in enumerate(spelled, start=1)
    }
    return [
        replace(
            word,
            trials=tuple(
                replace(trial, heard_as=found[n, t][0], expected_as=found[n, t][1])
                if (n, t) in found
                else trial
                for t, trial in enumerate(word.trials)
            ),
        )
        for n, word in enumerate(judged)
    ]


def _sentence(words: list[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:] + "."


def try_variants(
    aligner,
    samples: np.ndarray,
    base: Alignment,
    prons: list[tuple[str, ...]],
    k: int,
    options: list[Candidate],
    scale: float = 1.0,
) -> list[Trial]:
    """Each variant of word `k` aligned in its place, against the sentence as expected."""
    span = base.words[k]
    trials = []
    for option in options:
        trial = list(prons)
        trial[k] = option.phones
        try:
            diff: float | None = aligner.align(samples, trial).score - base.score
        except AlignmentFailed:
            diff = None
        trials.append(Trial(option, diff, span.frames, scale))
    return trials


Thresholds = dict[str, tuple[float, float, float]]


def threshold_for(code: str, thresholds: Thresholds | None = None) -> tuple[float, float, float]:
    thresholds = THRESHOLDS if thresholds is None else thresholds
    return thresholds.get(code, (UNCALIBRATED, float("-inf"), UNCALIBRATED))


def convinces(trial: Trial, thresholds: Thresholds | None = None) -> bool:
    """Both cues agree (the variant fits the audio better than its type's threshold, and
    Whisper's odds for its spelling are above the type's floor), or the variant fits so
    much better that one cue is enough: a variant without a spelling, or one Whisper's
    sense of English talks down ("I think" over "I tink" whatever was said)."""
    threshold, floor, sure = threshold_for(trial.candidate.code, thresholds)
    evidence = trial.evidence
    if evidence is None:
        return False
    odds = trial.whisper_odds
    return evidence > sure or (evidence > threshold and odds is not None and odds > floor)


def flag_sounds(
    trials: list[Trial] | tuple[Trial, ...], thresholds: Thresholds | None = None
) -> list[Flag]:
    """The sounds with a variant that convinces both cues, one flag per sound: the variant
    whose evidence beats its threshold by the most names what was heard."""
    best: dict[int, Flag] = {}
    for trial in trials:
        if not convinces(trial, thresholds):
            continue
        evidence = trial.evidence
        threshold = threshold_for(trial.candidate.code, thresholds)[0]
        position = trial.candidate.position
        if (
            position not in best
            or evidence - threshold > best[position].margin - best[position].threshold
        ):
            best[position] = Flag(trial.candidate, evidence, threshold)
    return [best[p] for p in sorted(best)]


def ipa(phones: tuple[str, ...] | list[str]) -> str:
    return "".join(ARPABET_TO_IPA.get(p, "") for p in phones)
