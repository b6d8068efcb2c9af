"""Tests marked redis fail, never skip, when REDIS_URL names a Redis that does not answer."""

import socket

import pytest

from conftest import required_redis


@pytest.fixture
def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def test_an_unreachable_redis_url_fails_the_test(closed_port_url):
    with pytest.raises(pytest.fail.Exception, match="does not answer"):
        required_redis(closed_port_url)


def test_without_redis_url_the_default_is_used_or_the_test_skipped(monkeypatch, closed_port_url):
    monkeypatch.setattr("conftest.DEFAULT_TEST_REDIS_URL", closed_port_url)
    with pytest.raises(pytest.skip.Exception):
        required_redis(None)


@pytest.mark.redis
def test_marked_tests_get_the_real_redis_under_their_own_prefix():
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(caches["default"], RedisCache)
    assert caches["default"].key_prefix.startswith("newsroom-test-")
    caches["default"].set("answer", 42)
    assert caches["default"].get("answer") == 42
