"""A cooperative's whole way in, in a real browser: it applies, the county
recommends it, the platform approves it, it lists a product in its workspace,
staff approve the listing, and a visitor finds the product in the catalogue.

Each role works in its own browser context (its own session cookie).
"""

import re

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from catalogue.models import ReviewStatus
from producers.models import ApplicationStatus, ProducerApplication
from tests.factories import DEFAULT_PASSWORD, CategoryFactory, StaffUserFactory, UserFactory
from tests.factories.files import MINIMAL_PDF, png_bytes
from tests.factories.producers import CountyReviewerFactory
from tests.support.csp import record_csp_violations

Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "柞水金米村黑木耳 250g"


def log_in(browser, live_server, user, csp_violations) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    record_csp_violations(context, csp_violations)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator('input[name="login-username"]').fill(user.email)
    page.locator('input[name="login-password"]').fill(DEFAULT_PASSWORD)
    page.locator('form:has(input[name="login-username"]) button[type=submit]').click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    return page


def choose_county(form, province: str, city: str, county: str) -> None:
    form.locator('select[name="province"]').select_option(label=province)
    expect(form.locator('select[name="city"] option', has_text=city)).to_have_count(1)
    form.locator('select[name="city"]').select_option(label=city)
    expect(form.locator('select[name="county"] option', has_text=county)).to_have_count(1)
    form.locator('select[name="county"]').select_option(label=county)


def apply(page: Page) -> None:
    from tests.factories import valid_uscc

    page.goto("/producers/apply/")
    form = page.locator("form[enctype]")
    form.locator('select[name="kind"]').select_option("cooperative")
    form.locator('input[name="name"]').fill("柞水县金米村木耳专业合作社")
    form.locator('input[name="uscc"]').fill(valid_uscc(777))
    choose_county(form, "陕西省", "商洛市", "柞水县")
    form.locator('input[name="legal_representative"]').fill("李建国")
    form.locator('input[name="contact_name"]').fill("王小红")
    form.locator('input[name="contact_mobile"]').fill("13800138000")
    form.locator('input[name="bank_account_name"]').fill("柞水县金米村木耳专业合作社")
    form.locator('input[name="bank_name"]').fill("中国农业银行柞水县支行")
    form.locator('input[name="bank_account_number"]').fill("6228480123456789012")
    form.locator('input[name="sells_food"]').check()
    form.locator('input[name="food_licence_number"]').fill("SC10661102600012")
    form.locator('input[name="business_licence"]').set_input_files(
        {"name": "营业执照.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    form.locator('input[name="food_licence_file"]').set_input_files(
        {"name": "许可证.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    )
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success").first).to_contain_text("入驻申请已提交")


def decide(page: Page, queue: str, name: str, action: str) -> None:
    page.goto(queue)
    page.locator("tr", has_text=name).get_by_role("link").click()
    page.locator(f'button[name="action"][value="{action}"]').click()
    expect(page.locator(".alert-success").first).to_contain_text("已办理")


def test_cooperative_goes_from_application_to_a_live_product(
    page: Page, browser, live_server, csp_violations
):
    applicant, staff = UserFactory(), StaffUserFactory()
    reviewer = CountyReviewerFactory().user
    CategoryFactory(name="菌菇干货")

    # 1. The cooperative applies.
    applicant_page = log_in(browser, live_server, applicant, csp_violations)
    apply(applicant_page)
    application = ProducerApplication.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED

    # 2. The county recommends it; 3. the platform approves it.
    decide(
        log_in(browser, live_server, reviewer, csp_violations),
        "/producers/review/county/",
        application.name,
        "recommend",
    )
    staff_page = log_in(browser, live_server, staff, csp_violations)
    decide(staff_page, "/producers/review/platform/", application.name, "approve")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED

    # 4. The cooperative lists a product in its workspace.
    applicant_page.goto("/producers/workspace/")
    applicant_page.get_by_role("link", name="进入卖家工作台").click()
    applicant_page.locator(".navbar-primary").get_by_role("link", name="商品").click()
    applicant_page.get_by_role("link", name="新增商品").click()
    form = applicant_page.locator("form[enctype]")
    form.locator('input[name="sku"]').fill("JMC-250")
    form.locator('input[name="title"]').fill(TITLE)
    form.locator('select[name="category"]').select_option(label="菌菇干货")
    form.locator('textarea[name="description"]').fill("金米村椴木黑木耳，自然晾晒。")
    form.locator('select[name="origin_county"]').select_option(label="柞水县")
    form.locator('input[name="price"]').fill("45.00")
    form.locator('input[name="num_in_stock"]').fill("30")
    form.locator('input[name="attr_net_content"]').fill("250g")
    form.locator('input[name="image"]').set_input_files(
        {"name": "木耳.png", "mimeType": "image/png", "buffer": png_bytes(200, 200)}
    )
    form.locator("button[type=submit]").click()
    row = applicant_page.locator("tr", has_text=TITLE)
    expect(row).to_contain_text("待审核")
    # The application form with its region selects, the review pages, the
    # workspace, its product list and product form (Oscar's dashboard widgets
    # started from a static file): no Content-Security-Policy violation.
    assert csp_violations == []

    # Not live yet: a visitor gets a 404.
    product = Product.objects.get(title=TITLE)
    visitor = page
    assert visitor.goto(product.get_absolute_url()).status == 404

    # 5. Staff check origin and licence and approve the listing.
    staff_page.goto("/catalogue/review/")
    staff_page.locator("tr", has_text=TITLE).get_by_role("link").click()
    expect(staff_page.locator("body")).to_contain_text("与许可产地相符")
    staff_page.locator('input[name="action"][value="approve"]').check()
    staff_page.locator("form[novalidate] button[type=submit]").click()
    expect(staff_page.locator(".alert-success").first).to_contain_text("审核结果已保存")
    product.refresh_from_db()
    assert product.review_status == ReviewStatus.APPROVED

    # 6. A visitor finds it in the catalogue and on the producer's page.
    visitor.goto("/catalogue/?q=金米村")
    visitor.locator("article.product_pod", has_text=TITLE).locator("h3 a").click()
    expect(visitor.locator("h1")).to_have_text(TITLE)
    expect(visitor.locator(".mkt-producer")).to_contain_text(application.name)
    applicant_page.reload()
    expect(applicant_page.locator("tr", has_text=TITLE)).to_contain_text("审核通过")
    assert csp_violations == []
