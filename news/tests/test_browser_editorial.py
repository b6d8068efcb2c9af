"""In a real browser: a writer writes and submits a story, an editor approves it, readers see it.

Screenshots of each step are kept in test-artifacts/browser-editorial/.
"""

from news.models import ArticlePage
from news.tests.browser import BROWSER_TEST, log_in, screenshots

HEADLINE = "Lighthouse keeper retires after forty years"
BODY = "Ada Moss kept the light on the point through 14,000 nights."

pytestmark = BROWSER_TEST
shoot = screenshots("browser-editorial")


def test_writer_submits_editor_approves_and_readers_see_the_story(
    browser, live_server, settings, section, writer, editor
):
    # Autosave would create the page while the test is still typing and race the submit.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    article = writer_writes_and_submits(browser, live_server, section, writer)
    assert article.editorial_status == "in_review"
    assert not article.live

    editor_approves(browser, live_server, editor)
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live
    assert article.editorial_status == "published"

    page = browser.contexts[-1].pages[-1]
    page.goto(f"{live_server.url}{article.url}")
    shoot(page, "5-reader-sees-story")
    assert page.locator("h1").first.inner_text() == HEADLINE
    assert BODY in page.content()


def writer_writes_and_submits(browser, live_server, section, writer):
    page = log_in(browser, live_server, writer)
    page.goto(f"{live_server.url}/admin/pages/add/news/articlepage/{section.pk}/")
    page.fill("#id_title", HEADLINE)
    page.locator("[data-streamfield-stream-container] button[title='Insert a block']").first.click()
    page.get_by_role("option", name="Paragraph").click()
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type(BODY)
    # Draftail copies its content to the form's hidden input a moment after typing stops.
    page.wait_for_function(
        "text => [...document.querySelectorAll('input[name^=body-][name$=-value]')]"
        ".some(input => input.value.includes(text))",
        arg="Ada Moss",
    )
    shoot(page, "1-writer-writes")
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-submit']").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{section.pk}/")
    shoot(page, "2-writer-submitted")
    assert "created and submitted for moderation" in page.locator(".messages").inner_text()
    return ArticlePage.objects.get(title=HEADLINE)


def editor_approves(browser, live_server, editor):
    page = log_in(browser, live_server, editor)
    row = page.locator("tr", has_text=HEADLINE)
    shoot(page, "3-editor-review-queue")
    row.locator("[data-w-dropdown-target='toggle']").click()
    # Approving posts the task action and reloads the dashboard.
    with page.expect_navigation():
        page.get_by_role("button", name="Approve", exact=True).click()
    shoot(page, "4-editor-approved")
    assert page.locator("tr", has_text=HEADLINE).count() == 0  # gone from the queue


# The second read as a newsroom walks it: a writer, two editors, by the labels they see.

COMMENT = "Name the engineer who signed off the barriers."
REVISED = "Chief engineer Ines Varga had signed off the barriers in May."


def open_footer_menu(page):
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()


def footer_actions(page):
    open_footer_menu(page)
    actions = page.locator("footer button, footer a").all_inner_texts()
    page.keyboard.press("Escape")
    return [action.strip() for action in actions]


def messages_on(page):
    return [text.strip() for text in page.locator(".messages li").all_inner_texts()]


def edit_url(live_server, article):
    return f"{live_server.url}/admin/pages/{article.pk}/edit/"


def test_changes_requested_revised_and_approved_from_the_edit_view_by_a_second_editor(
    browser, live_server, settings, section, writer, editor, second_editor
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    article = writer_writes_and_submits(browser, live_server, section, writer)

    # The first editor sends it back with a comment, from the review queue.
    desk = log_in(browser, live_server, editor)
    desk.locator("tr", has_text=HEADLINE).locator("[data-w-dropdown-target='toggle']").click()
    desk.get_by_role("button", name="Request changes", exact=True).click()
    desk.fill(".modal textarea", COMMENT)
    with desk.expect_navigation():
        desk.locator(".modal [type=submit]").click()
    assert ArticlePage.objects.get(pk=article.pk).editorial_status == "changes_requested"

    # The writer finds it on her desk with the comment, revises and resubmits.
    page = log_in(browser, live_server, writer)
    sent_back = page.locator("[data-editorial-list='sent-back'] tr", has_text=HEADLINE)
    assert COMMENT in sent_back.inner_text()
    sent_back.get_by_role("link", name=HEADLINE).click()
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.press("End")
    page.keyboard.type(" " + REVISED)
    page.wait_for_function(
        "text => [...document.querySelectorAll('input[name^=body-][name$=-value]')]"
        ".some(input => input.value.includes(text))",
        arg="Ines Varga",
    )
    open_footer_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Resubmit to Desk review").click()
    shoot(page, "6-writer-resubmits")
    assert ArticlePage.objects.get(pk=article.pk).editorial_status == "in_review"

    # A second editor, who wrote nothing, approves from the story's edit view.
    revisions_before = ArticlePage.objects.get(pk=article.pk).revisions.count()
    approver = log_in(browser, live_server, second_editor)
    approver.goto(edit_url(live_server, article))
    open_footer_menu(approver)
    with approver.expect_navigation():
        approver.get_by_role("button", name="Approve and Publish", exact=True).click()
    shoot(approver, "7-second-editor-approves")

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live
    assert article.revisions.count() == revisions_before  # no empty revision by him
    assert messages_on(approver) == [f"'{HEADLINE}' approved and published."]
    reader = browser.new_context().new_page()
    reader.goto(f"{live_server.url}{article.url}")
    assert REVISED in reader.content()


def test_an_editors_own_rewrite_is_refused_even_after_a_colleagues_no_change_save(
    browser, live_server, settings, writer, editor, second_editor, story_by
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    article = story_by(writer, title=HEADLINE, text=BODY)
    article.get_workflow().start(article, writer)
    old_address = f"{live_server.url}{article.get_url()}"

    # He has the review queue open in one tab (Approve is offered: he wrote nothing yet)…
    queue = log_in(browser, live_server, editor)
    # …and rewrites the headline and the address in another, saving a draft.
    rewrite = queue.context.new_page()
    rewrite.goto(edit_url(live_server, article))
    rewrite.fill("#id_title", "Barriers give way on the east bank")
    rewrite.get_by_role("tab", name="Promote").click()
    rewrite.fill("#id_slug", "barriers-give-way")
    with rewrite.expect_navigation():
        rewrite.get_by_role("button", name="Save draft").click()

    # A colleague opens the story and saves it without changing anything.
    colleague = log_in(browser, live_server, second_editor)
    colleague.goto(edit_url(live_server, article))
    with colleague.expect_navigation():
        colleague.get_by_role("button", name="Save draft").click()

    # The edit view offers him no Approve…
    rewrite.goto(edit_url(live_server, article))
    assert "Approve and Publish" not in footer_actions(rewrite)
    # …and Approve from the tab opened before his rewrite is refused, with one message.
    queue.locator("tr", has_text=HEADLINE).locator("[data-w-dropdown-target='toggle']").click()
    with queue.expect_navigation():
        queue.get_by_role("button", name="Approve", exact=True).click()
    shoot(queue, "8-own-rewrite-refused")
    assert messages_on(queue) == [
        "Not approved. You changed this version, so it needs a second read: "
        "an editor other than you and Wendy must approve it."
    ]
    assert not ArticlePage.objects.get(pk=article.pk).live

    # Readers asking for the old address learn nothing of the unreviewed one.
    reader = browser.new_context().new_page()
    response = reader.goto(old_address)
    assert response.status == 404
    assert reader.url == old_address
    assert "give way" not in reader.content()
