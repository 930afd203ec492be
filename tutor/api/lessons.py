"""Published lessons, readable without an account; with one, each lesson says
where this learner is in it."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tutor.models import Lesson, LessonStep
from tutor.services.sessions import lesson_positions

from .serializers import LessonSerializer


def _lessons():
    steps = LessonStep.objects.order_by("position").only("lesson_id", "position", "title")
    return Lesson.objects.published().prefetch_related(Prefetch("steps", queryset=steps))


def _context(request) -> dict:
    if request.user.is_authenticated:
        return {"positions": lesson_positions(request.user)}
    return {}


class LessonListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="lessons_list", responses=LessonSerializer(many=True))
    def get(self, request):
        lessons = [lesson for lesson in _lessons() if lesson.steps.all()]
        return Response(LessonSerializer(lessons, many=True, context=_context(request)).data)


class LessonDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="lesson_detail",
        responses={
            200: LessonSerializer,
            404: OpenApiResponse(description="Unknown or unpublished"),
        },
    )
    def get(self, request, lesson_id):
        lesson = _lessons().filter(pk=lesson_id).first()
        if lesson is None or not lesson.steps.all():
            raise Http404("No such lesson.")
        return Response(LessonSerializer(lesson, context=_context(request)).data)
