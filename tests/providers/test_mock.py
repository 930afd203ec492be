"""The offline providers: a rule-based coach that catches what Indonesian
learners really get wrong (and nothing else), a stand-in ASR and a playable
tone-pattern voice. No network, no database, the same answer every time."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import time
import wave
from array import array
from pathlib import Path

import pytest

from providers.coach import coach_reply
from providers.mock import MOCK_TRANSCRIPT, MockASR, MockLLM, MockTTS
from providers.schemas import (
    Feedback,
    HistoryTurn,
    LearnerProfile,
    MaccaJsonResponse,
    PracticeContext,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]

INDONESIAN_WORDS = {"pakai", "kata", "jadi", "bahasa", "untuk", "bukan", "sebelum", "setelah"}
ENGLISH_WORDS = {"the", "use", "uses", "needs", "must", "say", "before", "after", "verb"}


def learner(language: str = "id", name: str = "Siti") -> LearnerProfile:
    return LearnerProfile(name=name, explanation_language=language)


def live(topic: str | None = None) -> PracticeContext:
    return PracticeContext(mode="live_conversation", topic=topic)


def reply_to(
    text: str,
    *,
    language: str = "id",
    context: PracticeContext | None = None,
    history: list[HistoryTurn] | None = None,
) -> MaccaJsonResponse:
    return coach_reply(learner(language), context or live(), history or [], text)


def words_of(text: str) -> set[str]:
    return {word.strip('.,:;!?"()“”').lower() for word in text.split()}


def assert_one_fix(text: str, issue: str, better: str, language: str) -> None:
    """The sentence gets exactly this correction, explained in the learner's language."""
    response = reply_to(text, language=language)
    assert [point.issue for point in response.feedback.grammar] == [issue]
    assert response.feedback.better_sentence == better
    point = response.feedback.grammar[0]
    assert point.explanation_language == language
    assert point.original_text and point.original_text in text
    assert 1 <= len(point.examples) <= 2
    explanation = words_of(point.explanation)
    if language == "id":
        assert explanation & INDONESIAN_WORDS, point.explanation
    else:
        assert explanation & ENGLISH_WORDS, point.explanation
        assert not explanation & INDONESIAN_WORDS, point.explanation


LANGUAGES = pytest.mark.parametrize("language", ["id", "en"])


# --- Each mistake, in a sentence of its own ------------------------------------


@LANGUAGES
@pytest.mark.parametrize(
    ("text", "better"),
    [
        ("I go to the office yesterday", "I went to the office yesterday"),
        ("Last week she buy a new phone.", "Last week she bought a new phone."),
        ("We visit Yogyakarta two years ago.", "We visited Yogyakarta two years ago."),
        ("Yesterday I study for three hours.", "Yesterday I studied for three hours."),
        ("Last night we stop at a small cafe.", "Last night we stopped at a small cafe."),
        ("In 2019 I like spicy food.", "In 2019 I liked spicy food."),
        ("When I was a child I eat rice every day.", "When I was a child I ate rice every day."),
    ],
)
def test_it_corrects_past_events_told_in_the_present(text, better, language):
    assert_one_fix(text, "past_tense", better, language)


@LANGUAGES
@pytest.mark.parametrize(
    ("text", "better"),
    [
        ("she work in a bank", "she works in a bank"),
        ("He go to the gym every morning.", "He goes to the gym every morning."),
        ("My sister study at the university.", "My sister studies at the university."),
        ("He have a new car.", "He has a new car."),
        ("Budi always watch football on Sunday.", "Budi always watches football on Sunday."),
    ],
)
def test_it_adds_the_s_for_he_she_and_it(text, better, language):
    assert_one_fix(text, "third_person_s", better, language)


@LANGUAGES
@pytest.mark.parametrize(
    ("text", "better"),
    [
        ("I am student", "I am a student"),
        ("she is engineer", "she is an engineer"),
        ("I want to be doctor.", "I want to be a doctor."),
        ("He is honest man.", "He is an honest man."),
        ("It is university in Bandung.", "It is a university in Bandung."),
    ],
)
def test_it_adds_a_or_an_before_a_job_or_a_countable_noun(text, better, language):
    assert_one_fix(text, "article", better, language)


@LANGUAGES
@pytest.mark.parametrize(
    ("text", "better"),
    [
        ("I have 25 years old", "I am 25 years old"),
        ("My brother has thirty years old.", "My brother is thirty years old."),
        ("They have 20 years old.", "They are 20 years old."),
    ],
)
def test_it_says_age_with_be_not_have(text, better, language):
    assert_one_fix(text, "age_with_have", better, language)


