"""Ingesting ninjs: each item becomes (or updates) a draft article submitted for review."""

# One call of ingest() is one transaction: a file for the command, a request for the API.
# Every item is validated first, so an invalid item creates nothing. Per item:
#   - unknown uri                  → a new draft article in the section (outcome "created");
#   - same uri, same or older version → nothing ("unchanged");
#   - a newer version              → a new draft revision of the same article ("updated"),
#     unless an editor saved a revision since the desk's last one, or holds a lock: then the
#     agency's version is not applied and the conflict is recorded on the article ("conflict");
#   - pubstatus canceled/withheld  → the article is taken down ("killed").
# New and updated stories are submitted to the Editorial review workflow unless submit=False.

from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.actions.edit_page import EditPageAction
from wagtail.models import WorkflowState

from news.editorial.actions import EditorialStateError
from news.models import ArticleAuthor, ArticlePage, SectionPage, under_a_site_root
from news.pictures import save_rights

from .actions import KillWireStoryAction, SubmitWireStoryAction
from .authors import byline_authors
from .body import body_blocks
from .mapping import WireStory, read_story
from .ninjs import NinjsError, validate
from .pictures import fetch_picture
from .signals import wire_ingested, wire_killed

CREATED, UPDATED, UNCHANGED, KILLED, CONFLICT, FAILED = (
    "created",
    "updated",
    "unchanged",
    "killed",
    "conflict",
    "failed",
)
OUTCOMES = (CREATED, UPDATED, UNCHANGED, KILLED, CONFLICT, FAILED)
#: How many warnings an article keeps (the newest).
MAX_WARNINGS = 50


class SectionError(ValueError):
    """No section to file stories in: an unknown slug, or none given and no default set."""


