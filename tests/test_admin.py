"""Admins curate lessons and read practice data in the Django admin."""

from __future__ import annotations

import re

import pytest
import responses
from django.contrib import admin
from django.urls import reverse

import providers
from providers.schemas import LearnerProfile, PracticeContext
from tutor.admin import ReadOnlyAdminMixin
from tutor.models import Lesson, Mode, PracticeSession, Turn, User, VocabularyItem

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_changelist_renders_for_a_superuser(admin_client, alice, lesson, model):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    Turn.objects.create(session=session, position=1, role="learner", text="Hello")
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_add_page_renders_unless_the_data_is_read_only(admin_client, model):
    read_only = isinstance(admin.site._registry[model], ReadOnlyAdminMixin)
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == (403 if read_only else 200)


def test_lessons_and_learners_are_editable_and_practice_data_is_not():
    editable = {
        m._meta.label
        for m in REGISTERED
        if not isinstance(admin.site._registry[m], ReadOnlyAdminMixin)
    }
    assert {"tutor.Lesson", "tutor.User", "tutor.VocabularyItem"} <= editable
    assert "tutor.PracticeSession" not in editable


def lesson_form(**overrides) -> dict:
    data = {
        "title": "At the pharmacy",
        "slug": "at-the-pharmacy",
        "subtitle": "Ask for medicine",
        "objective": "Describe a symptom and ask for advice.",
        "level": "A2",
        "goal": "daily_conversation",
        "target_grammar": "Present simple for symptoms: My head hurts.\n\nShould for advice",
        "target_vocabulary": "headache = sakit kepala\ncough = batuk",
        "is_published": "on",
        "position": "9",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-position": "1",
        "steps-0-title": "Say what is wrong",
        "steps-0-instruction": "Hello! How can I help you today?",
        "steps-0-example_answer": "I have a headache and a cough.",
        "steps-0-target_phrases": "I have a …\nIt started …",
        "steps-1-position": "2",
        "steps-1-title": "Ask for advice",
        "steps-1-instruction": "Ask the pharmacist what you should take.",
        "steps-1-example_answer": "",
        "steps-1-target_phrases": "",
    }
    data.update(overrides)
    return data


def test_an_admin_creates_and_publishes_a_lesson_with_steps(admin_client):
    response = admin_client.post(reverse("admin:tutor_lesson_add"), lesson_form())
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    lesson = Lesson.objects.get(slug="at-the-pharmacy")
    assert lesson.is_published
    assert lesson.target_grammar == [
        "Present simple for symptoms: My head hurts.",
        "Should for advice",
    ]
    assert lesson.target_vocabulary == [
        {"word": "headache", "translation": "sakit kepala"},
        {"word": "cough", "translation": "batuk"},
    ]
    assert [(s.position, s.title) for s in lesson.steps.all()] == [
        (1, "Say what is wrong"),
        (2, "Ask for advice"),
    ]
    assert lesson.steps.first().target_phrases == ["I have a …", "It started …"]

    page = admin_client.get(reverse("admin:tutor_lesson_change", args=[lesson.pk]))
    body = page.content.decode()
    assert "headache = sakit kepala" in body  # edited as lines, not JSON
    assert "Macca: “Hello! How can I help you today?”" in body  # the steps preview


def test_blank_steps_come_numbered_and_untouched_ones_are_ignored(admin_client, lesson):
    page = admin_client.get(reverse("admin:tutor_lesson_add")).content.decode()
    for number in (1, 2, 3):
        assert f'name="steps-{number - 1}-position" value="{number}"' in page
    page = admin_client.get(reverse("admin:tutor_lesson_change", args=[lesson.pk]))
    assert 'name="steps-2-position" value="3"' in page.content.decode()

    data = lesson_form(**{"steps-TOTAL_FORMS": "3", "steps-1-title": "", "steps-1-instruction": ""})
    data.update({"steps-2-position": "3"})
    response = admin_client.post(reverse("admin:tutor_lesson_add"), data)
    assert response.status_code == 302
    assert Lesson.objects.get(slug="at-the-pharmacy").steps.count() == 1


def test_it_explains_a_vocabulary_line_without_a_translation(admin_client):
    response = admin_client.post(
        reverse("admin:tutor_lesson_add"), lesson_form(target_vocabulary="headache")
    )
    assert response.status_code == 200
    assert "needs a word, “=”, and its translation" in response.content.decode()
    assert not Lesson.objects.exists()


