"""Published lessons, readable without an account; with one, each lesson says
where this learner is in it. Served from the cached catalogue, with an ETag (and
Last-Modified when anonymous) so a client that has it gets a bodiless 304."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tutor.services.catalogue import CatalogueView, lesson_detail, lesson_list

from .serializers import LessonSerializer

NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the client's copy (If-None-Match / If-Modified-Since) is current"
)


def _conditional(request, view: CatalogueView):
    """200 with the body, or 304 when the client's validators match."""
    if view.body is not None:
        response = HttpResponse(view.body, content_type="application/json")
    else:
        response = Response(view.data)
    etag = quote_etag(view.etag)
    response["ETag"] = etag
    last_modified = int(view.modified.timestamp()) if view.modified else None
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # Revalidated on every use (an old Last-Modified would otherwise let browsers keep
    # the list for days); a learner's copy is theirs alone.
    patch_cache_control(response, no_cache=True)
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


def _learner(request):
    return request.user if request.user.is_authenticated else None


class LessonListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="lessons_list",
        responses={200: LessonSerializer(many=True), 304: NOT_MODIFIED},
    )
    def get(self, request):
        return _conditional(request, lesson_list(learner=_learner(request)))


class LessonDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="lesson_detail",
        responses={
            200: LessonSerializer,
            304: NOT_MODIFIED,
            404: OpenApiResponse(description="Unknown or unpublished"),
        },
    )
    def get(self, request, lesson_id):
        view = lesson_detail(lesson_id=lesson_id, learner=_learner(request))
        if view is None:
            raise Http404("No such lesson.")
        return _conditional(request, view)
