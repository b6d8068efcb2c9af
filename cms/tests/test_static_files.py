"""Production serves static files through WhiteNoise under content-hashed, compressed names."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def collected(tmp_path_factory, sample_production_env):
    """STATIC_ROOT after `collectstatic` under the production settings."""
    root = tmp_path_factory.mktemp("static")
    env = {
        **os.environ,
        **sample_production_env,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "STATIC_ROOT": str(root),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=django_settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return root


@pytest.fixture
def whitenoise(settings, production_settings, collected):
    production = production_settings()
    settings.MIDDLEWARE = production.MIDDLEWARE
    settings.STORAGES = production.STORAGES
    settings.STATIC_ROOT = collected
    return production


def hashed_name(collected, name):
    return json.loads((collected / "staticfiles.json").read_text())["paths"][name]


def test_collectstatic_writes_hashed_and_gzipped_files(collected):
    hashed = hashed_name(collected, "css/newsroom.css")
    assert hashed != "css/newsroom.css" and hashed.startswith("css/newsroom.")
    assert (collected / hashed).is_file()
    assert (collected / f"{hashed}.gz").is_file()


def test_pages_link_the_hashed_stylesheet(client, section, whitenoise, collected):
    html = client.get("/world/").content.decode()
    assert f"/static/{hashed_name(collected, 'css/newsroom.css')}" in html


def test_whitenoise_serves_hashed_files_for_ever_and_gzipped(client, whitenoise, collected):
    url = f"/static/{hashed_name(collected, 'css/newsroom.css')}"
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
    plain = client.get("/static/css/newsroom.css")
    assert plain.status_code == 200
    assert "immutable" not in plain["Cache-Control"]


def test_tests_keep_plain_static_storage():
    backend = django_settings.STORAGES["staticfiles"]["BACKEND"]
    assert backend == "django.contrib.staticfiles.storage.StaticFilesStorage"
