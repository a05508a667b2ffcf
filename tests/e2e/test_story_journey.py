"""A cooperative's story from draft to search, in a real browser (issue 12):
its user writes a paragraph, uploads a photo into an image block and picks one
of its own products in Wagtail's admin, saves and submits; the county's
reviewer approves; a platform editor publishes; a visitor reaches the story
from the product page and from site search (Elasticsearch). The producer hears
of each step by e-mail.

Each role works in its own browser context (its own session cookie)."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect
from wagtail.images import get_image_model
from wagtail.models import WorkflowState

from cms.models import ProducerStoryPage
from cms.services import producer_pages_ensure
from tests.factories import (
    CountyReviewerFactory,
    UserFactory,
    png_bytes,
    producer_with_user,
    product_with_stock,
)
from tests.support.browser import sign_in
from tests.support.csp import record_csp_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PRODUCT = "金米村椴木黑木耳 250g"
PARAGRAPH = "秦岭南麓的椴木耳每年只采两季"
ALT = "社员在大棚里采摘木耳"


def _context_page(browser, live_server, user, csp_violations) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    record_csp_violations(context, csp_violations)
    page = context.new_page()
    sign_in(page, user)
    return page


def _add_block(page: Page, label: str) -> None:
    """Open the last "insert a block" button of the body and choose ``label``."""
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=label, exact=True).click()


def _footer_action(page: Page, selector: str) -> None:
    """Click an action of the editor's footer, opening its dropdown if the
    action is not the visible default, and wait for the server's answer to the
    form it posts (the action is done, its transaction committed)."""
    button = page.locator(selector).first
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    expect(button).to_be_visible()
    with page.expect_response(lambda r: r.request.method == "POST"):
        button.click()


def test_a_cooperative_writes_its_story_and_a_visitor_finds_it(
    page: Page, browser, live_server, csp_violations, es_backend, search_index
):
    producer, writer = producer_with_user()
    product = product_with_stock(producer=producer, title=PRODUCT, price=Decimal("45.80"))
    story, _county_page = producer_pages_ensure(producer=producer)
    reviewer = CountyReviewerFactory(county=producer.county).user
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Moderators"))
    search_index()

    # 1. The cooperative's user writes the story in /cms/.
    writer_page = _context_page(browser, live_server, writer, csp_violations)
    writer_page.goto(f"/cms/pages/{story.pk}/edit/")
    expect(writer_page.locator("button.c-sf-add-button").first).to_be_visible()

    _add_block(writer_page, "段落")
    writer_page.locator('input[name="body-0-value-heading"]').fill("我们的木耳")
    writer_page.locator("[data-contentpath='body'] .public-DraftEditor-content").first.click()
    writer_page.keyboard.type(PARAGRAPH)

    _add_block(writer_page, "图片")
    writer_page.locator("[data-contentpath='image']").get_by_role("button").first.click()
    modal = writer_page.locator(".modal")
    modal.get_by_role("tab", name=re.compile("上传")).click()
    modal.locator('input[name="image-chooser-upload-title"]').fill("木耳大棚")
    modal.locator('input[name="image-chooser-upload-file"]').set_input_files(
        {"name": "大棚.png", "mimeType": "image/png", "buffer": png_bytes(800, 600)}
    )
    modal.locator("form button[type=submit]").first.click()
    expect(modal).to_be_hidden()
    writer_page.locator('input[name="body-1-value-alt"]').fill(ALT)

    _add_block(writer_page, "本社好物")
    picks = writer_page.locator("[data-contentpath='products']")
    picks.get_by_role("button", name=re.compile("选择商品")).first.click()
    writer_page.locator(".modal").get_by_role("link", name=PRODUCT).click()
    expect(writer_page.locator(".modal")).to_be_hidden()

    _footer_action(writer_page, "footer button.action-save")
    story = ProducerStoryPage.objects.get(pk=story.pk)
    assert PARAGRAPH in str(story.get_latest_revision_as_object().body.raw_data)
    image = get_image_model().objects.get(title="木耳大棚")
    assert image.collection == producer.image_collection.collection

    _footer_action(writer_page, 'button[name="action-submit"]')
    assert WorkflowState.objects.filter(object_id=str(story.pk), status="in_progress").exists()

    # 2. The county's reviewer approves; 3. the platform editor publishes.
    for user in (reviewer, editor):
        actor = _context_page(browser, live_server, user, csp_violations)
        actor.goto(f"/cms/pages/{story.pk}/edit/")
        _footer_action(
            actor,
            'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])',
        )
    story = ProducerStoryPage.objects.get(pk=story.pk)
    assert story.live

    # The producer's users heard of both approvals.
    to_writer = [m.subject for m in mail.outbox if m.to == [writer.email]]
    assert any("县级审核" in s for s in to_writer), to_writer
    assert any("平台编辑发布" in s for s in to_writer), to_writer

    # 4. A visitor goes from the product page to the story…
    visitor = page
    visitor.goto(product.get_absolute_url())
    visitor.locator(".mkt-story-link a").first.click()
    expect(visitor).to_have_url(re.compile(re.escape(story.url)))
    expect(visitor.locator("main, body").first).to_contain_text(PARAGRAPH)
    expect(visitor.locator(f'img[alt="{ALT}"]')).to_be_visible()
    expect(visitor.locator(".mkt-product-picks")).to_contain_text(PRODUCT)
    expect(visitor.locator(".mkt-product-picks")).to_contain_text("45.80")

    # …and finds it through site search.
    visitor.goto(reverse("search:search") + "?q=椴木耳每年只采两季")
    expect(visitor.locator(f'a[href="{story.url}"]').first).to_be_visible()
    assert csp_violations == []
