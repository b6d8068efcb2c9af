"""`manage.py ingest_wire`: files, folders and stdin, one transaction per file, a summary."""

import io

import pytest
from django.core.management import CommandError, call_command

from news.models import ArticlePage

from .conftest import EXAMPLES
from .factories import jpeg_bytes, ninjs_story


def run(*args, stdin=None):
    out = io.StringIO()
    try:
        call_command("ingest_wire", *args, stdout=out, stdin=stdin)
    except CommandError as e:
        return out.getvalue(), e
    return out.getvalue(), None


def test_a_folder_of_examples_ingests_and_picture_items_fail(wire_settings):
    out, error = run(str(EXAMPLES))

    # The three "simple text" examples share one uri: the first creates, the rest match it.
    assert "Summary: 7 created, 0 updated, 2 unchanged, 0 killed, 0 conflict, 2 failed." in out
    assert "picture item, not a story" in out
    assert str(error) == "2 file(s) failed; nothing of them was ingested."
    assert ArticlePage.objects.count() == 7


def test_malformed_json_fails_that_file_only(wire_settings, write_json):
    broken = write_json("a-broken.json", '{"uri": "urn:x", "headline": ')
    good = write_json("b-good.json", ninjs_story())

    out, error = run(str(broken), str(good))

    assert "failed     " in out and "Malformed JSON" in out and "line 1, column" in out
    assert "created    " in out
    assert "1 created" in out and "1 failed" in out
    assert error is not None
    assert ArticlePage.objects.count() == 1


def test_an_invalid_item_fails_its_whole_file_with_json_paths(wire_settings, write_json):
    path = write_json(
        "batch.json",
        [ninjs_story(uri="urn:ok"), ninjs_story(uri="urn:bad", headlines=[{"role": "main"}])],
    )

    out, error = run(str(path))

    assert "$[1].headlines[0]: 'value' is a required property" in out
    assert error is not None
    assert not ArticlePage.objects.exists()  # the valid item of that file is not kept either


def test_items_without_a_headline_or_with_bad_dates_are_reported(wire_settings, write_json):
    no_headline = write_json("no-headline.json", {"uri": "urn:x", "type": "text"})
    bad_date = write_json("bad-date.json", ninjs_story(versioncreated="yesterday"))

    out, _ = run(str(no_headline), str(bad_date))

    assert "$.headline: missing" in out
    assert "$.versioncreated: 'yesterday' is not an ISO 8601 date-time" in out


def test_stdin_and_no_submit(wire_settings):
    out, error = run("-", "--no-submit", stdin=io.StringIO('{"uri": "urn:x", "headline": "Hi"}'))

    assert error is None
    assert "1 created" in out
    assert ArticlePage.objects.get().editorial_status == "draft"


def test_section_option_and_unknown_section(wire_settings, home_page, write_json):
    from news.tests.factories import make_section

    business = make_section(home_page, "Business")
    path = write_json("item.json", ninjs_story())

    with pytest.raises(CommandError, match="no section with the slug 'sport'"):
        call_command("ingest_wire", str(path), "--section", "sport", stdout=io.StringIO())
    run(str(path), "--section", "business")
    assert ArticlePage.objects.get().get_parent().pk == business.pk


def test_without_any_section_the_command_says_how_to_name_one(db, settings, write_json):
    settings.NEWS_WIRE_DEFAULT_SECTION = ""
    with pytest.raises(CommandError, match="NEWS_WIRE_DEFAULT_SECTION is unset"):
        call_command("ingest_wire", str(write_json("x.json", ninjs_story())))


def test_a_local_picture_beside_the_file_becomes_the_lead_image(wire_settings, write_json):
    (write_json("item.json", "{}").parent / "dam.jpg").write_bytes(jpeg_bytes())
    item = ninjs_story(
        associations=[
            {
                "name": "mainpic",
                "uri": "urn:p",
                "type": "picture",
                "renditions": [{"name": "original", "href": "dam.jpg"}],
            }
        ]
    )
    out, error = run(str(write_json("item.json", item)))

    assert error is None, out
    assert ArticlePage.objects.get().lead_image is not None
