"""The newsroom's content: sections, articles, live blogs, authors and their relations."""

from ..editorial.desk_review import DeskReviewTask
from .articles import (
    TEASER_LENGTH,
    WIRE_FIELDS,
    ArticleAuthor,
    ArticlePage,
    ArticlePageManager,
    ArticlePageQuerySet,
    ArticleTag,
    NewsroomPageManager,
    NewsroomPageQuerySet,
    RelatedArticle,
    SectionIterable,
    byline_prefetch,
    default_language,
    share_site_root_paths,
    under_a_site_root,
)
from .authors import Author, AuthorKind
from .banner import BreakingNews, banner_as_shown
from .corrections import CorrectionKind, CorrectionNote
from .fronts import (
    FRONT_SIZE,
    FRONT_TOP_STORIES,
    FrontCard,
    FrontStory,
    arrange_front,
    fetch_listing_cards,
    front_panels,
    lead_article_field,
)
from .live import POST_FEATURES, LiveBlogPage, LiveBlogStatus, LivePost, LivePostQuerySet
from .pictures import Licence, PictureRights
from .sections import SectionFrontStory, SectionPage
from .stored import (
    StoredRepresentation,
    StoredRepresentationBump,
    StoredRepresentationDependency,
)

__all__ = [
    "FRONT_SIZE",
    "FRONT_TOP_STORIES",
    "BreakingNews",
    "FrontCard",
    "FrontStory",
    "arrange_front",
    "banner_as_shown",
    "fetch_listing_cards",
    "front_panels",
    "lead_article_field",
    "SectionFrontStory",
    "TEASER_LENGTH",
    "WIRE_FIELDS",
    "NewsroomPageManager",
    "NewsroomPageQuerySet",
    "ArticleAuthor",
    "byline_prefetch",
    "ArticlePage",
    "ArticlePageManager",
    "ArticlePageQuerySet",
    "ArticleTag",
    "Author",
    "AuthorKind",
    "CorrectionKind",
    "CorrectionNote",
    "DeskReviewTask",
    "Licence",
    "PictureRights",
    "LiveBlogPage",
    "LiveBlogStatus",
    "LivePost",
    "LivePostQuerySet",
    "POST_FEATURES",
    "RelatedArticle",
    "SectionIterable",
    "SectionPage",
    "StoredRepresentation",
    "StoredRepresentationBump",
    "StoredRepresentationDependency",
    "default_language",
    "share_site_root_paths",
    "under_a_site_root",
]
