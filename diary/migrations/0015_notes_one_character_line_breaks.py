"""Notes saved from the log form before `web.forms.TextBox` kept a browser's CR LF line breaks; the form now keeps a
break as LF. Without this, sending such an episode's edit form back unchanged would read as a change and move its
last save (`updated_at`), which the late-entry rule reads. `update()` leaves `updated_at` as it is."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace


def one_character_breaks(apps, schema_editor):
    Episode = apps.get_model("diary", "Episode")
    Episode.objects.filter(notes__contains="\r").update(
        notes=Replace(Replace("notes", Value("\r\n"), Value("\n")), Value("\r"), Value("\n"))
    )


class Migration(migrations.Migration):
    dependencies = [("diary", "0014_episode_from_file")]

    operations = [migrations.RunPython(one_character_breaks, migrations.RunPython.noop, elidable=True)]
