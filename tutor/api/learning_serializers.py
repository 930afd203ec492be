"""Request and response shapes of the learning endpoints: pronunciation,
vocabulary review and recurring mistakes."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from tutor.models import PronunciationAttempt

from .serializers import VocabularyItemSerializer, absolute

SCORING_NOTE = (
    "Scores come from what the speech recogniser heard, compared phoneme by phoneme "
    "with the target (CMU Pronouncing Dictionary): they show how understandable the "
    "reading was, not an acoustic analysis of each sound."
)


class AnalyzeSerializer(serializers.Serializer):
    word = serializers.CharField(max_length=300, help_text="A word or a short sentence.")


class AnalyzeAudioSerializer(AnalyzeSerializer):
    audio = serializers.FileField(help_text="The learner reading `word` aloud.")


class SoundAnalysisSerializer(serializers.Serializer):
    word = serializers.CharField()
    target_sound = serializers.CharField(help_text="The sound, in IPA (e.g. θ).")
    status = serializers.ChoiceField(choices=["excellent", "good", "needs_work"])
    tip_id = serializers.CharField(help_text="How to make the sound, in Indonesian.")
    tip_en = serializers.CharField(help_text="How to make the sound, in English.")
    score = serializers.IntegerField(
        allow_null=True,
        help_text="Text only: your own average for this sound over past attempts, or null "
        "when you have none. With audio: this reading's score for the word.",
    )


class AttemptCreateSerializer(serializers.Serializer):
    target = serializers.CharField(max_length=300, help_text="What the learner read aloud.")
    audio = serializers.FileField()


class SoundResultSerializer(serializers.Serializer):
    target_sound = serializers.CharField()
    heard_sound = serializers.CharField(help_text="Empty when the sound was dropped.")
    ok = serializers.BooleanField()


class WordResultSerializer(serializers.Serializer):
    word = serializers.CharField()
    heard = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["excellent", "good", "needs_work"])
    score = serializers.IntegerField()
    sounds = SoundResultSerializer(many=True)


class SoundIssueSerializer(serializers.Serializer):
    word = serializers.CharField()
    code = serializers.CharField()
    target_sound = serializers.CharField()
    heard_sound = serializers.CharField()
    message = serializers.CharField(help_text="e.g. You said /t/ for /θ/ in “think”.")
    tip = serializers.CharField()


class AttemptSerializer(serializers.ModelSerializer):
    target = serializers.CharField(source="target_text")
    words = WordResultSerializer(many=True)
    audio_url = serializers.SerializerMethodField()

    class Meta:
        model = PronunciationAttempt
        fields = [
            "id",
            "target",
            "transcript",
            "accuracy",
            "completeness",
            "overall",
            "words",
            "audio_url",
            "degraded",
            "created_at",
        ]

    def get_audio_url(self, attempt: PronunciationAttempt) -> str | None:
        if not attempt.audio:
            return None
        url = reverse("api:pronunciation-attempt-audio", args=[attempt.pk])
        return absolute(self.context.get("request"), url)


class AttemptResultSerializer(AttemptSerializer):
    issues = serializers.SerializerMethodField()

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "issues"]

    def get_issues(self, attempt) -> list[dict]:
        return SoundIssueSerializer(self.context.get("issues", []), many=True).data


class ReviewNextSerializer(serializers.Serializer):
    items = VocabularyItemSerializer(many=True)


class ReviewAnswerSerializer(serializers.Serializer):
    vocabulary_id = serializers.UUIDField()
    rating = serializers.ChoiceField(
        choices=["again", "hard", "good", "easy"], required=False, allow_null=True
    )
    correct = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true = good, false = again."
    )
    duration_ms = serializers.IntegerField(required=False, min_value=0, max_value=3_600_000)

    def validate(self, attrs: dict) -> dict:
        has_rating = attrs.get("rating") is not None
        has_correct = attrs.get("correct") is not None
        if has_rating == has_correct:
            raise serializers.ValidationError(
                {"rating": [_("Send a rating (again, hard, good, easy) or correct (true/false).")]}
            )
        return attrs


class ReviewResultSerializer(serializers.Serializer):
    item = VocabularyItemSerializer()
    message = serializers.CharField(help_text="When the word comes back.")


class MistakeExampleSerializer(serializers.Serializer):
    original_text = serializers.CharField(help_text="The learner's own sentence.")
    better_sentence = serializers.CharField(allow_null=True)
    session_id = serializers.UUIDField()


class MistakeSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=["grammar", "pronunciation"])
    count = serializers.IntegerField()
    last_seen = serializers.DateTimeField()
    explanation = serializers.CharField(help_text="In the learner's explanation language.")
    examples = MistakeExampleSerializer(many=True)
