"""Accounts made before profiles came with the account get theirs now."""

from django.conf import settings
from django.db import migrations


def create_missing_profiles(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Profile = apps.get_model("diary", "Profile")
    Profile.objects.bulk_create(Profile(user=user) for user in User.objects.filter(profile__isnull=True))


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0002_profile_reminder_sent_on"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create_missing_profiles, migrations.RunPython.noop)]
