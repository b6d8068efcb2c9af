"""In a real browser: an editor signs in with a password, then a code from the app; a wrong
code and a reused one are refused."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from news.tests.browser import BROWSER_TEST, screenshots

pytestmark = BROWSER_TEST
shoot = screenshots("browser-editorial")


def sign_in(browser, live_server, user, code):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f"{user.username}-password")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/two-factor/verify/**")
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(code)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state()
    return page


def test_an_editor_signs_in_with_a_code_and_wrong_or_reused_codes_are_refused(
    browser,
    live_server,
    settings,
    editor,
):
    settings.NEWS_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=editor, name="Phone", confirmed=True)
    code = f"{totp(device.bin_key):06d}"
    wrong = sign_in(browser, live_server, editor, "123456" if code != "123456" else "654321")
    shoot(wrong, "9-two-factor-wrong-code")
    assert "That code is not right" in wrong.locator(".messages").inner_text()
    assert "/two-factor/verify/" in wrong.url

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the test is quicker than the throttle
    page = sign_in(browser, live_server, editor, code)
    shoot(page, "10-two-factor-signed-in")
    assert page.url.rstrip("/").endswith("/admin")

    reused = sign_in(browser, live_server, editor, code)
    assert "used already" in reused.locator(".messages").inner_text()
    assert "/two-factor/verify/" in reused.url
