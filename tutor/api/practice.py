"""Practice sessions and turns: thin views over tutor.services.sessions and
tutor.services.turns."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tutor.files import stored_file_response
from tutor.models import FeedbackIssue, Lesson, Turn
from tutor.services import sessions as session_service
from tutor.services.audio import MB, AudioRejected, AudioUpload, read_audio_upload
from tutor.services.progress import session_seconds
from tutor.services.turns import TurnResult, feedback_summary, next_step_name, run_turn

from .serializers import (
    AudioTurnSerializer,
    EndSessionResponseSerializer,
    SessionDetailSerializer,
    SessionStartResponseSerializer,
    SessionStartSerializer,
    SessionSummarySerializer,
    TextTurnSerializer,
    TurnResponseSerializer,
    absolute,
)
from .throttles import TurnThrottle, UserThrottle

ERRORS = {
    400: OpenApiResponse(description="Invalid input, or the session has ended"),
    404: OpenApiResponse(description="No such session (or not yours)"),
}
AUDIO_ERRORS = {
    **ERRORS,
    413: OpenApiResponse(description="Recording too large, or longer than MAX_AUDIO_SECONDS"),
    415: OpenApiResponse(description="Not webm, ogg, wav, mp3 or m4a audio that decodes"),
}
PAGE_NOT_FOUND = OpenApiResponse(
    description="No such page: `page` is not a whole number from 1 to the last page"
)
BAD_PAGE_SIZE = OpenApiResponse(description="`page_size` is not a whole number from 1 to 100")
RECORDING_TYPES = {
    ".webm": "audio/webm",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".flac": "audio/flac",
}


def checked_audio(request) -> AudioUpload:
    """The uploaded recording, or AudioRejected (413/415/400) before anything is written."""
    max_bytes = settings.MAX_AUDIO_UPLOAD_MB * MB
    if int(request.META.get("CONTENT_LENGTH") or 0) > max_bytes + MB:  # don't even parse it
        raise AudioRejected(
            413,
            _("The recording is too large; the limit is %(limit)d MB.")
            % {"limit": settings.MAX_AUDIO_UPLOAD_MB},
        )
    return read_audio_upload(
        request.FILES.get("audio"), max_bytes=max_bytes, max_seconds=settings.MAX_AUDIO_SECONDS
    )


def audio_content_type(name: str) -> str:
    return RECORDING_TYPES.get(name[name.rfind(".") :].lower(), "application/octet-stream")


class SessionStartView(APIView):
    @extend_schema(
        operation_id="session_start",
        request=SessionStartSerializer,
        responses={201: SessionStartResponseSerializer, **ERRORS},
        description="Start a session. Macca's opening line fits the mode: the topic, or "
        "the lesson's first step, or a sentence to pronounce; it comes with its audio.",
    )
    def post(self, request):
        serializer = SessionStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        lesson = None
        if data["lesson_id"] is not None:
            lesson = Lesson.objects.published().filter(pk=data["lesson_id"]).first()
            if lesson is None:
                raise Http404("No such lesson.")
        started = session_service.start_session(
            learner=request.user,
            mode=data["mode"],
            topic=data["topic"].strip(),
            lesson=lesson,
        )
        session = started.session
        body = {
            "session_id": session.pk,
            "mode": session.mode,
            "initial_prompt": started.prompt,
            "initial_audio_url": absolute(request, started.speech.audio.url)
            if started.speech
            else None,
            "lesson_step": session.current_step,
            "lesson_title": session.lesson.title if session.lesson_id else None,
            "total_steps": started.total_steps,
            "degraded": started.degraded,
        }
        return Response(SessionStartResponseSerializer(body).data, status=status.HTTP_201_CREATED)


def turn_response(request, result: TurnResult) -> Response:
    body = {
        "session_id": result.session.pk,
        "turn_id": result.learner_turn.pk,
        "transcript": result.transcript,
        "macca_text": result.reply.reply,
        "macca_audio_url": absolute(request, result.speech.audio.url) if result.speech else None,
        "feedback": feedback_summary(result),
        "next_step": next_step_name(result),
        "lesson_step": result.lesson_step,
        "total_steps": result.total_steps,
        "macca": result.reply.model_dump(mode="json"),
        "degraded": result.degraded,
    }
    return Response(TurnResponseSerializer(body).data)


class TextTurnView(APIView):
    throttle_classes = [UserThrottle, TurnThrottle]

    @extend_schema(
        operation_id="session_turn",
        request=TextTurnSerializer,
        responses={200: TurnResponseSerializer, **ERRORS},
        description="A typed turn. Without session_id it goes to your latest open session "
        "of the mode (default live), or starts one.",
    )
    def post(self, request):
        serializer = TextTurnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        session = session_service.session_for_turn(
            learner=request.user, session_id=data["session_id"], mode=data["mode"]
        )
        result = run_turn(learner=request.user, session=session, text=data["user_text"])
        return turn_response(request, result)


class AudioTurnView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [UserThrottle, TurnThrottle]

    @extend_schema(
        operation_id="session_turn_audio",
        request={"multipart/form-data": AudioTurnSerializer},
        responses={200: TurnResponseSerializer, **AUDIO_ERRORS},
        description="A spoken turn: the recording is transcribed (see `transcript`), "
        "answered and kept privately for you to replay.",
    )
    def post(self, request):
        audio = checked_audio(request)
        target = AudioTurnSerializer(data=request.data)
        target.fields["audio"].required = False  # already checked, by content
        target.is_valid(raise_exception=True)
        session = session_service.session_for_turn(
            learner=request.user,
            session_id=target.validated_data["session_id"],
            mode=target.validated_data["mode"],
        )
        result = run_turn(learner=request.user, session=session, audio=audio)
        return turn_response(request, result)


class SessionEndView(APIView):
    @extend_schema(
        operation_id="session_end",
        request=None,
        responses={200: EndSessionResponseSerializer, 404: ERRORS[404]},
        description="End the session and get its summary. Ending it again returns the same.",
    )
    def post(self, request, session_id):
        session = session_service.end_session(
            session_service.get_session_for(request.user, session_id)
        )
        body = {
            "session_id": session.pk,
            "duration_seconds": session_seconds(session),
            "turns": session_service.learner_turn_count(session),
            "summary": session.summary,
        }
        return Response(EndSessionResponseSerializer(body).data)


class SessionListView(ListAPIView):
    serializer_class = SessionSummarySerializer

    @extend_schema(
        operation_id="sessions_list",
        responses={
            200: SessionSummarySerializer(many=True),
            400: BAD_PAGE_SIZE,
            404: PAGE_NOT_FOUND,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return session_service.sessions_with_counts(self.request.user)


class SessionDetailView(APIView):
    @extend_schema(
        operation_id="session_detail",
        responses={200: SessionDetailSerializer, 404: ERRORS[404]},
    )
    def get(self, request, session_id):
        turns = Turn.objects.select_related("speech").prefetch_related(
            Prefetch("feedback_issues", queryset=FeedbackIssue.objects.order_by("id"))
        )
        session = (
            session_service.sessions_with_counts(request.user)
            .prefetch_related(Prefetch("turns", queryset=turns.order_by("position")))
            .filter(pk=session_id)
            .first()
        )
        if session is None:
            raise Http404("No such practice session.")
        return Response(SessionDetailSerializer(session, context={"request": request}).data)


RECORDING_RESPONSES = {
    (200, "audio/*"): OpenApiResponse(description="The recording; honours Range (206)"),
    404: OpenApiResponse(description="No such recording (or not yours)"),
}


def recording_response(request, name: str):
    """A learner's recording from the storage, with Range support; 404 when gone."""
    if not name:
        raise Http404("No such recording.")
    try:
        return stored_file_response(request, name, content_type=audio_content_type(name))
    except FileNotFoundError:
        raise Http404("No such recording.") from None


class TurnAudioView(APIView):
    """The learner's own recording: only its owner can fetch it."""

    @extend_schema(operation_id="turn_audio", responses=RECORDING_RESPONSES)
    def get(self, request, turn_id):
        turn = (
            Turn.objects.filter(pk=turn_id, session__learner=request.user).exclude(audio="").first()
        )
        return recording_response(request, turn.audio.name if turn else "")
