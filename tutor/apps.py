from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class TutorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tutor"
    verbose_name = "Macca tutor"

    def ready(self) -> None:
        from tutor.models import Lesson, LessonStep
        from tutor.services.catalogue import on_lesson_change

        for model in (Lesson, LessonStep):
            post_save.connect(
                on_lesson_change, sender=model, dispatch_uid=f"catalogue:{model._meta.label}"
            )
            post_delete.connect(
                on_lesson_change, sender=model, dispatch_uid=f"catalogue:{model._meta.label}"
            )
