"""The tokens of Django REST framework's authtoken app (one per patient, kept in plain text) become API tokens:
only their digest is kept, so the apps holding them go on working, and the old table is dropped."""

import datetime as dt

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def carry_over(apps, schema_editor):
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS

    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("diary", "ApiToken")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")  # noqa: S608 - a constant name
        rows = cursor.fetchall()
    expiry = timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS)
    for key, user_id, created in rows:
        digest = hash_token(key)
        created = timezone.make_aware(created, dt.UTC) if timezone.is_naive(created) else created
        ApiToken(
            digest=digest,
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            expiry=expiry,
            name="An app (signed in before tokens expired)",
        ).save(force_insert=True)
        ApiToken.objects.filter(pk=digest).update(created=created)  # auto_now_add set it to now
    schema_editor.execute(f"DROP TABLE {OLD_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("diary", "0010_api_tokens")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
