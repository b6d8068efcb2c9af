"""The newsroom's content: sections, articles, authors and the relations between them."""

from ..editorial.desk_review import DeskReviewTask
from .articles import (
    TEASER_LENGTH,
    WIRE_FIELDS,
    ArticleAuthor,
    ArticlePage,
    ArticlePageManager,
    ArticlePageQuerySet,
    ArticleTag,
    RelatedArticle,
    SectionIterable,
    default_language,
    share_site_root_paths,
    under_a_site_root,
)
from .authors import Author, AuthorKind
from .sections import SectionPage

__all__ = [
    "TEASER_LENGTH",
    "WIRE_FIELDS",
    "ArticleAuthor",
    "ArticlePage",
    "ArticlePageManager",
    "ArticlePageQuerySet",
    "ArticleTag",
    "Author",
    "AuthorKind",
    "DeskReviewTask",
    "RelatedArticle",
    "SectionIterable",
    "SectionPage",
    "default_language",
    "share_site_root_paths",
    "under_a_site_root",
]
