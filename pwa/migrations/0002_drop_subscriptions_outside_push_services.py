"""Subscriptions stored before endpoints were checked against the push services' hosts: any that the server must
not POST to (an IP address, plain http, a host no push service uses) is deleted; its browser subscribes again."""

from django.db import migrations


def drop_unknown_endpoints(apps, schema_editor):
    from pwa.forms import endpoint_problem

    PushSubscription = apps.get_model("pwa", "PushSubscription")
    unknown = [row.pk for row in PushSubscription.objects.only("endpoint") if endpoint_problem(row.endpoint)]
    PushSubscription.objects.filter(pk__in=unknown).delete()


class Migration(migrations.Migration):
    dependencies = [("pwa", "0001_push_subscription")]

    operations = [migrations.RunPython(drop_unknown_endpoints, migrations.RunPython.noop)]
