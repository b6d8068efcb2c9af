"""The admin's page listings cost the same number of queries however many articles they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from news.tests.factories import make_article

pytestmark = pytest.mark.django_db


def queries_for_listing(client, section):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("wagtailadmin_explore", args=[section.pk]))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_section_listing_queries_do_not_grow_with_articles(client, section, role, request):
    client.force_login(request.getfixturevalue(role))
    for number in range(3):
        make_article(section, f"Early story {number}")
    # Once first: the first listing also fills per-process caches (the content types of
    # the page types a section may hold), which a second one reads without a query.
    queries_for_listing(client, section)
    few = queries_for_listing(client, section)

    for number in range(6):
        make_article(section, f"Later story {number}")
        make_article(section, f"Later draft {number}", publish=False)
    many = queries_for_listing(client, section)

    assert many == few


def test_writers_delete_only_drafts_and_editors_also_live_articles(section, writer, editor):
    live = make_article(section, "Live story")
    draft = make_article(section, "Draft story", publish=False)

    assert not live.permissions_for_user(writer).can_delete()
    assert draft.permissions_for_user(writer).can_delete()
    assert live.permissions_for_user(editor).can_delete()
