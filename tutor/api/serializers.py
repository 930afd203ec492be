"""What the API accepts and returns. Input serializers validate; output
serializers shape. The business rules live in tutor.services."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from providers.schemas import MaccaJsonResponse
from tutor.models import Mode, PracticeSession, Turn, User, VocabularySource
from tutor.services import sessions as session_service
from tutor.services.progress import session_seconds
from tutor.services.turns import MAX_TEXT_LENGTH
from tutor.services.vocabulary import strength

from .fields import CleanCharField

MODE_HELP = (
    "live_conversation, guided_lesson or pronunciation_coach; the short forms live, "
    "guided and pronunciation are accepted too."
)


def absolute(request, url: str | None) -> str | None:
    return request.build_absolute_uri(url) if url and request is not None else url


class ModeField(serializers.CharField):
    """A session mode in its long or short form, always returned in the long form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", MODE_HELP)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return session_service.normalize_mode(value)
        except ValueError:
            raise serializers.ValidationError(
                _("“%(value)s” is not a mode. Use live, guided or pronunciation.")
                % {"value": Truncator(value).chars(40)}  # never echo a huge value back
            ) from None


# --- Auth -------------------------------------------------------------------------


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "name", "level", "goal", "explanation_language"]


class SignupSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=128)
    name = CleanCharField(max_length=150, required=False, allow_blank=True, default="")

    def validate_email(self, value: str) -> str:
        try:
            User.objects.get_by_natural_key(value)
        except User.DoesNotExist:
            return value.strip().lower()
        raise serializers.ValidationError(_("A learner with this email address already exists."))

    def validate(self, attrs: dict) -> dict:
        candidate = User(email=attrs["email"], name=attrs.get("name", ""))
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from None
        return attrs


class LoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=128)


class AuthResponseSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.ChoiceField(choices=["bearer"])
    expires_at = serializers.DateTimeField(help_text="When the token stops working.")
    user = UserSerializer()


# --- Learner ------------------------------------------------------------------------


class ProfileSerializer(serializers.ModelSerializer):
    """Read: the profile with common_issues. Write (PATCH): any of the editable fields."""

    name = CleanCharField(max_length=150, required=False, allow_blank=True)
    common_issues = serializers.SerializerMethodField(
        help_text="The learner's most frequent feedback issue codes, most frequent first."
    )

    class Meta:
        model = User
        fields = [
            "id",
            "name",
            "email",
            "level",
            "goal",
            "explanation_language",
            "time_zone",
            "common_issues",
        ]
        read_only_fields = ["id", "email", "common_issues"]

    def get_common_issues(self, user: User) -> list[str]:
        return self.context.get("common_issues", [])


class DailyMinutesSerializer(serializers.Serializer):
    date = serializers.DateField()
    minutes = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    sessions_completed = serializers.IntegerField()
    total_practice_time_minutes = serializers.IntegerField()
    common_issues = serializers.ListField(child=serializers.CharField())
    vocabulary_learned = serializers.IntegerField()
    turns_total = serializers.IntegerField()
    current_streak_days = serializers.IntegerField()
    longest_streak_days = serializers.IntegerField()
    pronunciation_average = serializers.IntegerField(allow_null=True)
    daily_minutes = DailyMinutesSerializer(many=True, help_text="The last 30 days, oldest first.")


class VocabularyItemSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    word = serializers.CharField()
    translation = serializers.CharField()
    example = serializers.CharField()
    source = serializers.ChoiceField(choices=VocabularySource.choices)
    strength = serializers.SerializerMethodField(
        help_text="Today's recall probability, 0..1 (0 before the first review)."
    )
    due = serializers.DateTimeField()
    last_reviewed_at = serializers.DateTimeField(source="last_review", allow_null=True)

    @extend_schema_field(OpenApiTypes.FLOAT)
    def get_strength(self, item) -> float:
        return strength(item, self.context.get("now") or timezone.now())


class VocabularySearchSerializer(serializers.Serializer):
    """The word list's search (the vocabulary page takes as many characters); `search`
    is its older name, kept for the clients that send it."""

    q = CleanCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text="Only words or translations containing it, in any case.",
    )
    search = CleanCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text="The same as `q` (its older name); `q` wins when both are given.",
    )

    def validate(self, attrs: dict) -> dict:
        return {"q": attrs["q"] or attrs["search"]}


