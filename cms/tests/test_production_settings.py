"""cms.settings.production takes every deployment-specific service from the environment."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from conftest import run_commit_hooks
from news.tests.factories import make_article

FRONTEND = "wagtail.contrib.frontend_cache.backends."


def test_no_cdn_configured_means_no_frontend_cache(production_settings):
    assert not hasattr(production_settings(), "WAGTAILFRONTENDCACHE")


def test_cdn_purge_url_selects_http_purge(production_settings):
    production = production_settings(
        CDN_PURGE_URL="http://varnish-1:6081, http://varnish-2:6081",
        CDN_HOSTNAMES="news.example.com",
    )
    assert production.WAGTAILFRONTENDCACHE == {
        "http-1": {
            "BACKEND": f"{FRONTEND}HTTPBackend",
            "LOCATION": "http://varnish-1:6081",
            "HOSTNAMES": ["news.example.com"],
        },
        "http-2": {
            "BACKEND": f"{FRONTEND}HTTPBackend",
            "LOCATION": "http://varnish-2:6081",
            "HOSTNAMES": ["news.example.com"],
        },
    }


def test_cloudflare_with_an_api_token(production_settings):
    production = production_settings(CLOUDFLARE_ZONE_ID="zone-1", CLOUDFLARE_API_TOKEN="tok")
    assert production.WAGTAILFRONTENDCACHE == {
        "cloudflare": {
            "BACKEND": f"{FRONTEND}CloudflareBackend",
            "ZONEID": "zone-1",
            "BEARER_TOKEN": "tok",
        }
    }


def test_cloudflare_with_email_and_key_and_refused_without_credentials(production_settings):
    production = production_settings(
        CLOUDFLARE_ZONE_ID="zone-1", CLOUDFLARE_EMAIL="ops@example.com", CLOUDFLARE_API_KEY="key"
    )
    backend = production.WAGTAILFRONTENDCACHE["cloudflare"]
    assert (backend["EMAIL"], backend["API_KEY"]) == ("ops@example.com", "key")
    with pytest.raises(ImproperlyConfigured, match="CLOUDFLARE_EMAIL"):
        production_settings(CLOUDFLARE_ZONE_ID="zone-1")


def test_cloudfront(production_settings):
    production = production_settings(CLOUDFRONT_DISTRIBUTION_ID="E123")
    assert production.WAGTAILFRONTENDCACHE == {
        "cloudfront": {"BACKEND": f"{FRONTEND}CloudfrontBackend", "DISTRIBUTION_ID": "E123"}
    }


@pytest.mark.django_db
def test_configured_http_purge_reaches_the_cache_server(
    production_settings, settings, purge_server, section
):
    host, port = purge_server.server_address
    production = production_settings(CDN_PURGE_URL=f"http://{host}:{port}")
    settings.WAGTAILFRONTENDCACHE = production.WAGTAILFRONTENDCACHE
    article = make_article(section, "Configured purge")
    run_commit_hooks()  # purges wait for the commit
    assert f"/api/v2/pages/{article.pk}/" in {path for _host, path in purge_server.received}


def run_production_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_a_sample_environment(sample_production_env):
    result = run_production_check(sample_production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_reports_an_insecure_setting(sample_production_env):
    result = run_production_check({**sample_production_env, "SECURE_HSTS_SECONDS": "0"})
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(production_settings):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        production_settings(SECRET_KEY=None)


def test_media_stay_on_local_disk_without_a_bucket(production_settings):
    backend = production_settings().STORAGES["default"]["BACKEND"]
    assert backend == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_puts_media_on_s3_compatible_storage(production_settings, monkeypatch):
    production = production_settings(
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        AWS_S3_REGION_NAME="eu-west-1",
        AWS_LOCATION="media",
    )
    default = production.STORAGES["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "newsroom-media"
    assert production.STORAGES["staticfiles"]["BACKEND"].startswith("whitenoise.")

    # The storage builds public URLs at the endpoint without a network call.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "sample-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "sample-secret")
    storage = import_string(default["BACKEND"])(**default["OPTIONS"])
    url = storage.url("original_images/harbour.jpg")
    assert url == "https://s3.example.net/newsroom-media/media/original_images/harbour.jpg"


def test_a_custom_domain_serves_media_from_the_cdn(production_settings):
    production = production_settings(
        AWS_STORAGE_BUCKET_NAME="newsroom-media", AWS_S3_CUSTOM_DOMAIN="media.example.com"
    )
    options = production.STORAGES["default"]["OPTIONS"]
    storage = import_string("storages.backends.s3.S3Storage")(**options)
    assert storage.url("images/a.jpg") == "https://media.example.com/images/a.jpg"


def test_production_keeps_database_connections_open_and_checked(production_settings):
    from django.conf import settings

    default = production_settings().DATABASES["default"]
    assert default["CONN_MAX_AGE"] == 60
    assert default["CONN_HEALTH_CHECKS"] is True
    assert production_settings(DATABASE_CONN_MAX_AGE="0").DATABASES["default"]["CONN_MAX_AGE"] == 0
    # Loading production changed nothing of the running settings (base's dict is shared).
    assert settings.DATABASES["default"].get("CONN_MAX_AGE", 0) == 0


def test_a_kept_database_connection_to_a_silent_server_fails_within_seconds():
    from cms.settings.base import database_fails_fast

    postgres = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "newsroom"}}
    options = database_fails_fast(postgres)["default"]["OPTIONS"]
    assert options["connect_timeout"] == 5
    assert options["tcp_user_timeout"] == 5000
    assert options["keepalives"] == 1
    assert "OPTIONS" not in postgres["default"]  # a copy
    sqlite = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
    assert database_fails_fast(sqlite) == sqlite
