from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tutor", "0002_session_lesson_completed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="pronunciationattempt",
            name="degraded",
            field=models.BooleanField(
                default=False,
                help_text="Speech recognition failed: the recording is kept, the scores say nothing.",
            ),
        ),
    ]
