"""The newsroom the security suite attacks: secret objects, each carrying a unique marker.

Every object a role must not see has a marker string in its title, body or file name; a
response that contains a marker leaks that object. `build_world()` makes it all once per test
module (see conftest.py); `World` says which markers are secret for which role and where.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.search_promotions.models import Query
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    APIToken,
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    Page,
    PageViewRestriction,
    Site,
    UploadedFile,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from home.models import HomePage
from news.models import BreakingNews, SectionPage
from news.tests.factories import (
    make_article,
    make_author,
    make_image,
    make_live_blog,
    make_live_post,
    make_section,
    paragraph,
)

ROLES = ("anonymous", "no_role", "writer", "editor")

# One marker per secret object. Plain words: they survive slugify, escaping and JSON as is.
DRAFT = "Zqdraftmarker"
SCHEDULED = "Zqschedmarker"
LOGIN_ONLY = "Zqloginmarker"
PASSWORD = "Zqpasswordmarker"
GROUP_ONLY = "Zqgroupmarker"
LOCKED = "Zqlockedmarker"  # a branch outside every newsroom role's page permissions
LOCKED_DRAFT = "Zqlockeddraftmarker"
PRIVATE_IMAGE = "Zqimagemarker"
PRIVATE_DOCUMENT = "Zqdocmarker"
# A superuser's e-mail, API token and upload. Not their name: newsroom roles see who
# submitted a story they review, and that is by design.
OTHER_USER = "Zqusermarker"
SECRET_TAG = "zqsecrettag"

# Markers an editor may legitimately see in the admin and over v3 with a token: every page
# under the home page is theirs to edit, whatever its view restriction.
NEWSROOM_PAGES = (DRAFT, SCHEDULED, LOGIN_ONLY, PASSWORD, GROUP_ONLY)
# Collection permissions are granted on the root collection, so newsroom roles choose
# (writers) or edit (editors) pictures and files in every collection, private or not.
NEWSROOM_MEDIA = (PRIVATE_IMAGE, PRIVATE_DOCUMENT)
ALL_MARKERS = NEWSROOM_PAGES + NEWSROOM_MEDIA + (LOCKED, LOCKED_DRAFT, OTHER_USER)


# Whose content a change to would show that a request acted: every model of these apps.
SNAPSHOT_APPS = (
    "auth",
    "home",
    "news",
    "taggit",
    "wagtailadmin",
    "wagtailcore",
    "wagtaildocs",
    "wagtailembeds",
    "wagtailimages",
    "wagtailredirects",
    "wagtailsearchpromotions",
    "webhooks",
    "otp_totp",
    "otp_static",
)


# Made on reading: thumbnails for listings.
CACHE_MODELS = {"wagtailimages.Rendition"}


def snapshot():
    """What a request could have changed: row counts of every content model, and page state."""
    models = [
        model
        for app in SNAPSHOT_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label not in CACHE_MODELS and not model._meta.proxy
    ]
    # One query for all the counts: the matrix takes two snapshots per route.
    quote = connection.ops.quote_name
    tables = [quote(m._meta.db_table) for m in models]
    columns = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # table names come from the models, not from input
        counts = dict(zip((m._meta.label for m in models), cursor.fetchone(), strict=True))
    pages = list(
        Page.objects.order_by("pk").values_list(
            "pk", "live", "title", "path", "url_path", "latest_revision_id", "locked", "go_live_at"
        )
    )
    media = [
        list(model.objects.order_by("pk").values_list("pk", "title", "collection_id", "file"))
        for model in (get_image_model(), get_document_model())
    ]
    users = list(
        apps.get_model("auth", "User")
        .objects.order_by("pk")
        .values_list("pk", "is_active", "is_superuser", "password", "email")
    )
    return {"counts": counts, "pages": pages, "media": media, "users": users}


@dataclass
class World:
    users: dict
    tokens: dict
    home: Page
    section: Page
    public_article: Page
    draft: Page
    scheduled: Page
    login_only: Page
    password_only: Page
    group_only: Page
    locked_section: Page
    locked: Page
    private_collection: Collection
    private_image: object
    private_document: object
    public_image: object
    other_token: APIToken
    uploaded_file: UploadedFile
    extra: dict = field(default_factory=dict)

    def secret_markers(self, role, area):
        """Markers that must not appear in a response to `role` in `area` ("admin" or "public").

        "admin" is the Wagtail admin, Django's admin and v3 with a token: what a role may
        edit it may see there. "public" is everything a reader or front end gets.
        """
        if role in ("writer", "editor") and area == "admin":
            return (LOCKED, LOCKED_DRAFT, OTHER_USER)
        # A login restriction admits any signed-in user, by design.
        return tuple(m for m in ALL_MARKERS if not (role != "anonymous" and m == LOGIN_ONLY))


def newsroom_user(username, group_name=None, **fields):
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@newsroom.test",
        password=f"{username}-password",
        first_name=username.title(),
        **fields,
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def operations_records(username, owner):
    """Rows only administrators see (login attempts, background task results, webhooks,
    second-factor devices), by model label: their views join the matrix like any other
    object's. `owner` is the other (super)user, whose devices they are."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.models import DBTaskResult

    from webhooks.models import WebhookDelivery, WebhookEndpoint

    endpoint = WebhookEndpoint.objects.create(
        url=f"https://hooks.example.com/{OTHER_USER}",
        description=OTHER_USER,
        events=["article.published"],
    )

    seen = {
        "user_agent": f"{OTHER_USER} browser",
        "ip_address": "192.0.2.7",
        "username": username,
        "http_accept": "text/html",
        "path_info": "/admin/login/",
    }
    return {
        "axes.accessattempt": AccessAttempt.objects.create(
            **seen, get_data="", post_data=OTHER_USER, failures_since_start=1
        ),
        "axes.accesslog": AccessLog.objects.create(**seen),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**seen),
        "django_tasks_database.dbtaskresult": DBTaskResult.objects.create(
            args_kwargs={"args": [OTHER_USER], "kwargs": {}},
            task_path="news.editorial.notifications.send_workflow_email",
            backend_name="default",
            queue_name="default",
            run_after=timezone.now(),
            exception_class_path="",
            traceback="",
        ),
        "webhooks.webhookendpoint": endpoint,
        "webhooks.webhookdelivery": WebhookDelivery.objects.create(
            endpoint=endpoint,
            message_id=f"msg_{OTHER_USER}",
            event="article.published",
            payload={"data": {"headline": OTHER_USER}},
            status=WebhookDelivery.Status.DELIVERED,
        ),
        "otp_totp.totpdevice": TOTPDevice.objects.create(
            user=owner, name=OTHER_USER, confirmed=False
        ),
        "otp_static.staticdevice": StaticDevice.objects.create(
            user=owner, name=OTHER_USER, confirmed=False
        ),
    }


