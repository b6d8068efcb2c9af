"""Cached things that show something with an end (a picture's rights) are fresh until then."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from cms.caching import (
    ANY,
    SITE,
    UNTIL,
    AnonymousCacheMiddleware,
    collecting,
    deadline,
    fresh_until,
    keep_many,
    kept_many,
    still_fresh,
    versions,
)


def until_name(moment):
    with collecting() as shown:
        fresh_until(moment)
    [name] = shown
    return name


def test_fresh_until_declares_the_moment_in_nanoseconds():
    moment = timezone.now() + timedelta(seconds=30)
    name = until_name(moment)
    assert name.startswith(UNTIL)
    assert deadline({name, "page:1"}) == int(moment.timestamp() * 1_000_000_000)


def test_a_deadline_is_never_a_version_in_the_cache():
    name = until_name(timezone.now() + timedelta(minutes=1))
    assert versions({name, SITE}).keys() == {SITE}
    assert cache.get(f"newsroom:v:{name}") is None


def test_fresh_only_until_the_deadline():
    later = until_name(timezone.now() + timedelta(minutes=1))
    passed = until_name(timezone.now() - timedelta(seconds=1))
    versions({SITE})  # the site's version, older than as_of below
    as_of = time.time_ns() + 1
    assert still_fresh({SITE, later}, as_of)
    assert not still_fresh({SITE, passed}, as_of)


@pytest.mark.django_db
def test_a_kept_fragment_goes_at_its_deadline():
    soon = until_name(timezone.now() + timedelta(seconds=1))
    keep_many({"newsroom:test:fragment": ("value", {soon})}, 60, as_of=time.time_ns() + 10**9)
    assert kept_many(["newsroom:test:fragment"])
    time.sleep(1.1)
    assert kept_many(["newsroom:test:fragment"]) == {}


def test_a_response_that_answered_for_nothing_keeps_its_deadline():
    name = until_name(timezone.now() + timedelta(minutes=1))
    assert AnonymousCacheMiddleware.dependencies({name}) == {SITE, ANY, name}
