"""The house's Redis cache (web/cache.py): Django's, with one client per connection pool, against a real Redis."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from tests.processes import REDIS_URL
from web.cache import RedisCache


def test_it_shares_one_client_and_behaves_as_djangos():
    ours, django_s = RedisCache(REDIS_URL, {"KEY_PREFIX": "test-cache"}), DjangoRedisCache(REDIS_URL, {})
    ours.clear()
    client = ours._cache.get_client  # type: ignore[attr-defined]
    assert client() is client(write=True)  # one client, not one per call
    djangos = django_s._cache.get_client  # type: ignore[attr-defined]
    assert djangos() is not djangos()  # what it saves
    assert ours.add("k", {"a": 1}, timeout=30) and not ours.add("k", 2, timeout=30)
    assert ours.get("k") == {"a": 1}
    assert ours.add("n", 0) and ours.incr("n") == 1 and ours.get("n") == 1
    ours.delete("k")
    assert ours.get("k") is None
    ours.clear()