def build_world():
    """Create the users, pages, media and tokens of the suite; returns a World."""
    User = get_user_model()
    users = {
        "no_role": newsroom_user("nobody"),
        "writer": newsroom_user("wendy", "Writers"),
        "editor": newsroom_user("eddie", "Editors"),
    }
    other = User.objects.create_superuser(
        username="boss",
        email=f"{OTHER_USER.lower()}@newsroom.test",
        password="boss-password",  # noqa: S106
        first_name="Big",
        last_name="Boss",
    )
    users["other"] = other
    tokens = {}
    for role in ("no_role", "writer", "editor"):
        _token, plaintext = APIToken.create_token(user=users[role], name=f"{role} token")
        tokens[role] = plaintext
    other_token, _plaintext = APIToken.create_token(user=other, name=f"{OTHER_USER} token")

    home = HomePage.objects.get(depth=2)
    section = make_section(home, "World")
    author = make_author("Ada Reporter")
    public_article = make_article(
        section, "Harbour reopens", authors=[author], tags=["harbour"], owner=users["writer"]
    )

    def secret_article(parent, marker, publish=True, **fields):
        return make_article(
            parent,
            f"{marker} headline",
            intro=f"{marker} standfirst",
            body=[paragraph(f"<p>{marker} body</p>")],
            tags=[SECRET_TAG],
            publish=publish,
            owner=other,
            **fields,
        )

    draft = secret_article(section, DRAFT, publish=False)
    # In review, so workflow and task-state routes have something to name.
    draft.get_workflow().start(draft, other)

    scheduled = secret_article(section, SCHEDULED, publish=False)
    scheduled.go_live_at = timezone.now() + timedelta(days=3650)
    scheduled.save_revision(user=other).publish()
    scheduled.refresh_from_db()

    login_only = secret_article(section, LOGIN_ONLY)
    PageViewRestriction.objects.create(page=login_only, restriction_type="login")
    password_only = secret_article(section, PASSWORD)
    password_restriction = PageViewRestriction.objects.create(
        page=password_only,
        restriction_type="password",
        password="s3cret",  # noqa: S106
    )
    group_only = secret_article(section, GROUP_ONLY)
    investigations = Group.objects.create(name="Investigations")
    restriction = PageViewRestriction.objects.create(page=group_only, restriction_type="groups")
    restriction.groups.add(investigations)

    # A desk no newsroom role has any permission on: beside the home page, under the root.
    root = Page.get_first_root_node()

    locked_section = root.add_child(
        instance=SectionPage(title=f"{LOCKED} desk", slug="locked-desk", intro=LOCKED)
    )
    locked_section.save_revision(user=other).publish()
    locked = secret_article(locked_section, LOCKED, slug="locked-story")
    locked.title = f"{LOCKED_DRAFT} headline"
    locked.save_revision(user=other)
    # Its own review, by a group no newsroom role is in: Wagtail lets a task's reviewers see
    # the pages they review, whatever their page permissions.
    locked_task = GroupApprovalTask.objects.create(name="Investigations review")
    locked_task.groups.add(investigations)
    locked_workflow = Workflow.objects.create(name="Investigations workflow")
    WorkflowTask.objects.create(workflow=locked_workflow, task=locked_task, sort_order=0)
    WorkflowPage.objects.create(workflow=locked_workflow, page=locked_section)
    locked_workflow.start(locked, other)

    private_collection = Collection.get_first_root_node().add_child(name="Embargoed pictures")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=private_collection, restriction_type="groups"
    )
    collection_restriction.groups.add(investigations)
    private_image = make_image(
        f"{PRIVATE_IMAGE} title", collection=private_collection, uploaded_by_user=other
    )
    Document = get_document_model()
    private_document = Document.objects.create(
        title=f"{PRIVATE_DOCUMENT} title",
        file=ContentFile(f"{PRIVATE_DOCUMENT} contents".encode(), name=f"{PRIVATE_DOCUMENT}.txt"),
        collection=private_collection,
        uploaded_by_user=other,
    )
    public_image = make_image("Harbour at dawn")
    # A post of a live blog still in draft: its words are as secret as a draft story's.
    draft_live_blog = make_live_blog(section, f"{DRAFT} live blog", publish=False)
    secret_post = make_live_post(draft_live_blog, f"{DRAFT} live post", key_event=True)
    admin_records = operations_records(other.username, other)
    editing_session = EditingSession.objects.create(
        user=other,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(locked.pk),
        last_seen_at=timezone.now(),
    )
    uploaded_file = UploadedFile.objects.create(
        file=ContentFile(b"upload", name=f"{OTHER_USER}.txt"), uploaded_by_user=other
    )
    return World(
        users=users,
        tokens=tokens,
        home=home,
        section=section,
        public_article=public_article,
        draft=draft,
        scheduled=scheduled,
        login_only=login_only,
        password_only=password_only,
        group_only=group_only,
        locked_section=locked_section,
        locked=locked,
        private_collection=private_collection,
        private_image=private_image,
        private_document=private_document,
        public_image=public_image,
        other_token=other_token,
        uploaded_file=uploaded_file,
        extra={
            "password_restriction": password_restriction,
            "site": Site.objects.get(is_default_site=True),
            "investigations": investigations,
            "author": author,
            "news.livepost": secret_post,
            "editing_session": editing_session,
            "collection_restriction": collection_restriction,
            "redirect": Redirect.objects.create(
                old_path="/old-harbour-story", redirect_page=public_article
            ),
            "search_query": Query.get("harbour"),
            # A banner still in draft: only Editors may open or publish it.
            "news.breakingnews": BreakingNews.objects.create(
                text="Banner draft", live=False, expires_at=timezone.now() + timedelta(hours=2)
            ),
            **admin_records,
        },
    )
