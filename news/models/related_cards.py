"""Each live article's related-article cards as the API shows them, stored at publish time."""

from django.db import models


class RelatedCards(models.Model):
    """The related-article cards of a live article, computed when a change is published.

    A cold API read takes them as they are instead of choosing related stories and fetching
    their cards (news/api/related_cards.py). Each row lists what its cards show (the
    news/dependencies.py names: the picked and chosen stories, the tags and section whose
    newest stories were considered, the card pictures, the article itself); any change that
    bumps one of them deletes the row inside its transaction and recomputes it once the change
    has committed. Cards only ever show live, public stories, whoever reads them.
    """

    article = models.OneToOneField(
        "news.ArticlePage", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    cards = models.JSONField(default=list)
    shows = models.JSONField(default=list)
    # When its computation began (ns since the epoch, as cms/caching.py versions): a slower,
    # older computation never overwrites a newer one.
    computed_at = models.BigIntegerField()

    class Meta:
        verbose_name_plural = "related cards"

    def __str__(self):
        return f"Related cards of page {self.article_id}"


class RelatedCardsDependency(models.Model):
    """One name a RelatedCards row shows, so a change finds the rows it stales by index."""

    related_cards = models.ForeignKey(
        RelatedCards, on_delete=models.CASCADE, related_name="dependencies"
    )
    name = models.CharField(max_length=64, db_index=True)

    def __str__(self):
        return self.name
