"""The learner's dashboard: greeting, streaks, minutes this week, the 30-day chart,
recurring mistakes with an example, words to review, the practice modes, and the
session to continue; an encouraging page for a new learner; fixed query count."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tutor.charts import daily_bar_chart, nice_top
from tutor.models import (
    FeedbackIssue,
    FeedbackKind,
    Mode,
    PracticeSession,
    Role,
    Turn,
    User,
    VocabularyItem,
)
from tutor.services.activity import record_turns

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


def practise(
    learner: User,
    *,
    days_ago: int = 0,
    minutes: int = 10,
    text: str = "I like football.",
    ended: bool = True,
    topic: str = "",
) -> Turn:
    """A conversation `days_ago` days back (early enough to be that day in Jakarta),
    `minutes` long, with Macca's opening and one learner turn, counted as the app counts
    the turns it writes."""
    started = timezone.now() - timedelta(days=days_ago, minutes=minutes + 1)
    session = PracticeSession.objects.create(
        learner=learner,
        mode=Mode.LIVE_CONVERSATION,
        topic=topic,
        started_at=started,
        ended_at=started + timedelta(minutes=minutes) if ended else None,
    )
    opening = Turn.objects.create(
        session=session, position=1, role=Role.TUTOR, text="Hi!", created_at=started
    )
    said = Turn.objects.create(
        session=session,
        position=2,
        role=Role.LEARNER,
        text=text,
        created_at=started + timedelta(minutes=1),
    )
    record_turns(session=session, turns=[opening, said])
    return said


def mistake(turn: Turn, code: str, better: str, kind: str = FeedbackKind.GRAMMAR) -> None:
    issue = FeedbackIssue.objects.create(
        learner=turn.session.learner,
        session=turn.session,
        turn=turn,
        kind=kind,
        code=code,
        detail={"better_sentence": better, "explanation": f"Explained: {code}"},
        created_at=turn.created_at,
    )
    record_turns(session=turn.session, turns=[], issues=[issue])


def dashboard(client) -> str:
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's words, without tags and with spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- Access -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(DASHBOARD)
    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/dashboard/")


def test_the_home_page_sends_learners_to_their_dashboard(client, alice):
    client.force_login(alice)
    assert client.get("/").url == DASHBOARD


# --- A new learner ----------------------------------------------------------------------


def test_a_new_learner_is_greeted_and_told_what_to_do(client, alice):
    client.force_login(alice)
    body = dashboard(client)
    words = text_of(body)

    assert re.search(r"<h1>\s*Hi, Alice!\s*</h1>", body)
    assert "Your first conversation takes just a few minutes" in words
    assert "How it works" in words
    assert "Practise today to start a streak." in words
    assert "No practice in the last 30 days yet." in words
    assert "Your practice minutes will show here." in words
    assert "After your first conversations, the mistakes you make most often show up here" in (
        words
    )
    assert "Nothing to review right now." in words
    assert "Pick up where you left off" not in words
    assert 'aria-current="page">Dashboard</a>' in body


def test_a_learner_without_a_name_is_still_greeted(client, db):
    learner = User.objects.create_user("noname@example.com", "correct horse battery")
    client.force_login(learner)
    assert "Hi there!" in dashboard(client)


# --- The practice modes -----------------------------------------------------------------


def test_it_links_to_the_three_practice_modes(client, alice, lesson):
    client.force_login(alice)
    body = dashboard(client)

    assert '<form method="get" action="/practice/"' in body
    assert '<input type="hidden" name="mode" value="live">' in body
    assert 'name="topic"' in body
    assert 'href="/practice/?mode=live&amp;topic=your%20weekend"' in body
    assert f'href="/practice/?mode=guided&amp;lesson={lesson.pk}"' in body
    assert "Ordering coffee" in body
    assert 'href="/lessons/"' in body
    assert 'href="/practice/?mode=pronunciation"' in body
    assert 'href="/pronunciation/"' in body


def test_without_published_lessons_the_guided_button_leads_to_the_lesson_list(client, alice):
    client.force_login(alice)
    body = dashboard(client)
    assert "mode=guided" not in body
    assert re.search(r'<a class="button" href="/lessons/">\s*See the lessons', body)


def test_it_offers_to_continue_the_latest_open_session(client, alice):
    practise(alice, days_ago=2, topic="cooking", ended=False)
    newest = practise(alice, days_ago=0, topic="travel", ended=False).session
    practise(alice, days_ago=0, topic="done already")  # ended
    client.force_login(alice)

    body = dashboard(client)

    assert "Pick up where you left off" in body
    assert "Conversation about travel." in body
    assert "1 answer so far." in body
    assert f'href="/practice/?session={newest.pk}&amp;mode=live"' in body


def test_a_guided_session_continues_at_its_step(client, alice, alice_api, lesson):
    response = alice_api.post(
        "/api/session/start", {"mode": "guided", "lesson_id": str(lesson.pk)}, format="json"
    )
    assert response.status_code in (200, 201), response.content
    session_id = response.json()["session_id"]
    client.force_login(alice)

    body = dashboard(client)

    assert "Lesson “Ordering coffee”, step 1 of 2." in body
    assert f'href="/practice/?session={session_id}&amp;mode=guided"' in body


# --- Figures ----------------------------------------------------------------------------


def test_it_shows_the_streaks_and_the_minutes_of_the_last_7_days(client, alice):
    for days_ago in (0, 1, 2):  # the current streak: 3 days
        practise(alice, days_ago=days_ago, minutes=10)
    for days_ago in (10, 11, 12, 13, 14):  # the longest: 5 days, outside this week
        practise(alice, days_ago=days_ago, minutes=20)
    client.force_login(alice)

    words = text_of(dashboard(client))

    assert "Current streak 3 days" in words
    assert "Longest streak 5 days" in words
    assert "This week 30 minutes in the last 7 days" in words
    assert "You are on a 3-day streak." in words
    assert "You practised on 8 days out of the last 30." in words
    assert "130 minutes in total." in words


@time_machine.travel("2026-11-24 05:00:00+00:00", tick=False)  # noon in Jakarta
def test_the_chart_is_an_svg_image_with_a_title_and_a_table_of_the_days(client, alice):
    """At a fixed hour: just after midnight in Jakarta, "today" has barely begun."""
    practise(alice, days_ago=0, minutes=12)
    practise(alice, days_ago=3, minutes=25)
    client.force_login(alice)

    body = dashboard(client)

    svg = re.search(r"<svg [^>]*role=\"img\"[^>]*>(.*?)</svg>", body, re.S)
    assert svg
    assert 'aria-labelledby="chart-title chart-desc"' in body
    assert '<title id="chart-title">Minutes practised per day, last 30 days</title>' in svg[1]
    assert "Your longest day: 25 minutes on" in svg[1]
    assert len(re.findall(r'<rect class="chart-bar', svg[1])) == 30
    assert len(re.findall(r'class="chart-bar chart-bar-today"', svg[1])) == 1
    assert len(re.findall(r'class="chart-bar"', svg[1])) == 1  # practised, not today
    table = re.search(r"<details class=\"chart-table\">(.*?)</details>", body, re.S)[1]
    assert len(re.findall(r"<tr><th scope=\"row\">", table)) == 30
    assert '<tr><th scope="row">Today</th><td>12</td></tr>' in table


def test_chart_coordinates_are_not_localised(client, alice):
    """In Indonesian, decimals take a comma: an SVG coordinate must not."""
    practise(alice, minutes=7)
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    body = dashboard(client)
    svg = re.search(r"<svg .*?</svg>", body, re.S)[0]
    assert not re.search(r'(x|y|width|height)="[0-9]+,[0-9]', svg)


# --- Mistakes ---------------------------------------------------------------------------


def test_it_lists_the_top_3_mistakes_each_with_one_of_the_learners_sentences(client, alice):
    for days_ago, text, better in (
        (0, "I go to school yesterday.", "I went to school yesterday."),
        (1, "I eat rice yesterday.", "I ate rice yesterday."),
        (2, "We watch a movie last night.", "We watched a movie last night."),
    ):
        mistake(practise(alice, days_ago=days_ago, text=text), "past_tense", better)
    for days_ago in (3, 4):
        mistake(
            practise(alice, days_ago=days_ago, text="I am student."), "article", "I am a student."
        )
    mistake(practise(alice, days_ago=5, text="She work here."), "third_person_s", "She works here.")
    mistake(practise(alice, days_ago=6, text="Very like it."), "very_like", "I really like it.")
    mistake(
        practise(alice, days_ago=7, text="I think so."),
        "th_voiceless",
        "",
        kind=FeedbackKind.PRONUNCIATION,
    )
    client.force_login(alice)

    body = dashboard(client)
    words = text_of(body)

    assert "Past tense 3 times" in words
    assert "You said “I go to school yesterday.” Better “I went to school yesterday.”" in words
    assert "I eat rice yesterday." not in words  # one example each
    assert "Article 2 times" in words
    assert "“I am a student.”" in words
    assert "Explained: past_tense" in words
    assert len(re.findall(r'<li class="mistake">', body)) == 3
    assert "Third person s 1 time" in words  # the latest of the single mistakes
    assert "Very like it." not in words
    assert "I think so." not in words
    session = Turn.objects.get(text="I go to school yesterday.").session
    assert f'href="/history/{session.pk}/"' in body


def test_a_mistake_seen_by_the_api_turn_shows_with_its_correction(client, alice, alice_api):
    response = alice_api.post(
        "/api/session/turn",
        {"user_text": "I go to the office yesterday.", "mode": "live"},
        format="json",
    )
    assert response.status_code == 200, response.content
    client.force_login(alice)

    words = text_of(dashboard(client))

    assert "Past tense 1 time" in words
    assert "You said “I go to the office yesterday.”" in words
    assert "Better “I went to the office yesterday.”" in words


def test_a_learner_who_practised_without_mistakes_is_told_so(client, alice):
    practise(alice)
    client.force_login(alice)
    assert "No recurring mistakes so far." in text_of(dashboard(client))


def test_another_learners_data_stays_off_the_dashboard(client, alice, bob):
    mistake(practise(bob, text="Bob go home yesterday.", ended=False), "past_tense", "Bob went.")
    VocabularyItem.objects.create(learner=bob, word="secret", translation="rahasia")
    client.force_login(alice)

    words = text_of(dashboard(client))

    assert "Bob go home yesterday." not in words
    assert "Pick up where you left off" not in words
    assert "Nothing to review right now." in words


# --- Words to review --------------------------------------------------------------------


def test_it_counts_the_words_due_and_links_to_the_review(client, alice):
    now = timezone.now()
    VocabularyItem.objects.bulk_create(
        [
            VocabularyItem(learner=alice, word="deadline", translation="tenggat"),  # new
            VocabularyItem(learner=alice, word="budget", translation="anggaran"),  # new
            VocabularyItem(  # due again
                learner=alice,
                word="schedule",
                translation="jadwal",
                stability=2.0,
                difficulty=5.0,
                state=2,
                last_review=now - timedelta(days=3),
                due=now - timedelta(hours=1),
            ),
            VocabularyItem(  # not due yet
                learner=alice,
                word="meeting",
                translation="rapat",
                stability=9.0,
                difficulty=5.0,
                state=2,
                last_review=now - timedelta(days=1),
                due=now + timedelta(days=5),
            ),
        ]
    )
    client.force_login(alice)

    body = dashboard(client)

    assert "3 words ready to review" in text_of(body)
    assert re.search(r'<a class="button" href="/vocabulary/review/">\s*Review now', body)


# --- Cost and language ------------------------------------------------------------------


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        dashboard(client)
    return len(queries)


def add_history(learner: User, count: int) -> None:
    for n in range(count):
        turn = practise(learner, days_ago=n % 30, ended=n != count - 1)
        mistake(turn, ("past_tense", "article", "missing_be")[n % 3], "Better.")
    VocabularyItem.objects.bulk_create(
        [
            VocabularyItem(learner=learner, word=f"word{learner.pk.hex[:4]}{n}", translation="kata")
            for n in range(count)
        ]
    )


def test_the_dashboard_costs_the_same_for_2_or_20_sessions(client, alice, bob, lesson):
    add_history(alice, 2)
    add_history(bob, 20)

    client.force_login(alice)
    few = queries_for(client)
    client.force_login(bob)
    many = queries_for(client)

    assert few == many, (few, many)
    assert many <= 13, many


def test_the_dashboard_follows_the_interface_language(client, alice):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert '<html lang="id"' in dashboard(client)


# --- The chart's geometry ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("largest", "top"), [(0, 10), (7, 10), (10, 10), (11, 20), (45, 60), (181, 240), (250, 300)]
)
def test_the_scale_tops_at_a_round_number(largest, top):
    assert nice_top(largest) == top


def test_bars_grow_with_the_minutes_and_sit_on_the_baseline():
    first = date(2025, 3, 1)
    days = [{"date": first + timedelta(days=n), "minutes": 0} for n in range(30)]
    days[5]["minutes"], days[29]["minutes"] = 20, 40

    chart = daily_bar_chart(days)

    assert chart.scale_top == 40
    assert [line.minutes for line in chart.gridlines] == [0, 20, 40]
    tallest, half, empty = chart.bars[29], chart.bars[5], chart.bars[0]
    assert tallest.height == pytest.approx(chart.bottom - chart.top)
    assert half.height == pytest.approx(tallest.height / 2, abs=0.1)
    assert empty.height == 2 and not empty.practised
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(chart.bottom, abs=0.1)
        assert chart.left <= bar.x and bar.x + bar.width <= chart.right
    assert [bar.x for bar in chart.bars] == sorted(bar.x for bar in chart.bars)
    assert tallest.is_today and tallest.labelled
    assert [n for n, bar in enumerate(chart.bars) if bar.labelled] == [1, 8, 15, 22, 29]
    assert (chart.total_minutes, chart.practice_days, chart.busiest) == (60, 2, tallest)
