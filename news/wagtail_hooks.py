"""Admin wiring for the newsroom: the Authors snippet, the articles listing with its editorial
status, the dashboard panels, and the hooks that enforce the second-read rule in the editor."""

from django.contrib.messages import ERROR
from django.shortcuts import redirect
from django.urls import reverse
from django_filters import ChoiceFilter
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import admin_guards, two_factor

from .editorial.dashboard import ReviewQueuePanel, WriterDeskPanel
from .editorial.middleware import say_only
from .editorial.permissions import has_publish_role
from .editorial.second_read import refusal_message, second_read_refusal, self_approval_allowed
from .editorial.status import ANNOTATION, EditorialStatus
from .models import ArticlePage, Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "kind", "role"]
    list_filter = ["kind"]
    search_fields = ["name", "role"]


register_snippet(AuthorViewSet)


class ArticleFilterSet(PageFilterSet):
    editorial_status = ChoiceFilter(
        label="Editorial status",
        choices=EditorialStatus.choices,
        method="filter_editorial_status",
        empty_label="Any",
    )

    def filter_editorial_status(self, queryset, name, value):
        return queryset.filter(**{ANNOTATION: value})

    class Meta(PageFilterSet.Meta):
        model = ArticlePage


class ArticleIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().with_editorial_status()


class ArticleListingViewSet(PageListingViewSet):
    """All articles, flat, with their editorial status as a column and a filter."""

    model = ArticlePage
    index_view_class = ArticleIndexView
    filterset_class = ArticleFilterSet
    icon = "doc-full"
    menu_label = "Articles"
    menu_order = 100
    add_to_admin_menu = True
    columns = [
        *IndexView.base_columns,
        Column(
            "editorial_status",
            label="Editorial status",
            accessor=lambda page: page.editorial_status.label,
            width="14%",
        ),
    ]


@hooks.register("register_admin_viewset")
def register_article_listing():
    return ArticleListingViewSet("articles")


@hooks.register("construct_homepage_panels")
def add_editorial_panels(request, panels):
    # The review queue replaces Wagtail's newest-first "Awaiting your review".
    panels[:] = [panel for panel in panels if type(panel) is not WorkflowObjectsToModeratePanel]
    panels.extend([ReviewQueuePanel(), WriterDeskPanel()])


@hooks.register("construct_page_action_menu")
def hide_publish_in_the_article_editor(menu_items, request, context):
    # Publishing from the editor first saves the user's own revision, so they would always
    # be its unreviewed last author. Editors publish by approving (or bulk publishing)
    # someone else's words.
    if isinstance(context.get("page"), ArticlePage) and not self_approval_allowed():
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_publish_page")
def refuse_publishing_own_words(request, page):
    """The edit and create views publish the revision the user just saved: refuse that."""
    refusal = second_read_refusal(request.user, page) if isinstance(page, ArticlePage) else None
    if refusal is not None:
        messages.error(request, f"Saved as a draft, not published. {refusal}")
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def explain_refused_publish(request, page):
    """Say why a Publish the admin quietly turned into "save draft" was refused (an Approve
    is explained by news.editorial.middleware)."""
    if not isinstance(page, ArticlePage) or request.method != "POST":
        return
    page = ArticlePage.objects.get(pk=page.pk)
    if request.POST.get("action-publish") and page.live_revision_id != page.latest_revision_id:
        if not has_publish_role(request.user, page):
            say_only(request, ERROR, "Saved as a draft, not published: submit it for review.")
        elif not page.approved_schedule:
            say_only(
                request,
                ERROR,
                f"Saved as a draft, not published. {refusal_message(request.user, page)}",
            )


# Two-factor sign-in (cms/two_factor.py): its pages, and an entry in the account settings.
@hooks.register("register_admin_urls")
def two_factor_urls():
    return two_factor.urlpatterns


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor_manage"),
        "label": "Two-factor sign-in",
        "help_text": "Sign in with a code from an authenticator app as well as your password.",
    }


# Permission checks Wagtail 8.0.1's admin leaves out (cms/admin_guards.py).
hooks.register("before_move_page", admin_guards.refuse_move_without_permission)
hooks.register("construct_page_chooser_queryset", admin_guards.only_explorable_pages)
admin_guards.external_link_without_url_is_invalid()
