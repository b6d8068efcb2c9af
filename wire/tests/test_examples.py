"""Every real ninjs example that is a text item ingests; picture items are refused."""

import json
from pathlib import Path

import pytest

from news.models import ArticlePage
from wire.importer import CREATED, IngestError

from .conftest import EXAMPLES

# CI keeps a copy of shared/ beside the clone; the project carries its own copy of the files.
SHARED_EXAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "ninjs" / "examples"


def example_files(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*.json"))


def is_picture(item):
    return item.get("type") == "picture"


TEXT_EXAMPLES = [
    n for n in example_files(EXAMPLES) if not is_picture(json.loads((EXAMPLES / n).read_text()))
]
PICTURE_EXAMPLES = [n for n in example_files(EXAMPLES) if n not in TEXT_EXAMPLES]


def test_the_fixtures_hold_text_and_picture_examples_of_every_version():
    assert {name.split("/")[0] for name in TEXT_EXAMPLES} == {"1.x", "2.x", "3.x"}
    assert PICTURE_EXAMPLES == ["1.x/ninjsExSimplePhoto1.json", "3.x/SIPA_image_3.json"]


@pytest.mark.parametrize("name", TEXT_EXAMPLES)
def test_every_text_example_becomes_an_article_in_review(desk, example, name):
    item = example(name)
    [result] = desk.ingest(item)

    assert result.outcome == CREATED
    article = ArticlePage.objects.get(pk=result.article_id)
    assert article.wire_uri == item["uri"]
    assert article.title
    assert not article.live
    assert article.editorial_status == "in_review"


@pytest.mark.parametrize("name", PICTURE_EXAMPLES)
def test_picture_examples_are_refused_with_a_clear_message(desk, example, name):
    with pytest.raises(IngestError) as refused:
        desk.ingest(example(name))

    assert "picture item, not a story" in str(refused.value)
    assert refused.value.errors == [{"path": "$.type", "msg": "'picture' is not text or composite"}]
    assert not ArticlePage.objects.exists()


SHARED = example_files(SHARED_EXAMPLES) if SHARED_EXAMPLES.is_dir() else []


@pytest.mark.skipif(not SHARED, reason="no ../shared/ninjs/examples beside the clone")
@pytest.mark.parametrize("name", SHARED)
def test_every_shared_example_is_in_the_fixtures_or_ingests(desk, name):
    """Copies are byte for byte the shared files; a file only shared/ has is ingested here."""
    shared = SHARED_EXAMPLES / name
    if (EXAMPLES / name).is_file():
        assert shared.read_bytes() == (EXAMPLES / name).read_bytes()
        return
    item = json.loads(shared.read_text(encoding="utf-8"))
    if is_picture(item):
        with pytest.raises(IngestError):
            desk.ingest(item)
    else:
        assert desk.ingest(item)[0].outcome == CREATED