class VocabularyAddSerializer(serializers.Serializer):
    word = CleanCharField(max_length=100)
    translation = CleanCharField(max_length=200)
    example = CleanCharField(
        multiline=True, required=False, allow_blank=True, default="", max_length=500
    )
    source = serializers.ChoiceField(
        choices=VocabularySource.choices, required=False, default=VocabularySource.MANUAL
    )


# --- Practice -----------------------------------------------------------------------


class SessionStartSerializer(serializers.Serializer):
    mode = ModeField(required=False, default=Mode.LIVE_CONVERSATION)
    topic = CleanCharField(max_length=200, required=False, allow_blank=True, default="")
    lesson_id = serializers.UUIDField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict) -> dict:
        guided = attrs["mode"] == Mode.GUIDED_LESSON
        if guided and attrs["lesson_id"] is None:
            raise serializers.ValidationError(
                {"lesson_id": [_("Choose a lesson for a guided lesson (see GET /api/lessons).")]}
            )
        if not guided and attrs["lesson_id"] is not None:
            raise serializers.ValidationError(
                {"lesson_id": [_("A lesson goes with mode guided_lesson only.")]}
            )
        return attrs


class SessionStartResponseSerializer(serializers.Serializer):
    session_id = serializers.UUIDField()
    mode = serializers.ChoiceField(choices=Mode.choices)
    initial_prompt = serializers.CharField()
    initial_audio_url = serializers.URLField(allow_null=True)
    lesson_step = serializers.IntegerField(allow_null=True)
    lesson_title = serializers.CharField(allow_null=True)
    total_steps = serializers.IntegerField(allow_null=True)
    degraded = serializers.BooleanField()


class TurnTargetSerializer(serializers.Serializer):
    session_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Without it the turn goes to your latest open session of the mode, "
        "or starts one.",
    )
    mode = ModeField(required=False, allow_null=True, default=None)


class TextTurnSerializer(TurnTargetSerializer):
    user_text = CleanCharField(multiline=True, max_length=MAX_TEXT_LENGTH)


class AudioTurnSerializer(TurnTargetSerializer):
    audio = serializers.FileField(
        help_text="The recording: webm, ogg, wav, mp3 or m4a, checked by content."
    )


class FeedbackSummarySerializer(serializers.Serializer):
    grammar_ok = serializers.BooleanField()
    tip_id = serializers.CharField(help_text="A short tip, in the learner's explanation language.")
    step_complete = serializers.BooleanField(required=False, help_text="Guided lessons only.")
    encouragement_id = serializers.CharField(help_text="A short encouragement in Indonesian.")


class TurnResponseSerializer(serializers.Serializer):
    session_id = serializers.UUIDField()
    turn_id = serializers.UUIDField(help_text="The learner's turn.")
    transcript = serializers.CharField(allow_null=True, help_text="What ASR heard (audio turns).")
    macca_text = serializers.CharField()
    macca_audio_url = serializers.URLField(allow_null=True)
    feedback = FeedbackSummarySerializer()
    next_step = serializers.CharField(allow_null=True, help_text="Guided lessons: e.g. step_3.")
    lesson_step = serializers.IntegerField(allow_null=True)
    total_steps = serializers.IntegerField(allow_null=True)
    macca = serializers.SerializerMethodField()
    degraded = serializers.BooleanField(
        help_text="True when a provider failed and a fallback answered."
    )

    @extend_schema_field(MaccaJsonResponse)
    def get_macca(self, data: dict) -> dict:
        return data["macca"]


class EndSessionResponseSerializer(serializers.Serializer):
    session_id = serializers.UUIDField()
    duration_seconds = serializers.IntegerField()
    turns = serializers.IntegerField(help_text="The learner's turns in the session.")
    summary = serializers.CharField()


def _speech_url(request, turn: Turn) -> str | None:
    if turn.audio:
        return absolute(request, reverse("api:turn-audio", args=[turn.pk]))
    if turn.speech_id and turn.speech.audio:
        return absolute(request, turn.speech.audio.url)
    return None


