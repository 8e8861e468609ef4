"""VAPID keys: from the environment's settings, a development pair made once, none in production."""

import io

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command

from pwa import vapid
from tests.pwa.pushservice import b64url, unb64url


def public_of(private: str) -> str:
    key = ec.derive_private_key(int.from_bytes(unb64url(private), "big"), ec.SECP256R1())
    return b64url(
        key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )


def test_the_command_prints_a_matching_pair_as_environment_lines():
    out = io.StringIO()
    call_command("generate_vapid_keys", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().split())
    assert public_of(lines["VAPID_PRIVATE_KEY"]) == lines["VAPID_PUBLIC_KEY"]
    assert len(unb64url(lines["VAPID_PUBLIC_KEY"])) == 65


def test_settings_win_over_the_development_file(settings, tmp_path):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "pub", "priv"
    settings.VAPID_DEV_KEY_FILE = tmp_path / "keys.json"
    assert vapid.keys() == vapid.VapidKeys(public="pub", private="priv")
    assert not (tmp_path / "keys.json").exists()


def test_development_makes_one_pair_and_keeps_it(settings, tmp_path):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_DEV_KEY_FILE = tmp_path / "keys.json"
    first = vapid.keys()
    assert first is not None and public_of(first.private) == first.public
    assert vapid.keys() == first


def test_production_without_keys_has_no_push(settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_DEV_KEY_FILE = None
    assert vapid.keys() is None
