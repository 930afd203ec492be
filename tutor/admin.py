"""The admin is where lessons are curated and where staff read what learners did.

Lessons and learners are editable; practice data is written by the app only, so
its admin is read-only (an admin reads a session's transcript, never edits it)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import Count, F, Max, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from .forms import LearnerChangeForm, LearnerCreationForm, LessonAdminForm, LessonStepAdminForm
from .models import (
    FeedbackIssue,
    Lesson,
    LessonStep,
    PracticeSession,
    PronunciationAttempt,
    ReviewLog,
    SpeechClip,
    Turn,
    User,
    VocabularyItem,
)
from .services.activity import recount


class ReadOnlyAdminMixin:
    """Viewable and deletable by staff, never added or edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class RecountsProgressMixin:
    """Deleting sessions or feedback here rebuilds their learners' progress counters
    (`tutor.services.activity`), which only turns written by the app keep up to date."""

    def delete_model(self, request: HttpRequest, obj) -> None:
        with transaction.atomic():
            super().delete_model(request, obj)
            recount([obj.learner_id])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        learners = list(queryset.order_by().values_list("learner", flat=True).distinct())
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            recount(learners)


# --- Learners ---------------------------------------------------------------


@admin.register(User)
class LearnerAdmin(DjangoUserAdmin):
    form = LearnerChangeForm
    add_form = LearnerCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Learner", {"fields": ("name", "level", "goal", "explanation_language", "time_zone")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = (
        "email",
        "name",
        "level",
        "goal",
        "explanation_language",
        "is_staff",
        "date_joined",
    )
    list_filter = ("level", "goal", "explanation_language", "is_staff", "is_active")
    search_fields = ("email", "name")
    ordering = ("email",)


# --- Lessons ----------------------------------------------------------------


class LessonStepInline(admin.StackedInline):
    model = LessonStep
    form = LessonStepAdminForm
    fields = (("position", "title"), "instruction", "example_answer", "target_phrases")
    ordering = ("position",)

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        return 3 if obj is None else 1


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    form = LessonAdminForm
    inlines = [LessonStepInline]
    list_display = (
        "title",
        "level",
        "goal",
        "step_count",
        "is_published",
        "position",
        "updated_at",
    )
    list_display_links = ("title",)
    list_editable = ("position",)
    list_filter = ("is_published", "level", "goal")
    search_fields = ("title", "subtitle", "objective", "slug")
    prepopulated_fields = {"slug": ("title",)}
    actions = ["publish", "unpublish"]
    readonly_fields = ("steps_preview", "created_at", "updated_at")

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = [
            (None, {"fields": ("title", "slug", "subtitle", "objective", ("level", "goal"))}),
            ("What the learner practises", {"fields": ("target_grammar", "target_vocabulary")}),
            ("Publishing", {"fields": ("is_published", "position")}),
        ]
        if obj is not None:
            fieldsets.append(
                ("Preview: the lesson as Macca runs it", {"fields": ("steps_preview",)})
            )
            fieldsets.append(("History", {"fields": ("created_at", "updated_at")}))
        return fieldsets

    def get_queryset(self, request: HttpRequest) -> QuerySet[Lesson]:
        return super().get_queryset(request).annotate(step_count=Count("steps"))

    @admin.display(description="steps", ordering="step_count")
    def step_count(self, lesson: Lesson) -> int:
        return lesson.step_count

    @admin.display(description="Steps")
    def steps_preview(self, lesson: Lesson) -> str:
        steps = lesson.steps.order_by("position")
        if not steps:
            return "No steps yet: add them below, then save."
        items = format_html_join(
            "",
            "<li><strong>{}</strong><br>Macca: “{}”<br><em>Example answer:</em> {}</li>",
            ((step.title, step.instruction, step.example_answer or "—") for step in steps),
        )
        return format_html('<ol class="macca-steps-preview">{}</ol>', items)

    @admin.action(description="Publish selected lessons", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Lesson]) -> None:
        self._set_published(request, queryset, True)

    @admin.action(description="Unpublish selected lessons", permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Lesson]) -> None:
        self._set_published(request, queryset, False)

    def _set_published(self, request: HttpRequest, queryset: QuerySet[Lesson], value: bool) -> None:
        # A lesson without steps cannot be run, so it is never published.
        skipped = queryset.filter(step_count=0).count() if value else 0
        if value:
            queryset = queryset.exclude(step_count=0)
        changed = Lesson.objects.filter(pk__in=queryset.values("pk")).update(is_published=value)
        verb = "published" if value else "unpublished"
        self.message_user(
            request,
            ngettext("%(n)d lesson %(verb)s.", "%(n)d lessons %(verb)s.", changed)
            % {"n": changed, "verb": verb},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d lesson has no steps and was not published.",
                    "%(n)d lessons have no steps and were not published.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        lesson = form.instance
        if lesson.is_published and not lesson.steps.exists():
            lesson.is_published = False
            lesson.save(update_fields=["is_published"])
            self.message_user(
                request,
                f"“{lesson.title}” has no steps, so it was saved unpublished. "
                "Add at least one step, then publish it.",
                messages.WARNING,
            )

    def get_formset_kwargs(self, request: HttpRequest, obj, inline, prefix: str) -> dict:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, LessonStepInline):
            # Blank step forms come numbered after the last step. Given on POST
            # too, so an untouched blank form still counts as unchanged.
            saved = obj if obj is not None and not obj._state.adding else None
            last = saved.steps.aggregate(last=Max("position"))["last"] if saved else None
            first = (last or 0) + 1
            extra = inline.get_extra(request, saved)
            kwargs["initial"] = [{"position": first + i} for i in range(extra)]
        return kwargs

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is LessonStep:
            # Steps may swap positions in one save. Park the steps whose position
            # changes (or that go away) out of range first, so the unique
            # (lesson, position) constraint holds after every single UPDATE.
            moving = [
                f.instance.pk
                for f in formset.initial_forms
                if f.instance.pk and ("position" in f.changed_data or f in formset.deleted_forms)
            ]
            with transaction.atomic():
                LessonStep.objects.filter(pk__in=moving).update(position=F("position") + 1_000_000)
                super().save_formset(request, form, formset, change)
            return
        super().save_formset(request, form, formset, change)


