from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import User
from pytest_django.fixtures import SettingsWrapper

from pwa import vapid
from pwa.models import PushSubscription
from tests.pwa.pushservice import Browser, PushService, b64url


@pytest.fixture
def push_service() -> Iterator[PushService]:
    service = PushService()
    yield service
    service.close()


@pytest.fixture
def vapid_keys(settings: SettingsWrapper) -> vapid.VapidKeys:
    pair = vapid.generate()
    settings.VAPID_PUBLIC_KEY = pair.public
    settings.VAPID_PRIVATE_KEY = pair.private
    settings.VAPID_SUBJECT = "mailto:care@example.org"
    return pair


@pytest.fixture
def device(push_service: PushService, vapid_keys: vapid.VapidKeys) -> Callable[..., Browser]:
    """A patient's phone with notifications on: returns the browser side (its keys) of the subscription."""

    def device(patient: User, name: str = "phone") -> Browser:
        browser = Browser()
        PushSubscription.objects.create(
            patient=patient, endpoint=push_service.endpoint(name), p256dh=browser.p256dh, auth=b64url(browser.auth)
        )
        return browser

    return device
