"""Macca's voice on request: a word or a sentence the learner wants to hear, at normal
speed and slowly (the pronunciation page's Listen buttons and the words of a result).
A thin view over tutor.services.speech, whose cache makes a repeated line free."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tutor.services.speech import speak

from .fields import CleanCharField
from .serializers import absolute
from .throttles import SpeechThrottle, UserThrottle

MAX_SPEECH_TEXT = 300  # as long as a pronunciation target


class SpeakSerializer(serializers.Serializer):
    text = CleanCharField(max_length=MAX_SPEECH_TEXT, help_text="A word or a sentence, in English.")

    def validate_text(self, value: str) -> str:
        text = " ".join(value.split())
        if not any(char.isalpha() for char in text):
            raise serializers.ValidationError(_("Give a word or a sentence to listen to."))
        return text


class SpeechSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The text spoken, its spaces tidied.")
    audio_url = serializers.URLField(help_text="The line in Macca's voice (Ogg/Opus).")
    slow_audio_url = serializers.URLField(
        help_text="The same line spoken slowly (made on its first request)."
    )


class SpeechView(APIView):
    throttle_classes = [UserThrottle, SpeechThrottle]

    @extend_schema(
        operation_id="pronunciation_speech",
        request=SpeakSerializer,
        responses={
            200: SpeechSerializer,
            400: OpenApiResponse(description="No text, no letter in it, or over 300 characters"),
            503: OpenApiResponse(description="Every voice failed: nothing to play, try later"),
        },
        description="Hear `text` in Macca's voice, as a model to copy: `audio_url` at normal "
        "speed, `slow_audio_url` slowly. Lines are cached and shared, so asking again is "
        "cheap; `?format=mp3` on either URL gives MP3 for browsers without Opus.",
    )
    def post(self, request):
        serializer = SpeakSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        text = serializer.validated_data["text"]
        # A shared line, one file for everyone; the fallback voice is still one to copy.
        clip, _degraded = speak(text, owner=None)
        if clip is None:
            return Response(
                {"detail": _("Macca's voice is not available right now. Please try again soon.")},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        url = absolute(request, clip.audio.url)
        body = {"text": text, "audio_url": url, "slow_audio_url": f"{url}?speed=slow"}
        return Response(SpeechSerializer(body).data)