@LANGUAGES
@pytest.mark.parametrize(
    ("text", "better"),
    [
        ("I have two book", "I have two books"),
        ("She has three child.", "She has three children."),
        ("There are many city in Java.", "There are many cities in Java."),
        ("I bought 4 box of tea.", "I bought 4 boxes of tea."),
        ("We met a few new person there.", "We met a few new people there."),
    ],
)
def test_it_makes_nouns_plural_after_numbers_and_many(text, better, language):
    assert_one_fix(text, "plural_noun", better, language)


@LANGUAGES
def test_it_replaces_very_like_with_really_like(language):
    assert_one_fix("I very like coffee", "very_like", "I really like coffee", language)


@LANGUAGES
@pytest.mark.parametrize(
    ("text", "better"),
    [
        ("she beautiful", "she is beautiful"),
        ("I happy", "I am happy"),
        ("they busy", "they are busy"),
        ("My mother very tired.", "My mother is very tired."),
        ("Yesterday we hungry.", "Yesterday we were hungry."),
    ],
)
def test_it_adds_the_missing_be_before_an_adjective(text, better, language):
    assert_one_fix(text, "missing_be", better, language)


def test_the_explanation_names_the_wrong_and_the_right_form():
    point = reply_to("I go to the office yesterday", language="en").feedback.grammar[0]
    assert point.original_text == "I go"
    assert "I go → I went" in point.explanation
    assert '"yesterday"' in point.explanation
    assert point.examples[0] == "I went to the office yesterday."


def test_it_keeps_the_learners_capitalisation():
    response = reply_to("YESTERDAY I GO TO THE OFFICE.")
    assert response.feedback.better_sentence == "YESTERDAY I WENT TO THE OFFICE."
    assert reply_to("Go home? He Go home.").feedback.better_sentence == "Go home? He Goes home."


# --- Several mistakes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "better", "issues"),
    [
        (
            "Yesterday I go to Bandung with two friend.",
            "Yesterday I went to Bandung with two friends.",
            ["past_tense", "plural_noun"],
        ),
        ("She very like cats.", "She really likes cats.", ["very_like", "third_person_s"]),
        ("I have 25 year old.", "I am 25 years old.", ["age_with_have", "plural_noun"]),
        (
            MOCK_TRANSCRIPT,
            "I went to the office yesterday and I met my friend.",
            ["past_tense"] * 2,
        ),
        (
            "I am student. My father work in Jakarta.",
            "I am a student. My father works in Jakarta.",
            ["article", "third_person_s"],
        ),
    ],
)
def test_a_sentence_with_several_mistakes_gets_them_all(text, better, issues):
    response = reply_to(text)
    assert sorted(point.issue for point in response.feedback.grammar) == sorted(issues)
    assert response.feedback.better_sentence == better


def test_a_mistake_comes_with_a_drill_to_say_the_better_sentence_again():
    for language, instruction in [("id", "Ulangi kalimat ini: "), ("en", "Say it again: ")]:
        response = reply_to("she work in a bank", language=language)
        [drill] = response.drills
        assert drill.type == "repeat_sentence"
        assert drill.sentence == "she works in a bank"
        assert drill.instruction == f"{instruction}she works in a bank"


# --- Correct English is left alone ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "She works in a bank.",
        "I went to Bali last year.",
        "I am a student.",
        "They are busy today.",
        "I really like coffee.",
        "I have two cats.",
        "My mother cooks dinner every day.",
        "He is an engineer.",
        "Yesterday I read a book.",
        "Where did you go last weekend?",
        "Does she work here?",
        "I am 25 years old.",
        "We were happy yesterday.",
        "I let it go.",
        "My friends work in Jakarta.",
        "He and his wife live in Bali.",
        "It cost me a lot yesterday.",
        "I usually go by bus, but yesterday I took a taxi.",
        "I have a 5 year old son.",
        "Please come here.",
    ],
)
def test_correct_sentences_are_praised_and_nothing_is_invented(text):
    response = reply_to(text)
    assert response.feedback.grammar == []
    assert response.feedback.better_sentence is None
    assert response.drills == []
    assert any(praise in response.reply for praise in ("correct", "no mistakes", "spot on"))


# --- Vocabulary -----------------------------------------------------------------


def test_useful_words_come_back_with_their_translation():
    response = reply_to("After the meeting I stayed at the office because of the traffic.")
    vocabulary = response.feedback.vocabulary
    assert [(v.word, v.translation) for v in vocabulary] == [
        ("meeting", "rapat"),
        ("office", "kantor"),
    ]
    assert all(v.example for v in vocabulary)


