"""Two-factor sign-in to the admin: time-based one-time passwords (django-otp) and recovery codes.

After the password, a user with an authenticator app enrolled gives a code from it (or a
recovery code) before the admin opens. With NEWS_REQUIRE_2FA on (production), the people
who can publish (administrators, and members of a group holding a publish permission on
pages) must enrol before they reach the admin. API tokens are unaffected: the check is on
the admin's session sign-in only.

Codes are throttled by django-otp (each wrong code doubles the wait before the next try),
and a code is accepted once: TOTPDevice remembers the last time step used.
"""

import segno
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import GroupPagePermission

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# Admin paths a signed-in but unverified user may still reach: signing in and out, the two
# steps, and what their pages load (the icon sprite, the translations for scripts).
OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "two_factor_verify",
    "two_factor_setup",
    "two_factor_recovery_codes",
}


def must_use_two_factor(user):
    """Whether NEWS_REQUIRE_2FA applies to `user`: administrators and those who can publish."""
    if not settings.NEWS_REQUIRE_2FA or not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or GroupPagePermission.objects.filter(
            group__user=user, permission__codename="publish_page"
        ).exists()
    )


def next_url(request, default="wagtailadmin_home"):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return reverse(default)


class TwoFactorMiddleware:
    """Sends an admin user who signed in with a password on to the second step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if not request.path.startswith(settings.NEWS_ADMIN_PATH_PREFIX):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_URL_NAMES:
            return None
        back = f"?next={request.get_full_path()}" if request.method == "GET" else ""
        if user_has_device(user, confirmed=True):
            return redirect(reverse("two_factor_verify") + back)
        if must_use_two_factor(user):
            return redirect(reverse("two_factor_setup") + back)
        return None


def verify(request):
    """The second step of signing in: a code from the app, or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(next_url(request))
    if request.method == "POST":
        code = "".join(request.POST.get("code", "").split())
        device, refusal = check_code(user, code)
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, f"Recovery code used: {left} left.")
            return redirect(next_url(request))
        messages.error(request, refusal)
    return TemplateResponse(request, "two_factor/verify.html", {"next": next_url(request)})


def check_code(user, code):
    """(device, "") when `code` is a valid, unused code of the user's; else (None, why not)."""
    if not code:
        return None, "Enter the code from your authenticator app."
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        allowed, details = device.verify_is_allowed()
        if not allowed:
            wait = details.get("locked_until") if details else None
            return None, "Too many wrong codes. Wait a little, then try again." + (
                f" (until {wait:%H:%M:%S} UTC)" if wait else ""
            )
        if device.verify_token(code):
            return device, ""
    for device in StaticDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device, ""
    return None, "That code is not right, or it was used already. Try the next one."


def setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect(reverse("two_factor_verify"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    if request.method == "POST":
        code = "".join(request.POST.get("code", "").split())
        if code and device.verify_token(code):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session["two_factor_recovery_codes"] = new_recovery_codes(user)
            return redirect(reverse("two_factor_recovery_codes") + f"?next={next_url(request)}")
        messages.error(request, "That code is not right. Check the app's clock and try again.")
    return TemplateResponse(
        request,
        "two_factor/setup.html",
        {
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
            "key": b32_key(device),
            "next": next_url(request),
            "required": must_use_two_factor(user),
        },
    )


def b32_key(device):
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


def new_recovery_codes(user):
    """Replace the user's recovery codes with RECOVERY_CODES new ones; returns them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes(request):
    """Shows new recovery codes once, straight after they are made."""
    codes = request.session.pop("two_factor_recovery_codes", None)
    if not codes or not request.user.is_verified():
        return redirect(reverse("two_factor_manage"))
    return TemplateResponse(
        request, "two_factor/recovery_codes.html", {"codes": codes, "next": next_url(request)}
    )


def manage(request):
    """Account settings → Two-factor sign-in: status, new recovery codes, turning it off."""
    user = request.user
    enrolled = user_has_device(user, confirmed=True)
    if request.method == "POST" and enrolled and user.is_verified():
        if request.POST.get("action") == "recovery-codes":
            request.session["two_factor_recovery_codes"] = new_recovery_codes(user)
            return redirect("two_factor_recovery_codes")
        if request.POST.get("action") == "turn-off" and not must_use_two_factor(user):
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            messages.success(request, "Two-factor sign-in is off.")
            return redirect("two_factor_manage")
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return TemplateResponse(
        request,
        "two_factor/manage.html",
        {
            "enrolled": enrolled,
            "required": must_use_two_factor(user),
            "recovery_codes_left": recovery.token_set.count() if recovery else 0,
        },
    )


urlpatterns = [
    path("two-factor/verify/", verify, name="two_factor_verify"),
    path("two-factor/setup/", setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", recovery_codes, name="two_factor_recovery_codes"),
    path("two-factor/", manage, name="two_factor_manage"),
]
