"""The demo account: 90 days of diary loaded through the ordinary import."""

import io

from django.core.management import call_command

from diary.demo import DEMO_USERNAME


def test_seed_demo_builds_ninety_days_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    demo = get_user_model().objects.get(username=DEMO_USERNAME)
    dates = sorted(demo.checkins.values_list("date", flat=True))
    assert (dates[-1] - dates[0]).days == 89
    assert demo.episodes.count() > 40
    assert demo.check_password("demo-diary")
    count = demo.episodes.count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "exists" in out.getvalue() and demo.episodes.count() == count
