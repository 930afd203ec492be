"""With REDIS_URL set, the cache is Redis, shared by every app server."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set")


def test_cached_values_live_in_redis_where_other_servers_see_them():
    cache.set("macca-test-key", {"learner": "alice"}, timeout=30)
    other_server = redis.Redis.from_url(settings.REDIS_URL)
    assert other_server.exists(cache.make_key("macca-test-key"))
    assert cache.get("macca-test-key") == {"learner": "alice"}
    cache.delete("macca-test-key")
    assert not other_server.exists(cache.make_key("macca-test-key"))