def test_a_lessons_target_words_come_first_even_without_a_translation():
    context = PracticeContext(mode="guided_lesson", target_vocabulary=["latte"])
    vocabulary = reply_to(
        "A latte before the meeting, please.", context=context
    ).feedback.vocabulary
    assert [(v.word, v.translation) for v in vocabulary] == [("latte", ""), ("meeting", "rapat")]


def test_plain_sentences_teach_no_vocabulary():
    assert reply_to("I like it.").feedback.vocabulary == []


# --- The reply ----------------------------------------------------------------------


def test_the_reply_ends_with_one_follow_up_question_which_is_the_next_prompt():
    response = reply_to("I went to Bali last year.", context=live("travel"))
    assert response.reply.count("?") == 1
    assert response.reply.endswith(response.next_prompt)
    assert response.next_prompt.endswith("?")
    assert response.step_complete is None


def test_the_reply_follows_the_sessions_topic():
    sentence = "I went to Bali last year."
    travel = reply_to(sentence, context=live("travel"))
    interview = reply_to(sentence, context=live("job interview"))
    assert travel.reply != interview.reply
    assert travel.next_prompt != interview.next_prompt


def test_the_reply_picks_up_what_the_learner_said():
    bali = reply_to("I went to Bali last year.", context=live("travel"))
    coffee = reply_to("I really like coffee.", context=live("travel"))
    assert bali.reply != coffee.reply
    assert "Bali" in bali.reply
    assert "coffee" in coffee.reply


def test_a_mistake_is_recast_in_the_reply():
    response = reply_to("I go to the office yesterday")
    assert "“I went to the office yesterday.”" in response.reply


def test_the_learner_is_called_by_name_on_the_first_turn_only():
    first = reply_to("I went to Bali last year.")
    later = reply_to(
        "I went to Bali last year.",
        history=[HistoryTurn(role="tutor", text="Hi!"), HistoryTurn(role="learner", text="Hi")],
    )
    assert "Siti" in first.reply
    assert "Siti" not in later.reply


def test_an_empty_turn_gets_a_gentle_request_to_try_again():
    response = reply_to("   ")
    assert "again" in response.reply
    assert response.feedback == Feedback()
    assert response.drills == []
    assert response.step_complete is None


# --- Guided lessons ------------------------------------------------------------------


def lesson_step(**overrides) -> PracticeContext:
    values = {
        "mode": "guided_lesson",
        "lesson_title": "Ordering coffee",
        "step_number": 2,
        "total_steps": 4,
        "step_instruction": "Order a drink politely.",
        "target_phrases": ["Could I have"],
        "target_vocabulary": ["latte"],
    }
    return PracticeContext(**(values | overrides))


def test_a_full_correct_answer_completes_the_lesson_step():
    context = lesson_step(target_phrases=[], target_vocabulary=[])
    response = reply_to("I would like a hot chocolate with milk.", context=context)
    assert response.step_complete is True
    assert response.next_prompt == "Order a drink politely."
    assert "step 2 of 4" in response.reply


def test_using_the_lessons_phrase_completes_the_step_even_when_short():
    response = reply_to("Could I have tea?", context=lesson_step())
    assert response.step_complete is True


def test_a_short_answer_does_not_complete_the_step_and_says_what_to_try():
    response = reply_to("Tea, thanks.", context=lesson_step())
    assert response.step_complete is False
    assert "Could I have" in response.reply
    assert response.reply.endswith("Order a drink politely.")
    assert response.next_prompt == "Order a drink politely."


def test_a_long_answer_with_a_mistake_does_not_complete_the_step():
    context = lesson_step(target_phrases=[], target_vocabulary=[])
    response = reply_to("Yesterday I order a big cup of tea there.", context=context)
    assert response.step_complete is False
    assert [point.issue for point in response.feedback.grammar] == ["past_tense"]


def test_an_empty_answer_does_not_complete_the_step():
    response = reply_to("", context=lesson_step())
    assert response.step_complete is False
    assert response.next_prompt == "Order a drink politely."


# --- Pronunciation coach --------------------------------------------------------------


def test_the_pronunciation_coach_flags_the_words_it_did_not_hear():
    context = PracticeContext(
        mode="pronunciation_coach", expected_text="I think three zebras are there."
    )
    response = reply_to("I sink tree zebras are there", language="en", context=context)
    points = response.feedback.pronunciation
    assert [p.word for p in points] == ["think", "three"]
    assert {(p.issue, p.severity, p.target_sound) for p in points} == {
        ("not heard clearly", "medium", "/θ/ or /ð/")
    }
    assert all(p.tip for p in points)
    assert response.feedback.grammar == []
    [drill] = response.drills
    assert drill.type == "repeat_sentence"
    assert drill.sentence == "I think three zebras are there."
    assert "think" in response.reply
    assert response.step_complete is None


