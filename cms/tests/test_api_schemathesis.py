"""Property-based run of every /api/v3/ operation against its own OpenAPI schema.

Schemathesis generates requests from /api/v3/openapi.json (valid and invalid ones) and
checks each answer: never a 5xx, only documented statuses and media types, and every body
matching the schema of its status. Examples are bounded and derandomised, so the run is the
same every time and stays within a few minutes.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from news.tests.factories import make_article, make_author, make_image

schema = schemathesis.openapi.from_wsgi(
    "/api/v3/openapi.json", WSGIHandler(), config=SchemathesisConfig(seed=20261127)
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def connection_stays_open():
    """Keep the test's database transaction across requests, as Django's test client does.

    A plain WSGIHandler closes the connection when each request finishes, which on
    PostgreSQL ends the test's transaction and fails every later query.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def newsroom(section):
    jane = make_author("Jane Doe")
    picture = make_image(width=64, height=48)
    for n in range(3):
        make_article(section, f"Story {n}", authors=[jane], tags=["oil"], lead_image=picture)
    make_article(section, "Draft", publish=False)


@pytest.fixture
def admin_token(newsroom, admin_user):
    from wagtail.models import APIToken

    _token, key = APIToken.create_token(user=admin_user, name="schemathesis")
    return key


def call_and_validate(case, **kwargs):
    """Call the operation and check its answer, with the Host header left to the transport.

    Schemathesis may send a made-up Host among unexpected headers; Django refuses a host
    outside ALLOWED_HOSTS (its own HTML 400) before any route runs, so such a call tests
    the deployment's host list, not the API.
    """
    for name in [name for name in case.headers or {} if name.lower() == "host"]:
        del case.headers[name]
    case.call_and_validate(checks=CHECKS, **kwargs)


@schema.parametrize()
@BOUNDED
@pytest.mark.django_db
def test_anonymous_calls_conform(case, newsroom):
    call_and_validate(case)


@schema.parametrize()
@BOUNDED
@pytest.mark.django_db
def test_authenticated_calls_conform(case, admin_token):
    call_and_validate(case, headers={"Authorization": f"Bearer {admin_token}"})
