"""API v3 tokens expire after NEWS_API_TOKEN_LIFETIME days and can be rotated; expired and
revoked tokens get 401 (an RFC 7807 problem document)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import APIToken, ModelLogEntry

pytestmark = pytest.mark.django_db

PROTECTED = "/api/v3/whoami/"
PUBLIC = "/api/v3/pages/"


@pytest.fixture
def token(editor):
    return APIToken.create_token(user=editor, name="front end")


def auth(plaintext):
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def age(instance, days):
    APIToken.objects.filter(pk=instance.pk).update(created=timezone.now() - timedelta(days=days))


def assert_refused(response, words):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    problem = response.json()
    assert problem["status"] == 401
    assert problem["title"] == "Unauthorized"
    assert words in problem["detail"]


def test_a_token_within_its_lifetime_works(client, token, settings):
    instance, plaintext = token
    age(instance, settings.NEWS_API_TOKEN_LIFETIME - 1)

    response = client.get(PROTECTED, **auth(plaintext))

    assert response.status_code == 200
    assert response.json()["user"]["username"] == "eddie"


@pytest.mark.parametrize("url", [PROTECTED, PUBLIC])
def test_an_expired_token_gets_401(client, token, settings, url):
    instance, plaintext = token
    age(instance, settings.NEWS_API_TOKEN_LIFETIME)

    # Even where anonymous callers are welcome: a stale credential is an error to report.
    assert_refused(client.get(url, **auth(plaintext)), "expired")


def test_an_expired_token_cannot_write(client, token, settings, section):
    instance, plaintext = token
    age(instance, settings.NEWS_API_TOKEN_LIFETIME + 30)
    data = {"meta": {"type": "news.SectionPage", "parent_id": section.pk}, "title": "Stale"}

    response = client.post(PUBLIC, data, content_type="application/json", **auth(plaintext))

    assert_refused(response, "expired")
    assert not section.get_children().filter(title="Stale").exists()


def test_the_lifetime_is_a_setting(client, token, settings):
    instance, plaintext = token
    age(instance, 10)

    settings.NEWS_API_TOKEN_LIFETIME = 7
    assert client.get(PROTECTED, **auth(plaintext)).status_code == 401
    settings.NEWS_API_TOKEN_LIFETIME = 0  # never expire
    assert client.get(PROTECTED, **auth(plaintext)).status_code == 200


@pytest.mark.parametrize("url", [PROTECTED, PUBLIC])
def test_a_revoked_token_gets_401(client, token, url):
    instance, plaintext = token
    instance.revoke()

    assert_refused(client.get(url, **auth(plaintext)), "revoked")


def test_an_unknown_token_is_left_to_wagtail(client):
    fake = APIToken.generate_token()

    assert client.get(PROTECTED, **auth(fake)).status_code == 401
    assert client.get(PUBLIC, **auth(fake)).status_code == 200  # served as anonymous


def rotate(**options):
    out, err = StringIO(), StringIO()
    call_command("rotate_api_token", stdout=out, stderr=err, **options)
    return out.getvalue().strip(), err.getvalue()


def test_rotation_issues_a_new_token_and_revokes_the_old(client, token, editor):
    old, old_plaintext = token

    new_plaintext, message = rotate(id=old.pk)

    assert_refused(client.get(PROTECTED, **auth(old_plaintext)), "revoked")
    response = client.get(PROTECTED, **auth(new_plaintext))
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "eddie"
    new = APIToken.objects.get(revoked_at__isnull=True)
    assert (new.user, new.name) == (editor, "front end")
    assert new_plaintext.startswith(new.prefix)
    assert old.prefix in message and new_plaintext not in message
    logged = ModelLogEntry.objects.order_by("pk")
    assert [entry.action for entry in logged] == [
        "wagtail.apitoken.revoke",
        "wagtail.apitoken.create",
    ]
    assert new_plaintext not in str(list(logged.values()))


def test_rotation_renews_an_expired_token(client, token, settings):
    old, _ = token
    age(old, settings.NEWS_API_TOKEN_LIFETIME + 1)

    new_plaintext, _ = rotate(prefix=old.prefix)

    assert client.get(PROTECTED, **auth(new_plaintext)).status_code == 200


@pytest.mark.parametrize("options", [{}, {"id": 999_999}, {"prefix": "wagtail_none"}])
def test_rotation_needs_one_active_token(token, options):
    with pytest.raises(CommandError):
        rotate(**options)
    assert APIToken.objects.get().revoked_at is None


def test_a_revoked_token_cannot_be_rotated(token):
    instance, _ = token
    instance.revoke()

    with pytest.raises(CommandError):
        rotate(id=instance.pk)
