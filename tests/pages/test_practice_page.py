"""The practice page: what it shows for each mode, a session's conversation so
far rendered on the server (feedback included), guided lessons' steps, the
no-JavaScript text turn, and the size of what the browser downloads."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from tutor.api.throttles import TurnThrottle
from tutor.models import Lesson, LessonStep, Mode, PracticeSession, Role, Turn
from tutor.views.practice import marked_words

pytestmark = pytest.mark.django_db

PAST_TENSE = "Yesterday I go to the market and buy many fruit"
ASSETS = ["css/macca.css", "css/practice.css", "js/api.js", "js/practice.js", "js/recorder.js"]


def json_script(response, element_id: str) -> dict:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no #{element_id} json_script"
    return json.loads(match.group(1))


def start(api, **body) -> str:
    response = api.post("/api/session/start", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["session_id"]


def say(api, session_id: str, text: str) -> dict:
    response = api.post(
        "/api/session/turn", {"session_id": session_id, "user_text": text}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def alice_page(client, alice):
    client.force_login(alice)
    return client


# --- Access -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/practice/?mode=live")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/practice/")


def test_it_hides_other_learners_sessions(alice_page, bob_api):
    bobs = start(bob_api, mode="live", topic="Bob's secret")

    response = alice_page.get(f"/practice/?session={bobs}")

    assert response.status_code == 404
    assert b"Bob's secret" not in response.content


@pytest.mark.parametrize("session", [str(uuid.uuid4()), "not-a-uuid"])
def test_an_unknown_session_is_not_found(alice_page, session):
    assert alice_page.get(f"/practice/?session={session}").status_code == 404


def test_it_does_not_post_turns_into_other_learners_sessions(alice_page, bob_api):
    bobs = start(bob_api, mode="live")

    response = alice_page.post("/practice/", {"user_text": "Hello", "session_id": bobs})

    assert response.status_code == 404
    assert not Turn.objects.filter(session_id=bobs, role=Role.LEARNER).exists()


# --- Each mode --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "long_mode", "label"),
    [
        ("live", Mode.LIVE_CONVERSATION, "Conversation"),
        ("guided", Mode.GUIDED_LESSON, "Guided lesson"),
        ("pronunciation", Mode.PRONUNCIATION_COACH, "Pronunciation coach"),
    ],
)
def test_it_renders_each_mode_with_the_microphone_and_the_text_box(
    alice_page, lesson, mode, long_mode, label
):
    response = alice_page.get(f"/practice/?mode={mode}")

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<button type="button" id="record-button"[^>]*aria-pressed="false"', html)
    assert '<span class="record-label">Record</span>' in html
    assert 'id="recording-timer"' in html and "00:00" in html
    assert '<meter id="input-level"' in html
    assert '<form id="text-turn"' in html
    assert '<textarea id="user-text" name="user_text"' in html
    assert '<label for="user-text">Or type your answer</label>' in html
    assert re.search(r"<button type=\"submit\" id=\"send-text\">Send</button>", html)
    assert re.search(r'id="conversation"[^>]*aria-live="polite"', html)
    assert re.search(r'id="status"[^>]*role="status"', html)
    assert re.search(r'id="page-error"[^>]*role="alert"', html)
    assert re.search(r'id="mic-message"[^>]*role="alert"', html)
    assert 'id="end-session"' in html and 'id="session-summary"' in html
    assert f'aria-current="page">{label}</a>' in html
    assert "/static/js/practice.js" in html and "/static/css/practice.css" in html
    config = json_script(response, "practice-config")
    assert config["mode"] == long_mode
    assert config["autoStart"] is True
    assert config["sessionId"] is None
    assert config["maxSeconds"] == 60


def test_the_strings_for_the_page_script_come_translated_from_the_view(alice_page):
    response = alice_page.get("/practice/?mode=live")

    strings = json_script(response, "practice-strings")
    assert strings["record"] == "Record"
    assert strings["stop"] == "Stop and send"
    assert strings["thinking"] == "Macca is thinking…"
    assert "type your answer" in strings["micDenied"]
    assert "type your answer" in strings["micMissing"]
    assert strings["vocabularySaved"] == "saved to your words"
    assert all(isinstance(text, str) and text for text in strings.values())


def test_the_strings_follow_the_interface_language(alice_page):
    response = alice_page.get("/practice/?mode=live", HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "id"
    assert json_script(response, "practice-strings")["record"]  # translated when the .mo exists


def test_the_conversation_mode_passes_the_topic_to_the_page_script(alice_page):
    response = alice_page.get("/practice/?mode=live&topic=my+weekend")

    assert json_script(response, "practice-config")["topic"] == "my weekend"
    assert 'name="topic" value="my weekend"' in response.content.decode()


def test_without_a_mode_it_offers_the_modes_and_waits(alice_page):
    response = alice_page.get("/practice/")

    html = response.content.decode()
    assert response.status_code == 200
    for mode in ("live", "guided", "pronunciation"):
        assert f'href="/practice/?mode={mode}"' in html
    assert json_script(response, "practice-config")["autoStart"] is False


def test_an_unknown_mode_is_treated_as_no_choice(alice_page):
    response = alice_page.get("/practice/?mode=karaoke")

    assert response.status_code == 200
    assert json_script(response, "practice-config")["autoStart"] is False


# --- Guided lessons ---------------------------------------------------------------


def test_guided_mode_shows_the_steps_with_the_first_one_current(alice_page, lesson):
    response = alice_page.get(f"/practice/?mode=guided&lesson={lesson.pk}")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<ol id="lesson-steps"' in html
    assert re.search(
        r'<li data-step="1" class="step-current" aria-current="step">\s*'
        r'<span class="step-title">Greet</span>',
        html,
    )
    assert re.search(r'<li data-step="2" class="">\s*<span class="step-title">Order</span>', html)
    assert html.count('aria-current="step"') == 1
    assert "Step 1 of 2: Greet" in html
    config = json_script(response, "practice-config")
    assert config["lessonId"] == str(lesson.pk)
    assert config["steps"] == ["Greet", "Order"]
    assert config["currentStep"] == 1


def test_guided_mode_without_a_lesson_picks_the_learners_next_lesson(alice_page, lesson):
    response = alice_page.get("/practice/?mode=guided")

    assert response.status_code == 200
    assert json_script(response, "practice-config")["lessonId"] == str(lesson.pk)
    assert "Ordering coffee" in response.content.decode()


def test_guided_mode_with_no_lesson_published_links_to_the_lessons(alice_page):
    response = alice_page.get("/practice/?mode=guided")

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no lesson to practise yet." in html
    assert 'href="/lessons/"' in html
    assert re.search(r'id="record-button"[^>]* disabled', html)
    config = json_script(response, "practice-config")
    assert config["autoStart"] is False and config["canPractise"] is False


@pytest.mark.parametrize("lesson_id", [str(uuid.uuid4()), "nope"])
def test_an_unknown_lesson_is_not_found(alice_page, lesson, lesson_id):
    assert alice_page.get(f"/practice/?mode=guided&lesson={lesson_id}").status_code == 404


def test_an_unpublished_lesson_is_not_found(alice_page, lesson):
    Lesson.objects.filter(pk=lesson.pk).update(is_published=False)

    assert alice_page.get(f"/practice/?mode=guided&lesson={lesson.pk}").status_code == 404


def test_a_guided_session_shows_its_current_step(alice_page, alice, lesson):
    session = PracticeSession.objects.create(
        learner=alice, mode=Mode.GUIDED_LESSON, lesson=lesson, current_step=2
    )

    html = alice_page.get(f"/practice/?session={session.pk}").content.decode()

    assert re.search(r'<li data-step="1" class="step-done">', html)
    assert re.search(r'<li data-step="2" class="step-current" aria-current="step">', html)
    assert "Step 2 of 2: Order" in html


def test_a_completed_lesson_says_so_and_marks_every_step_done(alice_page, alice, lesson):
    now = timezone.now()
    session = PracticeSession.objects.create(
        learner=alice,
        mode=Mode.GUIDED_LESSON,
        lesson=lesson,
        current_step=2,
        started_at=now - timedelta(minutes=5),
        ended_at=now,
        lesson_completed_at=now,
        summary="Lesson “Ordering coffee”: 2 turns, 1 minute. Lesson completed!",
    )

    html = alice_page.get(f"/practice/?session={session.pk}").content.decode()

    assert 'aria-current="step"' not in html
    assert html.count('class="step-done"') == 2
    assert "Lesson complete! Well done." in html


def test_a_guided_answer_that_completes_the_step_is_marked(alice_page, alice_api, lesson):
    session_id = start(alice_api, mode="guided", lesson_id=str(lesson.pk))
    reply = say(alice_api, session_id, "Hello, my name is Alice and I am happy to be here today.")
    assert reply["lesson_step"] == 2

    html = alice_page.get(f"/practice/?session={session_id}").content.decode()

    assert "Step complete!" in html
    assert re.search(r'<li data-step="2" class="step-current" aria-current="step">', html)


# --- A session's conversation, rendered on the server -----------------------------


def test_a_session_renders_its_turns_and_feedback(alice_page, alice_api):
    session_id = start(alice_api, mode="live", topic="food")
    reply = say(alice_api, session_id, PAST_TENSE)

    response = alice_page.get(f"/practice/?session={session_id}")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="bubble bubble-tutor"') == 2
    assert html.count('class="bubble bubble-learner"') == 1
    assert "Let&#x27;s talk about food." in html
    assert PAST_TENSE in html
    assert (
        '<p class="better-sentence" lang="en">Yesterday I <mark>went</mark> to the market and '
        "<mark>bought</mark> many <mark>fruits</mark></p>"
    ) in html
    assert 'class="feedback-part grammar"' in html
    assert "I go → I went" in html
    assert '<li class="chip"' in html and "market" in html and "pasar" in html
    assert "saved to your words" in html
    assert reply["macca_audio_url"].removeprefix("http://testserver") in html
    assert html.count('<audio preload="auto" controls src="/media/speech/') == 2
    assert html.count('class="replay button-small button-quiet needs-js"') == 2
    slow_url = reply["macca_audio_url"].removeprefix("http://testserver") + "?speed=slow"
    assert f'class="replay-slow button-small button-quiet needs-js" data-src="{slow_url}"' in html
    assert 'class="drill"' in html and 'class="drill-record' in html
    assert "Yesterday I went to the market and bought many fruit" in html
    config = json_script(response, "practice-config")
    assert config["sessionId"] == session_id
    assert config["autoStart"] is False
    assert re.search(rf'name="session_id" value="{session_id}"', html)
    assert 'id="end-session"' in html and 'id="end-session" class' in html


def test_a_pronunciation_session_shows_its_opening_drill(alice_page, alice_api):
    session_id = start(alice_api, mode="pronunciation")

    html = alice_page.get(f"/practice/?session={session_id}").content.decode()

    assert "Repeat this sentence" in html
    assert html.count('class="drill-record button-small needs-js"') == 1


def test_an_answer_without_mistakes_says_so(alice_page, alice_api):
    session_id = start(alice_api, mode="live")
    say(alice_api, session_id, "I visited my grandmother last weekend.")

    html = alice_page.get(f"/practice/?session={session_id}").content.decode()

    assert "Well said: no corrections." in html
    assert "<mark>" not in html


def test_a_degraded_reply_shows_the_notice(alice_page, alice):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    Turn.objects.create(session=session, position=1, role=Role.TUTOR, text="Hi!")
    Turn.objects.create(session=session, position=2, role=Role.LEARNER, text="Hello")
    Turn.objects.create(
        session=session, position=3, role=Role.TUTOR, text="Nice to meet you.", degraded=True
    )

    html = alice_page.get(f"/practice/?session={session.pk}").content.decode()

    assert re.search(r'<p id="degraded-notice" class="alert alert-warning">', html)
    assert "offline coach" in html


def test_no_degraded_notice_for_a_normal_reply(alice_page, alice_api):
    session_id = start(alice_api, mode="live")

    html = alice_page.get(f"/practice/?session={session_id}").content.decode()

    assert re.search(r'<p id="degraded-notice" class="alert alert-warning" hidden>', html)


def test_an_ended_session_shows_its_summary_and_disables_the_controls(alice_page, alice_api):
    session_id = start(alice_api, mode="live", topic="food")
    say(alice_api, session_id, PAST_TENSE)
    summary = alice_api.post(f"/api/session/{session_id}/end").json()["summary"]

    response = alice_page.get(f"/practice/?session={session_id}")

    html = response.content.decode()
    assert re.search(r'<section id="session-summary"[^>]*tabindex="-1">', html)  # not hidden
    assert f'<p class="summary-text">{escape(summary)}</p>' in html
    assert "This session has ended." in html
    assert re.search(r'id="record-button"[^>]* disabled', html)
    assert re.search(r'<textarea id="user-text"[^>]* disabled', html)
    assert re.search(r'id="end-session"[^>]* hidden', html)
    assert 'href="/practice/?mode=live&amp;topic=food"' in html
    assert json_script(response, "practice-config")["ended"] is True


def test_the_page_reads_a_long_session_in_a_fixed_number_of_queries(alice_page, alice):
    def session_with(turns: int) -> PracticeSession:
        session = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
        Turn.objects.bulk_create(
            Turn(
                session=session,
                position=n,
                role=Role.TUTOR if n % 2 else Role.LEARNER,
                text=f"turn {n}",
                structured={"reply": "ok", "feedback": {"better_sentence": f"turn {n}."}},
            )
            for n in range(1, turns + 1)
        )
        return session

    counts = []
    for session in (session_with(3), session_with(31)):
        with CaptureQueriesContext(connection) as queries:
            assert alice_page.get(f"/practice/?session={session.pk}").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- Without JavaScript: the plain form posts a typed turn ------------------------


def test_without_javascript_a_typed_turn_starts_a_session_and_shows_the_reply(alice_page, alice):
    response = alice_page.post(
        "/practice/", {"user_text": PAST_TENSE, "mode": "live", "topic": "food"}
    )

    session = PracticeSession.objects.get(learner=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/practice/?session={session.pk}"
    assert session.topic == "food"
    html = alice_page.get(response["Location"]).content.decode()
    assert "<mark>went</mark>" in html and PAST_TENSE in html


def test_without_javascript_a_typed_turn_goes_into_the_session(alice_page, alice_api):
    session_id = start(alice_api, mode="live")

    response = alice_page.post("/practice/", {"user_text": "Hello!", "session_id": session_id})

    assert response["Location"] == f"/practice/?session={session_id}"
    assert Turn.objects.filter(session_id=session_id, role=Role.LEARNER, text="Hello!").exists()


def test_without_javascript_a_guided_turn_starts_the_chosen_lesson(alice_page, alice, lesson):
    alice_page.post(
        "/practice/", {"user_text": "Hello!", "mode": "guided", "lesson_id": str(lesson.pk)}
    )

    assert PracticeSession.objects.get(learner=alice).lesson == lesson


def test_without_javascript_an_empty_answer_is_refused_with_a_message(alice_page, alice):
    response = alice_page.post("/practice/", {"user_text": "  ", "mode": "live"}, follow=True)

    assert "Type a sentence first." in response.content.decode()
    assert not PracticeSession.objects.filter(learner=alice).exists()


def test_without_javascript_an_ended_session_takes_no_more_turns(alice_page, alice_api):
    session_id = start(alice_api, mode="live")
    alice_api.post(f"/api/session/{session_id}/end")

    response = alice_page.post(
        "/practice/", {"user_text": "Hello!", "session_id": session_id}, follow=True
    )

    assert "This session has ended" in response.content.decode()
    assert not Turn.objects.filter(session_id=session_id, role=Role.LEARNER).exists()


def test_without_javascript_turns_are_throttled_like_the_api(alice_page, monkeypatch):
    # SimpleRateThrottle only reads THROTTLE_RATES when the class sets no rate.
    monkeypatch.setattr(TurnThrottle, "rate", "1/min", raising=False)
    alice_page.post("/practice/", {"user_text": "One", "mode": "live"})

    response = alice_page.post("/practice/", {"user_text": "Two", "mode": "live"}, follow=True)

    assert "You are sending answers very fast" in response.content.decode()
    assert Turn.objects.filter(text="One").exists()
    assert not Turn.objects.filter(text="Two").exists()


# --- The word diff and the assets --------------------------------------------------


def test_the_better_sentence_marks_the_changed_and_added_words():
    words = marked_words("yesterday i go to market", "Yesterday I went to the market.")

    assert [w["text"] for w in words if w["changed"]] == ["went", "the"]


def test_a_better_sentence_that_only_fixes_case_and_punctuation_marks_nothing():
    assert marked_words("i like rice", "I like rice.") == []


def test_the_page_assets_exist_and_stay_small():
    paths = [finders.find(asset) for asset in ASSETS]

    assert all(paths), dict(zip(ASSETS, paths, strict=True))
    total = sum(len(open(path, "rb").read()) for path in paths)  # noqa: SIM115
    assert total < 150 * 1024, f"{total} bytes of CSS and JS"


def test_lessons_without_steps_are_not_offered(alice_page, lesson):
    empty = Lesson.objects.create(
        slug="empty", title="Empty lesson", objective="Nothing.", is_published=True
    )
    LessonStep.objects.filter(lesson=empty).delete()

    html = alice_page.get(f"/practice/?mode=guided&lesson={lesson.pk}").content.decode()

    assert "Ordering coffee" in html
    assert "Empty lesson" not in html


def test_a_lesson_completed_before_says_so(alice_page, alice, lesson):
    now = timezone.now()
    PracticeSession.objects.create(
        learner=alice,
        mode=Mode.GUIDED_LESSON,
        lesson=lesson,
        current_step=2,
        started_at=now - timedelta(minutes=5),
        ended_at=now,
        lesson_completed_at=now,
    )

    html = alice_page.get(f"/practice/?mode=guided&lesson={lesson.pk}").content.decode()

    assert "You have completed this lesson before" in html
    assert re.search(r'<li data-step="1" class="step-current" aria-current="step">', html)


def test_coming_back_to_the_same_practice_resumes_the_open_session(client, alice):
    from tutor.services.sessions import start_session

    client.force_login(alice)
    started = start_session(learner=alice, mode="live_conversation", topic="travel").session

    response = client.get("/practice/?mode=live&topic=travel")

    assert response.status_code == 302
    assert response["Location"] == f"/practice/?session={started.pk}"
    # Another topic is another conversation.
    assert client.get("/practice/?mode=live&topic=food").status_code == 200


# --- Offline mode ---------------------------------------------------------------------


DEMO = "Offline mode: Macca listens to your recordings and speaks on this server"


@pytest.mark.parametrize("path", ["/practice/?mode=live", "/pronunciation/"])
def test_offline_the_page_says_macca_listens_and_the_tutor_is_rule_based(
    alice_page, path, settings
):
    settings.USE_MOCK_AI = True

    page = alice_page.get(path).content.decode()
    assert DEMO in page
    assert "The tutor is a rule-based coach" in page


@pytest.mark.parametrize("path", ["/practice/?mode=live", "/pronunciation/"])
def test_with_real_models_there_is_no_demo_notice(alice_page, path, settings):
    settings.USE_MOCK_AI, settings.HF_API_KEY = False, "hf_test"

    page = alice_page.get(path)

    assert page.status_code == 200
    assert "Offline mode" not in page.content.decode()
