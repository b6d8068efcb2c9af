"""Two-factor sign-in: those who can publish enrol before reaching the admin, then give a
code at each sign-in; wrong, reused and hurried codes are refused; API tokens carry on."""

import time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture
def required(settings):
    settings.NEWS_REQUIRE_2FA = True


def code_for(device, offset=0):
    """The code the user's app shows now (or `offset` steps later)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - offset * device.step):06d}"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def enrol(client, user):
    """Sign in and enrol an app through the setup page; returns the confirmed device."""
    client.force_login(user)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("two_factor_setup"), {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    return device


def test_an_editor_enrols_before_reaching_the_admin(client, required, editor):
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    setup_page = client.get(response["Location"]).content.decode()
    assert "<svg" in setup_page and "data-two-factor-key" in setup_page


def test_a_writer_who_cannot_publish_is_not_made_to_enrol(client, required, writer):
    client.force_login(writer)

    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_enrolling_shows_ten_recovery_codes_once_and_opens_the_admin(client, required, editor):
    device = enrol(client, editor)

    assert device.confirmed
    codes_page = client.get(reverse("two_factor_recovery_codes")).content.decode()
    assert codes_page.count("<li><code>") == 10
    assert client.get(reverse("two_factor_recovery_codes")).status_code == 302  # only once
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_signing_in_again_asks_for_a_code_and_refuses_a_wrong_one(client, required, editor):
    device = enrol(client, editor)
    client.logout()
    client.force_login(editor)

    assert client.get(reverse("wagtailadmin_home"))["Location"].startswith(
        reverse("two_factor_verify")
    )
    wrong = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert "That code is not right" in " ".join(messages_of(wrong))
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    time.sleep(1.1)  # django-otp's throttle: one second after one wrong code
    client.post(reverse("two_factor_verify"), {"code": code_for(device, offset=1)})
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_code_is_accepted_once(client, required, editor):
    device = enrol(client, editor)  # used the current code
    client.logout()
    client.force_login(editor)

    reused = client.post(reverse("two_factor_verify"), {"code": code_for(device)})

    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    assert "used already" in " ".join(messages_of(reused))


def test_codes_sent_in_a_hurry_after_a_wrong_one_are_throttled(client, required, editor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 30  # a wrong code locks the next try for 30 s
    device = enrol(client, editor)
    client.logout()
    client.force_login(editor)

    client.post(reverse("two_factor_verify"), {"code": "111111"})
    hurried = client.post(reverse("two_factor_verify"), {"code": code_for(device, offset=1)})

    assert "Too many wrong codes" in " ".join(messages_of(hurried))
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_a_recovery_code_signs_in_once(client, required, editor):
    enrol(client, editor)
    code = StaticToken.objects.filter(device__user=editor).first().token
    for expected in (200, 302):
        client.logout()
        client.force_login(editor)
        client.post(reverse("two_factor_verify"), {"code": code})
        assert client.get(reverse("wagtailadmin_home")).status_code == expected


def test_api_tokens_are_unaffected(client, required, editor, bearer):
    response = client.get("/api/v3/whoami/", **bearer(editor))

    assert response.status_code == 200


def test_those_who_must_use_it_cannot_turn_it_off(client, required, editor):
    enrol(client, editor)

    client.post(reverse("two_factor_manage"), {"action": "turn-off"})

    assert TOTPDevice.objects.filter(user=editor, confirmed=True).exists()


def test_the_account_settings_link_to_two_factor_sign_in(client, writer):
    client.force_login(writer)

    page = client.get(reverse("wagtailadmin_account")).content.decode()

    assert reverse("two_factor_manage") in page
