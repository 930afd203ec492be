"""Pronunciation scoring, vocabulary review and recurring mistakes: thin views
over tutor.services (pronunciation, sound_record, attempts, review, mistakes)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tutor.models import PronunciationAttempt
from tutor.services.attempts import get_attempt_for, record_attempt
from tutor.services.mistakes import recurring_mistakes
from tutor.services.review import answer_review, rating_from, review_queue
from tutor.services.sound_record import analyze_reading, analyze_text
from tutor.services.vocabulary import get_item_for

from .learning_serializers import (
    SCORING_NOTE,
    AnalyzeAudioSerializer,
    AnalyzeSerializer,
    AttemptCreateSerializer,
    AttemptResultSerializer,
    AttemptSerializer,
    MistakeSerializer,
    ReviewAnswerSerializer,
    ReviewNextSerializer,
    ReviewResultSerializer,
    SoundAnalysisSerializer,
)
from .practice import (
    AUDIO_ERRORS,
    BAD_PAGE_SIZE,
    PAGE_NOT_FOUND,
    RECORDING_RESPONSES,
    checked_audio,
    recording_response,
)
from .throttles import TurnThrottle, UserThrottle

MAX_REVIEW_LIMIT = 50


def _target(serializer_class, request, field: str) -> str:
    serializer = serializer_class(data=request.data)
    serializer.fields["audio"].required = False  # checked by content, separately
    serializer.is_valid(raise_exception=True)
    text = " ".join(serializer.validated_data[field].split())
    if not any(char.isalpha() for char in text):
        raise ValidationError({field: [_("Give a word or a sentence to practise.")]})
    return text


# --- Pronunciation -----------------------------------------------------------------


class AnalyzeView(APIView):
    @extend_schema(
        operation_id="pronunciation_analyze",
        request=AnalyzeSerializer,
        responses={200: SoundAnalysisSerializer(many=True)},
        description="The sounds in the word or sentence that Indonesian speakers commonly "
        "find hard, with tips. " + SCORING_NOTE,
    )
    def post(self, request):
        serializer = AnalyzeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        results = analyze_text(request.user, serializer.validated_data["word"])
        return Response(SoundAnalysisSerializer(results, many=True).data)


class AnalyzeAudioView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [UserThrottle, TurnThrottle]  # speech recognition costs like a turn

    @extend_schema(
        operation_id="pronunciation_analyze_audio",
        request={"multipart/form-data": AnalyzeAudioSerializer},
        responses={200: SoundAnalysisSerializer(many=True), **AUDIO_ERRORS},
        description="The same list, judged from a recording of the learner reading the "
        "target; the reading is saved to the learner's attempts. " + SCORING_NOTE,
    )
    def post(self, request):
        audio = checked_audio(request)
        target = _target(AnalyzeAudioSerializer, request, "word")
        _, scoring = record_attempt(learner=request.user, target=target, audio=audio)
        # Speech recognition failed: the tips still help; the scores stay the learner's own.
        results = analyze_reading(scoring) if scoring else analyze_text(request.user, target)
        return Response(SoundAnalysisSerializer(results, many=True).data)


class AttemptListView(ListAPIView):
    serializer_class = AttemptSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method == "POST":  # speech recognition costs like a turn
            throttles.append(TurnThrottle())
        return throttles

    def get_queryset(self):
        return PronunciationAttempt.objects.filter(learner=self.request.user).order_by(
            "-created_at",
            "-id",  # the id keeps pages stable on a tie
        )

    @extend_schema(
        operation_id="pronunciation_attempts_list",
        responses={200: AttemptSerializer(many=True), 400: BAD_PAGE_SIZE, 404: PAGE_NOT_FOUND},
        description=SCORING_NOTE,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="pronunciation_attempt_create",
        request={"multipart/form-data": AttemptCreateSerializer},
        responses={201: AttemptResultSerializer, **AUDIO_ERRORS},
        description="Read `target` aloud: the recording is transcribed, scored word by word "
        "and sound by sound, and saved. `degraded` is true when speech recognition failed "
        "(the recording is kept; the scores are zero and not counted). " + SCORING_NOTE,
    )
    def post(self, request):
        audio = checked_audio(request)
        target = _target(AttemptCreateSerializer, request, "target")
        attempt, scoring = record_attempt(learner=request.user, target=target, audio=audio)
        language = request.user.explanation_language
        issues = [
            {
                "word": issue.word,
                "code": issue.code,
                "target_sound": issue.target_sound,
                "heard_sound": issue.heard_sound,
                "message": issue.message_id if language == "id" else issue.message_en,
                "tip": issue.tip_id if language == "id" else issue.tip_en,
            }
            for issue in (scoring.issues if scoring else [])
        ]
        context = {"request": request, "issues": issues}
        return Response(
            AttemptResultSerializer(attempt, context=context).data, status=status.HTTP_201_CREATED
        )


class AttemptDetailView(APIView):
    @extend_schema(
        operation_id="pronunciation_attempt_detail",
        responses={200: AttemptSerializer, 404: OpenApiResponse(description="Not yours")},
    )
    def get(self, request, attempt_id):
        attempt = get_attempt_for(request.user, attempt_id)
        return Response(AttemptSerializer(attempt, context={"request": request}).data)


class AttemptAudioView(APIView):
    @extend_schema(operation_id="pronunciation_attempt_audio", responses=RECORDING_RESPONSES)
    def get(self, request, attempt_id):
        attempt = get_attempt_for(request.user, attempt_id)
        return recording_response(request, attempt.audio.name if attempt.audio else "")


# --- Vocabulary review -------------------------------------------------------------


class ReviewNextView(APIView):
    @extend_schema(
        operation_id="vocabulary_review_next",
        request=None,
        parameters=[
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_REVIEW_LIMIT, "default": 5},
                description=f"1 to {MAX_REVIEW_LIMIT}, default 5; anything else is a 400.",
            )
        ],
        responses={200: ReviewNextSerializer, 400: OpenApiResponse(description="Bad limit")},
        description="Words to review now: the due ones first (most overdue first), "
        "then new ones, never more than `limit`.",
    )
    def post(self, request):
        raw = request.query_params.get("limit", "5")
        try:
            limit = int(raw)
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_REVIEW_LIMIT:
            raise ValidationError(
                {
                    "limit": [
                        _("Give a whole number from 1 to %(max)d, not “%(raw)s”.")
                        % {"max": MAX_REVIEW_LIMIT, "raw": raw}
                    ]
                }
            )
        now = timezone.now()
        items = review_queue(request.user, limit=limit, now=now)
        return Response(ReviewNextSerializer({"items": items}, context={"now": now}).data)


class ReviewAnswerView(APIView):
    @extend_schema(
        operation_id="vocabulary_review_answer",
        request=ReviewAnswerSerializer,
        responses={
            200: ReviewResultSerializer,
            400: OpenApiResponse(description="Neither or both of rating and correct"),
            404: OpenApiResponse(description="No such word in your list"),
        },
        description="Record how well the learner recalled a word; FSRS schedules the "
        "next review (`item.due`).",
    )
    def post(self, request):
        serializer = ReviewAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = get_item_for(request.user, data["vocabulary_id"])
        rating = rating_from(rating=data.get("rating"), correct=data.get("correct"))
        outcome = answer_review(item=item, rating=rating, duration_ms=data.get("duration_ms"))
        body = {"item": outcome.item, "message": outcome.message}
        return Response(ReviewResultSerializer(body, context={"now": timezone.now()}).data)


# --- Mistakes ----------------------------------------------------------------------


class MistakesView(APIView):
    @extend_schema(
        operation_id="mistakes_list",
        responses=MistakeSerializer(many=True),
        description="Your recurring mistakes, most frequent first, each with up to three "
        "of your own sentences and their corrected versions.",
    )
    def get(self, request):
        return Response(MistakeSerializer(recurring_mistakes(request.user), many=True).data)