def test_the_pronunciation_coach_praises_a_sentence_heard_in_full():
    context = PracticeContext(mode="pronunciation_coach", expected_text="Thank you very much!")
    response = reply_to("thank you very much", context=context)
    assert response.feedback.pronunciation == []
    assert response.drills == []
    assert "every word" in response.reply


# --- Determinism and the LLM provider ------------------------------------------------------


def test_the_same_turn_gets_the_same_reply():
    context = live("weekend plans")
    first = reply_to("Last weekend I go to the beach with my two brother.", context=context)
    second = reply_to("Last weekend I go to the beach with my two brother.", context=context)
    assert first == second


def test_the_reply_does_not_depend_on_the_process():
    """Python's hash() changes between processes; the coach must not."""
    script = (
        "from providers.mock import coach_reply\n"
        "from providers.schemas import LearnerProfile, PracticeContext\n"
        "r = coach_reply(LearnerProfile(name='Siti'), PracticeContext(topic='travel'), [],\n"
        "                'Yesterday I visit Bali and we very like the beach.')\n"
        "print(r.model_dump_json())\n"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(PROJECT_ROOT)}
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_mock_llm_answers_with_the_coach_and_is_not_degraded():
    llm = MockLLM()
    reply = llm.generate(learner(), live("travel"), [], "I go to Bali last year.")
    assert llm.model_id == "mock-coach"
    assert reply.degraded is False
    assert reply.response == coach_reply(learner(), live("travel"), [], "I go to Bali last year.")
    assert MaccaJsonResponse.model_validate(json.loads(reply.raw_text)) == reply.response


# --- ASR -------------------------------------------------------------------------------


def test_mock_asr_returns_the_expected_text_when_there_is_one():
    transcript = MockASR().transcribe(b"RIFF....", "audio/wav", expected_text="Thank you.")
    assert (transcript.text, transcript.degraded) == ("Thank you.", False)


def test_mock_asr_otherwise_hears_a_fixed_sentence_with_learner_mistakes(caplog):
    with caplog.at_level(logging.INFO, logger="providers.mock"):
        transcript = MockASR().transcribe(b"x" * 1234, "audio/webm")
    assert (transcript.text, transcript.degraded) == (MOCK_TRANSCRIPT, False)
    assert reply_to(transcript.text).feedback.grammar
    [record] = [r for r in caplog.records if r.name == "providers.mock"]
    assert record.levelno == logging.INFO
    message = record.getMessage()
    assert "mock" in message
    assert "1234 bytes" in message
    assert "audio/webm" in message


def test_mock_asr_hears_nothing_in_empty_audio():
    assert MockASR().transcribe(b"", "audio/wav").text == ""
    assert MockASR().model_id == "mock-asr"


# --- TTS -------------------------------------------------------------------------------


def read_wav(audio: bytes) -> tuple[tuple[int, int, int], float, array]:
    """((channels, sample width, rate), seconds, samples) of a WAV file."""
    with wave.open(io.BytesIO(audio), "rb") as wav:
        params = wav.getparams()
        frames = array("h", wav.readframes(params.nframes))
    if sys.byteorder == "big":
        frames.byteswap()
    shape = (params.nchannels, params.sampwidth, params.framerate)
    return shape, params.nframes / params.framerate, frames


def test_mock_tts_speaks_a_playable_16_khz_mono_wav():
    speech = MockTTS().synthesize("Hello Siti, how was your weekend?")
    assert (speech.content_type, speech.degraded) == ("audio/wav", False)
    shape, _, frames = read_wav(speech.audio)
    assert shape == (1, 2, 16000)
    peak = 0.2 * 32767
    assert 0 < max(abs(sample) for sample in frames) <= peak + 1
    assert max(abs(sample) for sample in frames[:40]) < peak / 4  # faded in: no click


def test_mock_tts_takes_longer_to_say_a_longer_text():
    def seconds(text: str) -> float:
        return read_wav(MockTTS().synthesize(text).audio)[1]

    assert seconds("") == 0.5
    assert seconds("Hi") == 0.5
    assert seconds("Hello Siti, how are you?") < seconds(
        "Hello Siti, how was your weekend in Bandung? Tell me everything about it!"
    )
    assert seconds("word " * 1000) == 5.0


def test_mock_tts_says_the_same_text_the_same_way_and_fast():
    started = time.perf_counter()
    long_speech = MockTTS().synthesize("a long sentence " * 50)
    assert time.perf_counter() - started < 1.0
    assert (
        MockTTS().synthesize("Good morning!").audio == MockTTS().synthesize("Good morning!").audio
    )
    assert long_speech.audio != MockTTS().synthesize("Good morning!").audio
    assert MockTTS().model_id == "mock-tts"