def test_two_steps_with_one_position_get_a_form_error_not_a_crash(admin_client):
    response = admin_client.post(
        reverse("admin:tutor_lesson_add"), lesson_form(**{"steps-1-position": "1"})
    )
    assert response.status_code == 200
    assert "Please correct the duplicate data for position" in response.content.decode()
    assert not Lesson.objects.exists()


def test_an_admin_can_swap_two_steps(admin_client, lesson):
    first, second = lesson.steps.order_by("position")
    data = lesson_form(
        title=lesson.title,
        slug=lesson.slug,
        **{
            "steps-INITIAL_FORMS": "2",
            "steps-0-id": str(first.pk),
            "steps-0-lesson": str(lesson.pk),
            "steps-0-position": "2",
            "steps-0-title": first.title,
            "steps-0-instruction": first.instruction,
            "steps-1-id": str(second.pk),
            "steps-1-lesson": str(lesson.pk),
            "steps-1-position": "1",
            "steps-1-title": second.title,
            "steps-1-instruction": second.instruction,
        },
    )
    response = admin_client.post(reverse("admin:tutor_lesson_change", args=[lesson.pk]), data)
    assert response.status_code == 302
    assert list(lesson.steps.order_by("position").values_list("title", flat=True)) == [
        "Order",
        "Greet",
    ]


def test_a_lesson_without_steps_is_saved_unpublished(admin_client):
    data = lesson_form(**{"steps-TOTAL_FORMS": "0"})
    response = admin_client.post(reverse("admin:tutor_lesson_add"), data, follow=True)
    assert "has no steps, so it was saved unpublished" in response.content.decode()
    assert not Lesson.objects.get(slug="at-the-pharmacy").is_published


def test_publish_and_unpublish_actions(admin_client, lesson):
    empty = Lesson.objects.create(slug="empty", title="Empty", objective="…")
    url = reverse("admin:tutor_lesson_changelist")
    response = admin_client.post(
        url, {"action": "unpublish", "_selected_action": [lesson.pk]}, follow=True
    )
    assert "1 lesson unpublished." in response.content.decode()
    assert not Lesson.objects.get(pk=lesson.pk).is_published

    response = admin_client.post(
        url, {"action": "publish", "_selected_action": [lesson.pk, empty.pk]}, follow=True
    )
    body = response.content.decode()
    assert "1 lesson published." in body
    assert "1 lesson has no steps and was not published." in body
    assert set(Lesson.objects.published()) == {lesson}


def test_an_admin_reads_a_session_transcript_but_cannot_edit_it(admin_client, alice):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    Turn.objects.create(
        session=session, position=1, role="learner", text="I go to office yesterday."
    )
    Turn.objects.create(
        session=session, position=2, role="tutor", text="Nice! You went to the office."
    )
    url = reverse("admin:tutor_practicesession_change", args=[session.pk])
    response = admin_client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "I go to office yesterday." in body
    assert "Nice! You went to the office." in body
    assert admin_client.post(url, {"topic": "changed"}).status_code == 403


def test_the_learner_list_filters_by_level(admin_client, alice, bob):
    User.objects.filter(pk=bob.pk).update(level="C1")
    response = admin_client.get(reverse("admin:tutor_user_changelist"), {"level": "C1"})
    body = response.content.decode()
    assert "bob@example.com" in body
    assert "alice@example.com" not in body


def test_an_admin_adds_a_learner_by_email(admin_client, alice):
    url = reverse("admin:tutor_user_add")
    data = {
        "email": "Dewi@Example.com",
        "name": "Dewi",
        "usable_password": "true",
        "password1": "a-long-pass-phrase",
        "password2": "a-long-pass-phrase",
    }
    assert admin_client.post(url, data).status_code == 302
    assert User.objects.get(email="dewi@example.com").name == "Dewi"
    response = admin_client.post(url, {**data, "email": "ALICE@example.com"})
    assert response.status_code == 200
    assert "A user with this email address already exists." in response.content.decode()


LEARNER_FORM = {
    "email": "dewi@example.com",
    "usable_password": "true",
    "password1": "a-long-pass-phrase",
    "password2": "a-long-pass-phrase",
}


