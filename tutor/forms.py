"""Forms. The admin edits lesson lists (grammar, vocabulary, phrases) as plain
lines of text, so a curator never has to write JSON."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import Lesson, LessonStep, User
from .text import ONLY_INVISIBLE, clean_text


class CleanCharField(forms.CharField):
    """Text a person types, through tutor.text.clean_text(): NFC, without control,
    zero-width or bidi characters; max_length counts the cleaned text. A value of
    only such characters is refused, even where the field is optional."""

    default_error_messages = {"invisible": ONLY_INVISIBLE}

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        text = super().to_python(value)
        if not text:
            return text
        cleaned = clean_text(text, multiline=self.multiline)
        if not cleaned:
            raise forms.ValidationError(self.error_messages["invisible"], code="invisible")
        return cleaned


class LinesField(forms.CharField):
    """A list of strings, edited one per line; blank lines are ignored."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(data) != (initial or [])
        except forms.ValidationError:
            return True

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class VocabularyLinesField(LinesField):
    """Words with their translation, one per line: `word = terjemahan`."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{item['word']} = {item['translation']}" for item in value)
        return value

    def to_python(self, value) -> list[dict[str, str]]:
        items = []
        for number, line in enumerate(super().to_python(value), start=1):
            word, sep, translation = line.partition("=")
            if not sep or not word.strip() or not translation.strip():
                raise forms.ValidationError(
                    "Line %(number)s (“%(line)s”) needs a word, “=”, and its translation, "
                    "e.g. “deadline = tenggat waktu”.",
                    params={"number": number, "line": line},
                    code="invalid_vocabulary_line",
                )
            items.append({"word": word.strip(), "translation": translation.strip()})
        return items


class LessonAdminForm(forms.ModelForm):
    target_grammar = LinesField(
        required=False, help_text="One grammar point per line, e.g. “Past simple: I went …”."
    )
    target_vocabulary = VocabularyLinesField(
        required=False,
        help_text="One word per line with its Indonesian translation: “deadline = tenggat waktu”.",
    )

    class Meta:
        model = Lesson
        fields = [
            "title",
            "slug",
            "subtitle",
            "objective",
            "level",
            "goal",
            "target_grammar",
            "target_vocabulary",
            "is_published",
            "position",
        ]


class LessonStepAdminForm(forms.ModelForm):
    target_phrases = LinesField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One useful phrase per line.",
    )

    class Meta:
        model = LessonStep
        fields = ["position", "title", "instruction", "example_answer", "target_phrases"]
        widgets = {
            "instruction": forms.Textarea(attrs={"rows": 3}),
            "example_answer": forms.Textarea(attrs={"rows": 3}),
        }


class LearnerCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")


class LearnerChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
