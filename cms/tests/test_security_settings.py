"""Production settings turn on HTTPS-only cookies, HSTS and the safe headers; the upload
limits of base settings hold everywhere."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

SAMPLE_ENVIRONMENT = {
    "SECRET_KEY": "a-production-secret-for-the-test-only-0123456789abcdef",
    "ALLOWED_HOSTS": "news.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://news.example.com",
    "DATABASE_URL": "postgres://newsroom@db.example.com:5432/newsroom",
}

NAMES = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "AUTHENTICATION_BACKENDS",
    "MIDDLEWARE",
    "AXES_FAILURE_LIMIT",
    "AXES_LOCKOUT_PARAMETERS",
]

# Loads the production settings alone, as a deployment would, with Django's defaults.
READ_SETTINGS = f"""
import json
from django.conf import settings
print(json.dumps({{name: getattr(settings, name) for name in {NAMES!r}}}, default=str))
"""


def production_settings(**environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "AXES_", "DJANGO_", "REDIS_", "DATABASE_"))
    }
    env.update(SAMPLE_ENVIRONMENT, DJANGO_SETTINGS_MODULE="cms.settings.production")
    env.update(environment)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", READ_SETTINGS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def production():
    return production_settings()


def test_production_cookies_are_https_only(production):
    assert production["DEBUG"] is False
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["CSRF_COOKIE_SECURE"] is True


def test_production_sends_hsts_and_redirects_to_https(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True


def test_production_sends_the_safe_headers(production):
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert production["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert production["X_FRAME_OPTIONS"] in ("DENY", "SAMEORIGIN")
    assert "csp.middleware.CSPMiddleware" in production["MIDDLEWARE"]
    assert production["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"] == ["'self'"]


def test_production_throttles_admin_logins(production):
    assert production["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert production["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"
    assert production["AXES_FAILURE_LIMIT"] == 5
    assert production["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]


def test_the_hsts_lifetime_comes_from_the_environment():
    assert production_settings(SECURE_HSTS_SECONDS="600")["SECURE_HSTS_SECONDS"] == 600


def test_production_responses_carry_the_headers(client, settings, db, production):
    # The same values, applied by Django's SecurityMiddleware, over HTTPS from our proxy.
    values = production
    for name in NAMES[1:13]:
        value = values[name]
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)

    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == (
        f"max-age={values['SECURE_HSTS_SECONDS']}; includeSubDomains; preload"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == values["X_FRAME_OPTIONS"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # Plain HTTP is sent to HTTPS.
    assert client.get("/").status_code == 301


def test_the_upload_limits_hold_in_every_deployment(production):
    # From base settings: the limits tested in cms/tests/test_upload_limits.py.
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 15 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 64_000_000
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert not {"html", "htm", "svg", "js"} & set(settings.WAGTAILDOCS_EXTENSIONS)
