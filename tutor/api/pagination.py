"""How the API's growing lists are paged (API.md, "Lists"): the word list keeps the
first backend's plain-list body and announces its next page in a `Link` header; the
others answer DRF's `{count, next, previous, results}`. A bad page size or cursor is
a 400 naming the parameter, never a silent clamp or a 404."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

WORDS_PER_PAGE = 100
MAX_WORDS_PER_PAGE = 500
MAX_CURSOR_LENGTH = 1000  # a real one is about 4/3 of a 100-character word, urlencoded
MAX_PAGE_SIZE = 100
BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


def _page_size(request, name: str, default: int, maximum: int) -> int:
    """The `name` query parameter, a whole number from 1 to `maximum`, else a 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    field = serializers.IntegerField(min_value=1, max_value=maximum)
    try:
        return field.run_validation(raw)
    except serializers.ValidationError as error:
        raise ValidationError({name: error.detail}) from None


class WordListPagination(CursorPagination):
    """Opaque cursors over the word list in alphabetical order regardless of case
    (tutor.services.vocabulary.word_list), `?limit=` words a page; the body stays a
    plain list and the next page's absolute URL goes in `Link: <…>; rel="next"`."""

    ordering = ("word_lower", "id")  # word_lower is unique per learner (the unique index)
    page_size = WORDS_PER_PAGE
    page_size_query_param = "limit"
    max_page_size = MAX_WORDS_PER_PAGE

    def get_page_size(self, request) -> int:
        return _page_size(request, "limit", WORDS_PER_PAGE, MAX_WORDS_PER_PAGE)

    def decode_cursor(self, request):
        invalid = ValidationError(
            {"cursor": [_("This cursor is not one this list gave; start again without it.")]}
        )
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is not None and not (
            len(encoded) <= MAX_CURSOR_LENGTH and BASE64.fullmatch(encoded)
        ):
            raise invalid  # DRF's decoder skips what is not base64: "%%%" is page 1
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise invalid from None
        if cursor is not None and cursor.position is not None and "\x00" in cursor.position:
            raise invalid  # PostgreSQL refuses NUL in a string: a 500 otherwise
        return cursor

    def get_next_link(self) -> str | None:
        link = super().get_next_link()
        return replace_query_param(link, "limit", self.page_size) if link else None

    def get_paginated_response(self, data) -> Response:
        next_link = self.get_next_link()
        headers = {"Link": f'<{next_link}>; rel="next"'} if next_link else None
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return schema  # the plain list; the next page is in the Link header

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": "limit",
                "required": False,
                "in": "query",
                "description": f"Words per page, 1 to {MAX_WORDS_PER_PAGE} (default "
                f"{WORDS_PER_PAGE}); anything else is a 400.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_WORDS_PER_PAGE,
                    "default": WORDS_PER_PAGE,
                },
            },
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Opaque: copy it from the previous page's `Link: <…>; "
                'rel="next"` header (the whole URL is there). A tampered one is a 400.',
                "schema": {"type": "string", "maxLength": MAX_CURSOR_LENGTH},
            },
        ]


class PagePagination(PageNumberPagination):
    """`?page=` and `?page_size=` (1 to 100, default PAGE_SIZE) for the sessions and
    attempts lists, newest first."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        return _page_size(request, "page_size", self.page_size, MAX_PAGE_SIZE)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == "page_size":
                parameter["description"] = (
                    f"Items per page, 1 to {MAX_PAGE_SIZE} (default {self.page_size}); "
                    "anything else is a 400."
                )
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": self.page_size,
                }
        return parameters