# --- Practice ---------------------------------------------------------------


class TurnInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Turn
    fields = ("position", "role", "text", "transcript", "degraded", "created_at")
    ordering = ("position",)
    can_delete = False
    extra = 0


@admin.register(PracticeSession)
class PracticeSessionAdmin(RecountsProgressMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    inlines = [TurnInline]
    list_display = ("learner", "mode", "subject", "turn_count", "started_at", "ended_at")
    list_filter = ("mode", "started_at", "lesson")
    search_fields = ("learner__email", "learner__name", "topic", "lesson__title")
    list_select_related = ("learner", "lesson")
    date_hierarchy = "started_at"
    fields = (
        "learner",
        "mode",
        "topic",
        "lesson",
        "current_step",
        "lesson_completed_at",
        "started_at",
        "ended_at",
        "summary",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[PracticeSession]:
        return super().get_queryset(request).annotate(turn_count=Count("turns"))

    @admin.display(description="topic or lesson")
    def subject(self, session: PracticeSession) -> str:
        return session.lesson.title if session.lesson_id else session.topic or "—"

    @admin.display(description="turns", ordering="turn_count")
    def turn_count(self, session: PracticeSession) -> int:
        return session.turn_count


@admin.register(FeedbackIssue)
class FeedbackIssueAdmin(RecountsProgressMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "kind", "learner", "created_at")
    list_filter = ("kind", "created_at")
    search_fields = ("code", "learner__email")
    list_select_related = ("learner",)
    date_hierarchy = "created_at"


@admin.register(VocabularyItem)
class VocabularyItemAdmin(admin.ModelAdmin):
    list_display = ("word", "translation", "learner", "source", "state", "due", "last_review")
    list_filter = ("source", "state")
    search_fields = ("word", "translation", "learner__email")
    list_select_related = ("learner",)
    raw_id_fields = ("learner",)
    readonly_fields = ("stability", "difficulty", "state", "step", "last_review", "created_at")


@admin.register(ReviewLog)
class ReviewLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("item", "learner", "rating", "reviewed_at")
    list_filter = ("rating", "reviewed_at")
    search_fields = ("item__word", "item__learner__email")
    list_select_related = ("item__learner",)

    @admin.display(ordering="item__learner__email")
    def learner(self, log: ReviewLog) -> User:
        return log.item.learner


@admin.register(PronunciationAttempt)
class PronunciationAttemptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("target_text", "learner", "overall", "accuracy", "completeness", "created_at")
    list_filter = ("created_at",)
    search_fields = ("target_text", "transcript", "learner__email")
    list_select_related = ("learner",)
    exclude = ("audio",)


@admin.register(SpeechClip)
class SpeechClipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("text", "model_id", "voice", "content_type", "created_at", "last_used_at")
    list_filter = ("model_id", "content_type")
    search_fields = ("text",)
