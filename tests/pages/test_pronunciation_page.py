"""The pronunciation coach page: the sentence to read comes from the learner's
weakest sound, the suggestions fill it in, Macca's voice reads it (normal and slow),
and past attempts can be replayed, with only the words worth a look marked."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape

from tutor.models import (
    FeedbackIssue,
    FeedbackKind,
    Mode,
    PracticeSession,
    PronunciationAttempt,
    Role,
    Turn,
)
from tutor.services.pronunciation import practice_sentence
from tutor.services.pronunciation_data import HARD_SOUNDS

pytestmark = pytest.mark.django_db


def flag_sound(learner, code: str, times: int = 1) -> None:
    session = PracticeSession.objects.create(learner=learner, mode=Mode.PRONUNCIATION_COACH)
    turn = Turn.objects.create(session=session, position=1, role=Role.LEARNER, text="Dis is it.")
    FeedbackIssue.objects.bulk_create(
        FeedbackIssue(
            learner=learner,
            session=session,
            turn=turn,
            kind=FeedbackKind.PRONUNCIATION,
            code=code,
            detail={"word": "this", "target_sound": "/ð/"},
        )
        for _ in range(times)
    )


SWAPPED_TH = {"target_sound": "θ", "heard_sound": "s", "ok": False}
WORDS = [
    {"word": "think", "heard": "sink", "status": "needs_work", "score": 50, "sounds": [SWAPPED_TH]},
    {"word": "about", "heard": "about", "status": "excellent", "score": 100, "sounds": []},
    {
        "word": "it",
        "heard": None,
        "status": "needs_work",
        "score": 0,
        "sounds": [],
        "missing": True,
    },
]


def attempt(
    learner, target: str, *, overall: int = 70, minutes_ago: int = 0, words=WORDS, **fields
):
    item = PronunciationAttempt(
        learner=learner,
        target_text=target,
        transcript="sink about",
        accuracy=overall,
        completeness=100,
        overall=overall,
        words=words,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )
    item.audio.name = f"private/recordings/{learner.id}/{target[:4]}.webm"
    item.save()
    return item


def strings_of(response) -> dict:
    match = re.search(
        r'<script id="pronunciation-strings" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no #pronunciation-strings json_script"
    return json.loads(match.group(1))


def history_of(html: str) -> str:
    return html[html.index('id="attempt-history"') : html.index("</ol>")]


def value_of_target(html: str) -> str:
    start = html.index('id="target-text"')
    tag = html[start : html.index(">", start)]
    return tag.split('value="', 1)[1].split('"', 1)[0]


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/pronunciation/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/pronunciation/"


def test_a_new_learner_gets_the_first_sentence_of_the_table(client, alice):
    client.force_login(alice)

    response = client.get("/pronunciation/")

    assert response.status_code == 200
    first = next(iter(HARD_SOUNDS))
    assert value_of_target(response.content.decode()) == practice_sentence(first)


def test_the_sentence_drills_the_learners_weakest_sound(client, alice, bob):
    flag_sound(alice, "th_voiced", times=2)
    flag_sound(bob, "v", times=5)
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    assert value_of_target(html) == practice_sentence("th_voiced")
    assert "your weak sound" in html


def test_a_sound_can_be_chosen_in_the_address(client, alice):
    client.force_login(alice)

    html = client.get("/pronunciation/?sound=v").content.decode()

    assert value_of_target(html) == practice_sentence("v")


def test_the_page_has_the_recorder_the_result_area_and_the_honest_note(client, alice):
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    assert '<label for="target-text">Sentence to practise</label>' in html
    assert 'id="attempt-record"' in html
    assert 'aria-pressed="false"' in html
    for score in ("score-overall", "score-accuracy", "score-completeness"):
        assert f'id="{score}"' in html
    assert 'id="mic-message"' in html and 'role="alert"' in html
    assert 'id="pronunciation-strings"' in html
    assert "/static/js/pronunciation.js" in html


def test_the_footnote_says_how_macca_judges_now(client, alice):
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    assert (
        "Macca listens to the sounds themselves and checks the ones Indonesian speakers often "
        "swap; it was tuned on synthetic voices, not yet on real learners."
    ) in html
    assert "Scores are based on what the speech recogniser heard" not in html


def test_the_scores_say_what_was_judged(client, alice):
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    assert "Sounds <span" in html and "(how closely each sound matched)" in html
    assert "Words said <span" in html and "(how many of the words were spoken)" in html
    assert "Accuracy" not in html and "Completeness" not in html


def test_the_sentence_can_be_heard_in_maccas_voice_normal_and_slow(client, alice):
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    choose = html[html.index('id="target-heading"') : html.index('id="record-heading"')]
    assert "Hear it in Macca's voice:" in choose
    assert re.search(r'<button type="button" [^>]*id="listen-normal" data-listen disabled>', choose)
    assert re.search(r'id="listen-slow" data-listen data-slow="true" disabled>', choose)
    assert "</span> Listen</button>" in choose and "</span> Listen slowly</button>" in choose
    assert 'class="alert alert-error listen-error" role="alert" hidden' in choose
    assert '<audio id="macca-voice" preload="none" hidden></audio>' in html


def test_the_result_has_a_player_for_the_recording_beside_maccas_voice(client, alice):
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    result = html[html.index('id="attempt-result"') : html.index('id="history-heading"')]
    assert '<audio id="result-recording" controls' in result
    assert 'aria-labelledby="result-recording-label"' in result
    assert 'id="result-listen-normal" data-listen' in result
    assert 'id="result-listen-slow" data-listen data-slow="true"' in result
    assert "Tap a word to hear Macca say it." in result
    # The legend names the two marks a word can get, not the three statuses.
    assert 'class="word word-sound" data-mark="sound">a sound to work on<' in result
    assert 'class="word word-missing" data-mark="missing">not said<' in result
    assert "excellent" not in result


def test_the_strings_for_the_page_script_come_translated_from_the_view(client, alice):
    client.force_login(alice)

    strings = strings_of(client.get("/pronunciation/"))

    assert strings["soundToWorkOn"] == "a sound to work on"
    assert strings["notSaid"] == "not said"
    assert strings["playBlocked"] == "The browser did not start the sound. Press the button again."
    assert strings["playFailed"] == "Macca's voice could not be played. Please try again."
    assert strings["tipLabel"] == "How to say %(sound)s:"
    assert strings["soundLabels"]["th_voiceless"] == "/θ/"
    assert strings["soundLabels"]["final_consonant"] == "Final -t -d -k"
    assert {"excellent", "good", "needs_work", "notHeard"}.isdisjoint(strings)
    assert "Well done" in strings["noDifferences"]
    assert "recogniser" not in strings["noDifferences"]


def test_the_page_and_its_strings_speak_indonesian(client, alice):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"

    response = client.get("/pronunciation/")

    html = response.content.decode()
    assert "Dengarkan dengan suara Macca:" in html
    assert "</span> Dengarkan</button>" in html
    assert "</span> Dengarkan pelan-pelan</button>" in html
    assert "Macca mendengarkan bunyinya langsung" in html
    strings = strings_of(response)
    assert strings["notSaid"] == "tidak diucapkan"
    assert strings["soundToWorkOn"] == "ada bunyi yang perlu dilatih"
    assert strings["playFailed"] == "Suara Macca tidak bisa diputar. Silakan coba lagi."


def test_suggestions_fill_in_sentences_for_the_hard_sounds(client, alice):
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    for code in ("th_voiceless", "th_voiced", "v", "final_consonant"):
        assert f'data-sound="{code}"' in html
        assert f'data-sentence="{practice_sentence(code)}"' in html
    assert "/θ/" in html and "/ð/" in html


def test_tips_follow_the_explanation_language(client, alice):
    client.force_login(alice)
    first = next(iter(HARD_SOUNDS))

    indonesian = client.get("/pronunciation/").content.decode()
    alice.explanation_language = "en"
    alice.save(update_fields=["explanation_language"])
    english = client.get("/pronunciation/").content.decode()

    assert escape(HARD_SOUNDS[first]["tip_id"]) in indonesian
    assert escape(HARD_SOUNDS[first]["tip_en"]) in english


def test_past_attempts_are_listed_newest_first_with_their_recordings(client, alice, bob):
    old = attempt(alice, "Think about it.", overall=55, minutes_ago=30)
    new = attempt(alice, "Three trees.", overall=88, minutes_ago=1)
    attempt(bob, "Bob's own sentence", overall=10)
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    history = html[html.index('id="attempt-history"') :]
    assert history.index(f"/api/pronunciation/attempts/{new.id}/audio") < history.index(
        f"/api/pronunciation/attempts/{old.id}/audio"
    )
    assert "<audio controls" in history
    assert "88" in history and "55" in history
    assert "sink about" in history
    assert "Bob" not in history


def test_past_attempts_mark_only_the_words_worth_a_look(client, alice):
    attempt(alice, "Think about it.")
    client.force_login(alice)

    history = history_of(client.get("/pronunciation/").content.decode())

    assert '<span class="word word-sound">think<span class="visually-hidden" lang="en"> ' in history
    assert "> (a sound to work on)</span>" in history
    assert '<span class="word">about</span>' in history
    assert '<span class="word word-missing">it<span class="visually-hidden" lang="en"> ' in history
    assert "> (not said)</span>" in history
    for status in ("excellent", "good", "needs work", "status-"):
        assert status not in history


def test_a_reading_with_nothing_to_judge_shows_why_and_marks_no_word(client, alice):
    silence = "I couldn't hear any speech in that recording."
    attempt(alice, "Think about it.", overall=0, message=silence, method="acoustic")
    client.force_login(alice)

    history = history_of(client.get("/pronunciation/").content.decode())

    assert '<p class="pron-attempt-message">I couldn&#x27;t hear any speech' in history
    assert "word-sound" not in history and "word-missing" not in history


def test_the_history_shows_the_latest_ten(client, alice):
    for n in range(12):
        attempt(alice, f"Sentence number {n}", minutes_ago=n)
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    assert html.count('class="pron-attempt"') == 10


def test_an_unscored_attempt_says_so(client, alice):
    attempt(alice, "Very nice.", overall=0, degraded=True)
    client.force_login(alice)

    html = client.get("/pronunciation/").content.decode()

    assert "Not scored" in html
