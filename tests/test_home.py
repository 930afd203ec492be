from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_says_what_macca_does_and_lists_published_lessons(client, lesson):
    lesson.__class__.objects.create(
        slug="draft", title="A draft lesson", objective="Not ready.", is_published=False
    )
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "English speaking coach" in body
    assert "Ordering coffee" in body
    assert "latte" in body
    assert "A draft lesson" not in body


def test_the_home_page_works_before_any_lesson_exists(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No lessons are published yet" in response.content.decode()