class IngestError(Exception):
    """Nothing was ingested; `errors` are [{"path": "$[1].headlines", "msg": …}]."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


@dataclass
class ItemResult:
    """What happened to one item, e.g. ItemResult(uri="urn:x", outcome="created", article_id=7)."""

    uri: str
    outcome: str
    article_id: int | None = None
    version: str = ""
    message: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


def resolve_section(slug=None):
    """The SectionPage for `slug`, else for NEWS_WIRE_DEFAULT_SECTION; SectionError if none."""
    slug = (slug or settings.NEWS_WIRE_DEFAULT_SECTION or "").strip()
    if not slug:
        raise SectionError(
            "Name a section: no section slug given and NEWS_WIRE_DEFAULT_SECTION is unset."
        )
    # Only the sections of a site: a desk elsewhere in the tree is not the wire's to fill.
    sections = SectionPage.objects.filter(under_a_site_root())
    section = sections.filter(slug=slug).order_by("path").first()
    if section is None:
        raise SectionError(f"There is no section with the slug {slug!r}.")
    return section


def version_order(story, page):
    """-1, 0 or 1 as the story's version is older than, the same as or newer than the page's."""
    if story.version and page.wire_version:
        if story.version.isdigit() and page.wire_version.isdigit():
            ours, theirs = int(page.wire_version), int(story.version)
            return (theirs > ours) - (theirs < ours)
        if story.version == page.wire_version:
            return 0
    if story.version_created and page.wire_version_created:
        ours, theirs = page.wire_version_created, story.version_created
        return (theirs > ours) - (theirs < ours)
    if story.version == page.wire_version and story.version_created == page.wire_version_created:
        return 0
    # Versions that cannot be ordered: take the newcomer, never silently drop an update.
    return 1


def is_withdrawn(page):
    """True when nothing of the page is live, scheduled or waiting for review."""
    state = page.current_workflow_state
    return not (
        page.live
        or page.revisions.filter(approved_go_live_at__isnull=False).exists()
        or (state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS)
    )


def with_warnings(page, story, messages):
    entries = [{"version": story.version_label, "message": message} for message in messages]
    return (list(page.wire_warnings or []) + entries)[-MAX_WARNINGS:]


class WireDesk:
    """Ingests ninjs items into `section` as `user`, who must hold news.ingest_wire.

    `base_dir` resolves relative picture paths; `allow_local_pictures` lets pictures come
    from local files (the command, never the API).
    """

    def __init__(self, section, user, *, submit=True, base_dir=None, allow_local_pictures=False):
        self.section = section
        self.user = user
        self.submit = submit
        self.base_dir = base_dir
        self.allow_local_pictures = allow_local_pictures

    def ingest(self, payload):
        """Ingest one item or a list of items in one transaction; a list of ItemResult.

        Raises IngestError (and changes nothing) when any item is invalid.
        """
        items = payload if isinstance(payload, list) else [payload]
        if not items:
            raise IngestError("There is no item to ingest.", [{"path": "$", "msg": "empty list"}])
        stories, messages, errors = [], [], []
        for index, item in enumerate(items):
            path = f"$[{index}]" if isinstance(payload, list) else "$"
            try:
                major = validate(item)
            except NinjsError as e:
                # The schema reports paths from the item's root ("$.uri").
                messages.append(f"{path}: {e}")
                errors.extend({**error, "path": path + error["path"][1:]} for error in e.errors)
                continue
            try:
                stories.append(read_story(item, major, path))
            except NinjsError as e:
                messages.append(f"{path}: {e}")
                errors.extend(e.errors)
        if errors:
            raise IngestError(" ".join(messages), errors)
        uris = [story.uri for story in stories]
        if len(set(uris)) != len(uris):
            raise IngestError(
                "The same uri appears twice; send its versions one request or file at a time.",
                [{"path": "$", "msg": "duplicate uri"}],
            )
        with transaction.atomic():
            return [self.ingest_story(story) for story in stories]

    def ingest_story(self, story: WireStory):
        page = (
            ArticlePage.objects.select_for_update().filter(wire_uri=story.uri).first()
            if story.uri
            else None
        )
        order = version_order(story, page) if page is not None else 1
        if story.is_kill:
            # A kill is never skipped for its version number, only when there is nothing to do.
            if page is None or order < 0 or (order == 0 and is_withdrawn(page)):
                return ItemResult(
                    story.uri,
                    UNCHANGED,
                    page and page.pk,
                    story.version_label,
                    "Nothing to withdraw.",
                )
            return self.kill(page, story)
        if order <= 0:
            return ItemResult(
                story.uri,
                UNCHANGED,
                page.pk,
                story.version_label,
                f"Version {page.wire_version or story.version_label} is already in.",
            )
        if page is None:
            return self.create(story)
        conflict = self.conflict(page)
        if conflict:
            warning = f"Agency version {story.version_label} not applied: {conflict}"
            ArticlePage.objects.filter(pk=page.pk).update(
                wire_warnings=with_warnings(page, story, [warning])
            )
            return ItemResult(story.uri, CONFLICT, page.pk, story.version_label, warning)
        return self.update(page, story)

    def conflict(self, page):
        """Why the agency's new version may not replace the latest draft, or ""."""
        if page.latest_revision_id != page.wire_revision_id:
            revision = page.latest_revision
            who = revision.user.get_username() if revision and revision.user else "someone"
            return f"{who} edited the story after the wire desk's last version."
        if page.locked and page.locked_by_id != self.user.pk:
            return f"the story is locked by {page.locked_by.get_username()}."
        return ""

    def fill(self, page, story):
        """Set the page's editorial fields from the story; returns the warnings."""
        warnings = list(story.warnings)
        page.title = story.headline
        page.draft_title = story.headline
        page.intro = story.intro
        page.dateline = story.located
        page.language = story.language or settings.LANGUAGE_CODE
        blocks, dropped = body_blocks(story.body_html)
        page.body = blocks
        if dropped:
            warnings.append(f"{dropped} picture(s) inside the body copy were left out.")
        if not blocks:
            warnings.append("The item has no body copy.")
        authors, agency = byline_authors(story.byline, story.copyright_holder)
        page.article_authors = [
            ArticleAuthor(author=author, sort_order=order) for order, author in enumerate(authors)
        ]
        page.tags.set(story.subjects)
        now = timezone.now()
        page.go_live_at = story.embargoed if story.embargoed and story.embargoed > now else None
        if story.picture is not None:
            image, picture_warnings = fetch_picture(
                story.picture, base_dir=self.base_dir, allow_local=self.allow_local_pictures
            )
            warnings.extend(picture_warnings)
            if image is not None:
                save_rights(image, **vars(story.picture.rights))
                page.lead_image = image
                page.lead_image_caption = story.picture.caption
                page.lead_image_credit = story.picture.credit
        return warnings, agency

    def wire_fields(self, page, story, agency, warnings, revision):
        return {
            "wire_version": story.version,
            "wire_version_created": story.version_created,
            "wire_agency": agency or page.wire_agency,
            "wire_first_created": story.first_created or page.wire_first_created,
            "wire_warnings": with_warnings(page, story, warnings),
            "wire_revision": revision,
        }

    def create(self, story):
        page = ArticlePage(wire_uri=story.uri, owner=self.user, live=False)
        warnings, agency = self.fill(page, story)
        page.wire_agency = agency
        if not slugify(story.headline, allow_unicode=True):
            # A headline of symbols only ("!!!") gives Wagtail no slug to make: use the uri's.
            page.slug = self.free_slug(slugify(story.uri.rsplit("/", 1)[-1]) or "wire-story")
        self.section.add_child(instance=page)
        # As Wagtail's create view: the page's first save logs its creation, the first
        # revision an edit (logging "wagtail.create" again showed the story created twice).
        revision = self.save_revision(
            page, lambda: page.save_revision(user=self.user, log_action=True)
        )
        warnings += self.submit_for_review(page)
        ArticlePage.objects.filter(pk=page.pk).update(
            **self.wire_fields(page, story, agency, warnings, revision)
        )
        self.announce(wire_ingested, page, story)
        return ItemResult(story.uri, CREATED, page.pk, story.version_label, "", warnings)

    def free_slug(self, base):
        """`base`, or `base-2`, `base-3`… whichever no story in the section has yet."""
        base = base[:200].strip("-") or "wire-story"
        taken = set(
            self.section.get_children().filter(slug__startswith=base).values_list("slug", flat=True)
        )
        return next(s for s in (base, *(f"{base}-{n}" for n in range(2, 10**6))) if s not in taken)

    def update(self, page, story):
        draft = page.get_latest_revision_as_object()
        warnings, agency = self.fill(draft, story)
        action = EditPageAction(draft, user=self.user, clean=True)
        self.save_revision(draft, lambda: action.execute(skip_permission_checks=True))
        # An older version approved for a later go-live must not go out: it is reviewed again.
        page.revisions.exclude(pk=action.revision.pk).filter(
            approved_go_live_at__isnull=False
        ).update(approved_go_live_at=None)
        warnings += self.submit_for_review(page)
        ArticlePage.objects.filter(pk=page.pk).update(
            **self.wire_fields(page, story, agency, warnings, action.revision)
        )
        self.announce(wire_ingested, page, story)
        return ItemResult(story.uri, UPDATED, page.pk, story.version_label, "", warnings)

    def kill(self, page, story):
        status = story.pubstatus
        reason = f"Withdrawn by the agency ({status})" + (
            f": {story.ednote}" if story.ednote else "."
        )
        KillWireStoryAction(page, self.user, reason).execute()
        ArticlePage.objects.filter(pk=page.pk).update(
            wire_version=story.version,
            wire_version_created=story.version_created,
            wire_warnings=with_warnings(page, story, [reason]),
        )
        self.announce(wire_killed, page, story, reason=reason)
        return ItemResult(story.uri, KILLED, page.pk, story.version_label, reason)

    def announce(self, signal, page, story, **extra):
        """Send `signal` once the ingest commits (a rolled-back batch announces nothing)."""
        transaction.on_commit(
            lambda: signal.send(
                sender=type(self), page=page, uri=story.uri, version=story.version_label, **extra
            ),
            robust=True,
        )

    @staticmethod
    def save_revision(page, save):
        try:
            return save()
        except ValidationError as e:
            errors = (
                [
                    {"path": f"$ ({name})", "msg": message}
                    for name, messages in e.message_dict.items()
                    for message in messages
                ]
                if hasattr(e, "error_dict")
                else [{"path": "$", "msg": m} for m in e.messages]
            )
            raise IngestError("The story does not fit an article.", errors) from e

    def submit_for_review(self, page):
        """Submit the page for review; returns a warning when it cannot be."""
        if not self.submit:
            return []
        page = ArticlePage.objects.get(pk=page.pk)
        state = page.current_workflow_state
        if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
            return []  # already waiting in the review queue, now with the new revision
        try:
            SubmitWireStoryAction(page, self.user).execute()
        except EditorialStateError as e:
            return [f"Not submitted for review: {e}"]
        return []
