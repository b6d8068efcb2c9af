"""Fixtures for the production settings: load cms.settings.production under a given environment."""

import importlib.util
import os

import pytest

# What a minimal production deployment sets; tests add or remove what they look at.
SAMPLE_PRODUCTION_ENV = {
    "SECRET_KEY": "sample-production-key-Zq3x9V7mWb2Lk8Rt5Hn1Pc6Dy4Ju0Fs-aE7gT2",
    "ALLOWED_HOSTS": "news.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://news.example.com",
    "WAGTAILADMIN_BASE_URL": "https://news.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
# Variables only production reads: a test's own environment (CI exports REDIS_URL) must not
# leak into the settings it checks.
PRODUCTION_ONLY_PREFIXES = ("REDIS_URL", "AWS_", "CDN_", "CLOUDFLARE_", "CLOUDFRONT_", "TASKS_")


@pytest.fixture
def production_settings(monkeypatch):
    """load(**env): the module cms.settings.production as it loads with SAMPLE_PRODUCTION_ENV
    updated by env (a None value unsets a variable). Nothing is installed as the settings."""

    def load(**env):
        for name in list(os.environ):
            if name.startswith(PRODUCTION_ONLY_PREFIXES):
                monkeypatch.delenv(name)
        for name, value in {**SAMPLE_PRODUCTION_ENV, **env}.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        spec = importlib.util.find_spec("cms.settings.production")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load
