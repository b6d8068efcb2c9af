"""Parts of each live article's API representation, stored when a change is published."""

from django.db import models


class StoredRepresentation(models.Model):
    """One part of a live article's API representation, computed when a change is published.

    A cold API read takes it as it is instead of computing it (news/api/stored.py). Each row
    lists what it shows (the news/dependencies.py names: the article, its bylines, tags and
    pictures, the stories its related cards show…); any change that bumps one of them deletes
    the row inside its transaction and computes it again once the change has committed. A row
    showing a picture whose rights end is read only until then (`until`).
    """

    class Kind(models.TextChoices):
        # The article's own fields and page meta as API v2 shows them, less the body and
        # what depends on the request (detail URLs): {"title": …, "authors": […], …}.
        FIELDS = "fields", "fields"
        # The body as API v2 and v3 show it in the default rich text format.
        BODY = "body", "body"
        # The related-article cards (only ever live, public stories, whoever reads them).
        RELATED_CARDS = "related_cards", "related cards"

    # "<article id>:<kind>", e.g. "1006:fields" (news/api/stored.py part_key).
    key = models.CharField(max_length=40, primary_key=True)
    article = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # JSON text: kept byte for byte in key order, which PostgreSQL's jsonb would not keep.
    value = models.TextField()
    shows = models.JSONField(default=list)
    # The earliest moment (ns since the epoch) it stops being true, say a picture's rights
    # ending (cms/caching.py shows_until); from then on reads ignore it.
    until = models.BigIntegerField(null=True, blank=True)
    # What the code and settings that made it looked like (news/api/representation.py
    # representation_fingerprint): a row made by other code or for other URLs is ignored.
    made_with = models.CharField(max_length=16)
    # When its computation began (ns since the epoch, as cms/caching.py versions): a slower,
    # older computation never overwrites a newer one.
    computed_at = models.BigIntegerField()

    def __str__(self):
        return f"{self.get_kind_display()} of page {self.article_id}"


class StoredRepresentationDependency(models.Model):
    """One name a stored part shows, so a change finds the rows it stales by index."""

    stored = models.ForeignKey(
        StoredRepresentation, on_delete=models.CASCADE, related_name="dependencies"
    )
    name = models.CharField(max_length=64, db_index=True)

    def __str__(self):
        return self.name


class StoredRepresentationBump(models.Model):
    """When a name (news/dependencies.py) was last bumped by a committed change.

    A computation of stored parts that began before then may have read the rows as they were
    before the change, and its parts are computed again (news/api/stored.py).
    """

    name = models.CharField(max_length=64, primary_key=True)
    bumped_at = models.BigIntegerField(db_index=True)

    def __str__(self):
        return self.name