def test_an_admin_cannot_give_a_learner_a_name_of_only_invisible_characters(admin_client):
    response = admin_client.post(
        reverse("admin:tutor_user_add"), {**LEARNER_FORM, "name": "\u200b\u202e"}
    )

    assert response.status_code == 200
    assert "only invisible characters" in response.content.decode()
    assert not User.objects.filter(email="dewi@example.com").exists()


def test_a_learner_name_from_the_admin_is_stored_clean(admin_client):
    response = admin_client.post(
        reverse("admin:tutor_user_add"), {**LEARNER_FORM, "name": "\u202eDe\u200bwi"}
    )

    assert response.status_code == 302
    assert User.objects.get(email="dewi@example.com").name == "Dewi"


def vocabulary_form(alice, **changes) -> dict:
    return {
        "learner": str(alice.pk),
        "word": "deadline",
        "translation": "tenggat waktu",
        "example": "",
        "source": "manual",
        "due_0": "2026-01-05",
        "due_1": "09:00:00",
        "created_at_0": "2026-01-05",
        "created_at_1": "09:00:00",
        **changes,
    }


def test_an_admin_cannot_add_a_word_of_only_invisible_characters(admin_client, alice):
    response = admin_client.post(
        reverse("admin:tutor_vocabularyitem_add"), vocabulary_form(alice, word="\u200b\u2060")
    )

    assert response.status_code == 200
    assert "only invisible characters" in response.content.decode()
    assert not VocabularyItem.objects.exists()


def test_a_word_from_the_admin_is_stored_clean(admin_client, alice):
    data = vocabulary_form(
        alice, word="dead\u200bline", translation="\u202etenggat", example="Cafe\u0301"
    )

    response = admin_client.post(reverse("admin:tutor_vocabularyitem_add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    item = VocabularyItem.objects.get()
    assert (item.word, item.translation, item.example) == ("deadline", "tenggat", "Café")


# --- What the AI providers need of a person -----------------------------------------


@pytest.fixture
def out_of_credits(settings, time_machine):
    """Hugging Face mode; at 10:42 the LLM answers 402 (credits exhausted)."""
    settings.USE_MOCK_AI = False
    settings.HF_API_KEY = "hf_test_key"
    settings.HF_LLM_URL = "https://router.hf.test/v1/chat/completions"
    providers.reset()
    time_machine.move_to("2026-11-24 10:42:00", tick=False)
    with responses.RequestsMock() as mocked:
        mocked.post(settings.HF_LLM_URL, status=402, json={"error": "Credits exhausted"})
        assert tutor_turn() is True  # the offline coach answered
        yield mocked


def tutor_turn() -> bool:
    """One tutor reply; True when the offline coach answered it."""
    reply = providers.get_llm().generate(LearnerProfile(), PracticeContext(), [], "Hello")
    return reply.degraded


def ai_warning(response) -> str:
    """The AI warning's text as staff read it, "" when there is none."""
    assert response.status_code == 200
    found = re.search(r'<ul [^>]*id="ai-problems">(.*?)</ul>', response.content.decode(), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found[1]).split()) if found else ""


def test_the_admin_front_page_says_the_credits_ran_out_and_what_to_do(admin_client, out_of_credits):
    warning = ai_warning(admin_client.get(reverse("admin:index")))

    assert "router.hf.test answered 402: credits exhausted" in warning
    assert f"(llm {providers.get_llm().model_id}, since 10:42 UTC)" in warning
    assert "Learners get the offline coach until 10:57 UTC" in warning
    assert "https://huggingface.co/settings/billing" in warning


def test_the_warning_is_for_staff_only(client, alice, out_of_credits):
    client.force_login(alice)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302  # to the admin login page
    assert "credits" not in client.get(response.url).content.decode()


def test_the_warning_clears_after_a_success(admin_client, settings, out_of_credits, time_machine):
    time_machine.move_to("2026-11-24 10:57:01", tick=False)
    reply = {"choices": [{"message": {"content": '{"reply": "Hi!"}'}, "finish_reason": "stop"}]}
    out_of_credits.replace("POST", settings.HF_LLM_URL, json=reply)

    assert tutor_turn() is False

    assert ai_warning(admin_client.get(reverse("admin:index"))) == ""


def test_a_healthy_setup_shows_no_warning(admin_client):
    assert ai_warning(admin_client.get(reverse("admin:index"))) == ""
