"""Request and response shapes of the learning endpoints: pronunciation,
vocabulary review and recurring mistakes."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from tutor.models import PronunciationAttempt

from .fields import CleanCharField
from .serializers import VocabularyItemSerializer, absolute

SCORING_NOTE = (
    "Recordings are judged from the audio itself: the target's expected phones (CMU "
    "Pronouncing Dictionary, espeak-ng for words it lacks) are force-aligned to the "
    "recording with pocketsphinx's acoustic model, each phone is scored against a free "
    "phone loop, and the substitutes Indonesian learners typically make (θ→t, v→f, a "
    "dropped final consonant …) are tried in each hard sound's place: a sound is flagged "
    "when a substitute fits the audio clearly better. `method` says `acoustic`, or "
    "`transcript` for older attempts compared with what speech recognition heard. "
    "Calibrated on synthetic voices (bench/RESULTS.md), not yet on real learners."
)


class AnalyzeSerializer(serializers.Serializer):
    word = CleanCharField(max_length=300, help_text="A word or a short sentence.")


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
    target = CleanCharField(max_length=300, help_text="What the learner read aloud.")
    audio = serializers.FileField()


class SoundResultSerializer(serializers.Serializer):
    target_sound = serializers.CharField(help_text="The expected sound, in IPA.")
    heard_sound = serializers.CharField(
        help_text="What was said instead, in IPA; empty when the sound was dropped."
    )
    ok = serializers.BooleanField()
    code = serializers.CharField(
        default="", help_text="The hard-sound type (e.g. th_voiceless); empty when none."
    )
    confidence = serializers.FloatField(
        allow_null=True, default=None, help_text="Acoustic judge: 0.5 (unsure) to 1 (sure)."
    )


class PhoneScoreSerializer(serializers.Serializer):
    sound = serializers.CharField(help_text="An expected sound, in IPA.")
    score = serializers.IntegerField(help_text="0–100: how well the audio fits it.")
    ok = serializers.BooleanField(help_text="False when a substitute fitted better.")


class WordResultSerializer(serializers.Serializer):
    word = serializers.CharField()
    heard = serializers.CharField(allow_null=True, help_text="Null when the word was not said.")
    status = serializers.ChoiceField(choices=["excellent", "good", "needs_work"])
    score = serializers.IntegerField()
    sounds = SoundResultSerializer(many=True, help_text="The sounds said differently.")
    missing = serializers.BooleanField(
        default=False, help_text="Not said at all (as opposed to said differently)."
    )
    confidence = serializers.FloatField(
        allow_null=True,
        default=None,
        help_text="Acoustic judge: how sure it is the word was (or was not) said, 0.5–1.",
    )
    expected = serializers.CharField(default="", help_text="The expected pronunciation, IPA.")
    phones = PhoneScoreSerializer(many=True, default=list, help_text="Each expected sound.")
    start = serializers.FloatField(
        allow_null=True, default=None, help_text="Where the word starts in the recording, s."
    )
    end = serializers.FloatField(allow_null=True, default=None)


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
            "method",
            "message",
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
