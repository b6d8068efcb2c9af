"""The suite's newsroom, built once per test module inside a transaction rolled back after it."""

import pytest
from django.db import transaction
from django.test import override_settings

from cms.tests.security.world import build_world


@pytest.fixture(scope="session")
def security_media(tmp_path_factory):
    return tmp_path_factory.mktemp("security-media")


@pytest.fixture(autouse=True)
def media_root(settings, security_media):
    """One media directory for the module-wide world and each test (overrides conftest.py's)."""
    settings.MEDIA_ROOT = security_media
    return security_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, security_media):
    """The secret objects and the roles (cms/tests/security/world.py), shared by a module.

    Each test's own transaction nests inside this one, so what a test changes is undone
    after it and the world itself after the module.
    """
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=security_media):
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)
