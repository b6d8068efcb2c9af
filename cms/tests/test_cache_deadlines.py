"""Deadlines in the dependency cache: what is true only until a time is not served after it."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from cms.caching import (
    AnonymousCacheMiddleware,
    bump_content_version,
    collecting,
    keep_many,
    kept_many,
    shows_until,
)

pytestmark = pytest.mark.django_db


def test_a_kept_fragment_is_served_until_its_deadline_and_not_after(settings):
    bump_content_version()  # the site's version exists before the fragment is kept
    soon = timezone.now() + timedelta(seconds=1)
    with collecting() as shown:
        shows_until(soon)
    keep_many({"fragment": ("value", shown)}, 60, as_of=time.time_ns() + 1)
    assert kept_many(["fragment"]) == {"fragment": ("value", ("site", *shown))}
    time.sleep(1.1)
    assert kept_many(["fragment"]) == {}


def test_a_deadline_counts_even_when_the_view_answered_for_nothing():
    with collecting() as shown:
        shows_until(timezone.now() + timedelta(hours=1))
    names = AnonymousCacheMiddleware.dependencies(shown)
    assert "any" in names
    assert any(name.startswith("until:") for name in names)