class SessionSummarySerializer(serializers.Serializer):
    session_id = serializers.UUIDField(source="pk")
    mode = serializers.ChoiceField(choices=Mode.choices)
    topic = serializers.CharField()
    lesson_id = serializers.UUIDField(allow_null=True)
    lesson_title = serializers.SerializerMethodField()
    current_step = serializers.IntegerField(allow_null=True)
    total_steps = serializers.SerializerMethodField()
    lesson_completed = serializers.SerializerMethodField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    duration_seconds = serializers.SerializerMethodField()
    turns = serializers.IntegerField(source="learner_turns", help_text="The learner's turns.")
    summary = serializers.CharField()

    def get_lesson_title(self, session: PracticeSession) -> str | None:
        return session.lesson.title if session.lesson_id else None

    def get_total_steps(self, session: PracticeSession) -> int | None:
        return session.total_steps if session.lesson_id else None

    def get_lesson_completed(self, session: PracticeSession) -> bool:
        return session.lesson_completed_at is not None

    def get_duration_seconds(self, session: PracticeSession) -> int:
        return session_seconds(session)


class FeedbackIssueSerializer(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField()
    detail = serializers.JSONField()


class SessionTurnSerializer(serializers.Serializer):
    turn_id = serializers.UUIDField(source="pk")
    position = serializers.IntegerField()
    role = serializers.CharField()
    text = serializers.CharField()
    transcript = serializers.CharField()
    audio_url = serializers.SerializerMethodField(
        help_text="Learner turns: their own recording (only they can fetch it). "
        "Macca's turns: the spoken reply."
    )
    degraded = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    feedback = FeedbackIssueSerializer(many=True, source="feedback_issues.all")
    macca = serializers.SerializerMethodField()

    def get_audio_url(self, turn: Turn) -> str | None:
        return _speech_url(self.context.get("request"), turn)

    @extend_schema_field(
        {
            "oneOf": [{"$ref": "#/components/schemas/MaccaJsonResponse"}, {"type": "null"}],
            "description": "Macca's turns: the structured reply. Learner turns: null.",
        }
    )
    def get_macca(self, turn: Turn) -> dict | None:
        return turn.structured


class SessionDetailSerializer(SessionSummarySerializer):
    """The summary's fields, but `turns` is the list of turns (learner's and Macca's,
    in order) and the learner's count moves to `turn_count`."""

    turn_count = serializers.IntegerField(source="learner_turns", help_text="The learner's turns.")
    turns = SessionTurnSerializer(many=True, source="turns.all")


# --- Lessons ------------------------------------------------------------------------


class LessonVocabularySerializer(serializers.Serializer):
    word = serializers.CharField()
    translation = serializers.CharField()


class LessonSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    subtitle = serializers.CharField()
    level = serializers.CharField()
    goal = serializers.CharField()
    objective = serializers.CharField()
    steps = serializers.SerializerMethodField(help_text="The steps' titles, in order.")
    total_steps = serializers.SerializerMethodField()
    current_step = serializers.SerializerMethodField(
        help_text="This learner's step (1 when not started or anonymous)."
    )
    completed = serializers.SerializerMethodField()
    target_grammar = serializers.ListField(child=serializers.CharField())
    target_vocabulary = serializers.SerializerMethodField(help_text="The words practised.")
    vocabulary = LessonVocabularySerializer(
        many=True, source="target_vocabulary", help_text="The words with their translations."
    )

    def _position(self, lesson) -> tuple[int, bool]:
        return self.context.get("positions", {}).get(lesson.pk, (1, False))

    def get_steps(self, lesson) -> list[str]:
        return [step.title for step in lesson.steps.all()]

    def get_total_steps(self, lesson) -> int:
        return len(lesson.steps.all())

    def get_current_step(self, lesson) -> int:
        return self._position(lesson)[0]

    def get_completed(self, lesson) -> bool:
        return self._position(lesson)[1]

    def get_target_vocabulary(self, lesson) -> list[str]:
        return lesson.vocabulary_words
