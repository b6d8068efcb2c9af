"""/healthz says the process answers; /readyz says the database does, and how the cache is."""

import socket

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.redis
def test_readyz_on_the_real_redis(client):
    assert client.get("/readyz").json()["checks"]["cache"] == "ok"


def test_readyz_stays_ready_and_reports_an_unreachable_cache_as_degraded(
    client, settings, closed_port
):
    from cms.settings.base import redis_cache

    settings.CACHES = {
        **settings.CACHES,
        "default": redis_cache(f"redis://127.0.0.1:{closed_port}/0"),
    }
    response = client.get("/readyz")
    # A load balancer keeps the instance: it serves from the database, slower.
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "degraded"},
        "degraded": ["cache"],
    }
    assert client.get("/healthz").status_code == 200


def test_readyz_is_503_naming_an_unreachable_database(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["cache"] == "ok"


def test_probes_by_ip_address_pass_host_checks_and_https_redirects(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.0.7:8000")
        assert response.status_code == 200, path
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400
