"""The wire desk announces agency copy to webhook endpoints: ingested and killed."""

from .factories import ninjs_story


def test_agency_copy_arriving_and_withdrawn_is_announced(
    desk,
    receiver,
    endpoint,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    endpoint(events=["wire.ingested", "wire.killed"])
    endpoint(events=["wire.ingested"], internal=True)
    with django_capture_on_commit_callbacks(execute=True):
        [created] = desk.ingest(ninjs_story(version="1"))
    with django_capture_on_commit_callbacks(execute=True):
        desk.ingest(ninjs_story(version="2", pubstatus="canceled"))

    events = sorted(
        (payload["type"], "headline" in payload["data"]) for payload in receiver.payloads()
    )
    assert events == [("wire.ingested", False), ("wire.ingested", True), ("wire.killed", False)]
    killed = next(p for p in receiver.payloads() if p["type"] == "wire.killed")
    assert killed["data"]["id"] == created.article_id
