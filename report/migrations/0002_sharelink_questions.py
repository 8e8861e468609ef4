from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("report", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="sharelink",
            name="questions",
            field=models.TextField(
                blank=True,
                default="",
                help_text="the patient's questions for the doctor, shown on page 1",
                max_length=1000,
            ),
        ),
    ]
