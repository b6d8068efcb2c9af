"""Admin login throttling (django-axes): a username is locked out from an address after
AXES_FAILURE_LIMIT failed logins; API bearer tokens never go through it."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import RequestFactory, override_settings

from cms.security import client_ip

LOGIN_URL = "/admin/login/"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        username="ada", email="ada@newsroom.test", password="correct horse"
    )


def log_in(client, password, username="ada", address="203.0.113.7", **extra):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def fail(client, times, **kwargs):
    """Fail `times` logins; the one that reaches the limit is itself answered 429."""
    statuses = [log_in(client, "wrong password", **kwargs).status_code for _ in range(times)]
    return statuses


def test_admin_login_succeeds_below_the_limit(client, staff, settings):
    fail(client, settings.AXES_FAILURE_LIMIT - 1)

    response = log_in(client, "correct horse")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_admin_login_is_locked_out_after_the_failure_limit(client, staff, settings):
    limit = settings.AXES_FAILURE_LIMIT
    # The login form again, with its error, until the limit is reached.
    assert fail(client, limit) == [200] * (limit - 1) + [429]

    # Even the right password is refused now, and the session stays anonymous.
    response = log_in(client, "correct horse")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_lockout_is_per_username_and_address(client, staff, django_user_model, settings):
    django_user_model.objects.create_superuser(username="bob", email="b@n.test", password="pw-bob")
    fail(client, settings.AXES_FAILURE_LIMIT)

    # Another address for the same user, and another user from the same address, still work.
    assert log_in(client, "correct horse", address="198.51.100.2").status_code == 302
    client.logout()
    assert log_in(client, "pw-bob", username="bob").status_code == 302


def test_lockout_ends_after_the_cool_off(client, staff, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "correct horse").status_code == 429

    # The failures were made a cool-off period (and a minute) ago.
    since = timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - since)

    assert log_in(client, "correct horse").status_code == 302


def test_bearer_tokens_are_not_throttled(client, staff, bearer, settings):
    fail(client, settings.AXES_FAILURE_LIMIT + 2)
    assert log_in(client, "correct horse").status_code == 429

    response = client.get("/api/v3/pages/", **bearer(staff), REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200


@override_settings(NEWS_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_client_is_locked_out(client, staff, settings):
    # Clients share the proxy's REMOTE_ADDR; the proxy appends the real one.
    fail(client, settings.AXES_FAILURE_LIMIT, address="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")

    locked = log_in(client, "correct horse", address="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    other = log_in(client, "correct horse", address="10.0.0.1", HTTP_X_FORWARDED_FOR="5.6.7.8")

    assert locked.status_code == 429
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no trusted proxy: the header is the client's own words
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client forged the left entry
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),
        (2, "1.2.3.4", "10.0.0.1"),  # fewer entries than proxies: not through our proxies
    ],
)
def test_client_ip_trusts_only_our_proxies(settings, proxies, forwarded, expected):
    settings.NEWS_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected
