"""A producer runs its own listings, certificates and shipping; staff review listings."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.exceptions import (
    IllegalReviewTransition,
    ListingPermissionDenied,
    OriginNotLicensed,
    ReviewReasonRequired,
    StockBelowAllocated,
)
from catalogue.models import ProductReviewDecision, ReviewStatus
from catalogue.services import (
    ListingContent,
    product_listing_create,
    product_listing_update,
    product_review_approve,
    product_review_reject,
)
from catalogue.thumbnails import PRODUCT_THUMBNAILS
from producers.models import Certificate, Shipment
from search.documents import searchable_products
from tests.factories import (
    CategoryFactory,
    StaffUserFactory,
    UserFactory,
    county,
    product_with_stock,
)
from tests.factories.files import MINIMAL_PDF, bomb_png_bytes, png_bytes, stored_files, upload
from tests.factories.orders import place_order
from tests.factories.producers import producer_with_user

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db

ZIYANG = "610924"


def content(producer, **overrides):
    values = {
        "title": "柞水黑木耳 500g",
        "description": "秦岭椴木栽培。\n阴凉干燥处保存。",
        "category": CategoryFactory(name="干货"),
        "origin_county": producer.county,
        "attributes": {"net_content": "500g", "shelf_life": "24个月"},
    }
    values.update(overrides)
    return ListingContent(**values)


def create_listing(producer, user, **overrides):
    return product_listing_create(
        producer=producer,
        actor=user,
        sku=overrides.pop("sku", "ZS-500"),
        content=content(producer, **overrides),
        price=Decimal("68.00"),
        num_in_stock=20,
    )


# --- listing review ---------------------------------------------------------------


def test_new_listing_waits_for_review_and_is_not_browsable_or_searchable():
    producer, user = producer_with_user()
    product = create_listing(producer, user)
    assert product.review_status == ReviewStatus.PENDING
    assert product.attr.net_content == "500g"
    assert not Product.objects.browsable().filter(pk=product.pk).exists()
    assert not searchable_products().filter(pk=product.pk).exists()
    assert product.review_decisions.get().action == ProductReviewDecision.Action.SUBMIT


def test_description_is_escaped_not_trusted_as_html():
    producer, user = producer_with_user()
    product = create_listing(producer, user, description="<script>alert(1)</script>好")
    assert "<script>" not in product.description
    assert "&lt;script&gt;" in product.description


def test_staff_approval_makes_the_listing_browsable_and_records_who():
    producer, user = producer_with_user()
    staff = StaffUserFactory()
    product = product_review_approve(product=create_listing(producer, user), actor=staff)
    assert product.review_status == ReviewStatus.APPROVED
    assert Product.objects.browsable().filter(pk=product.pk).exists()
    assert searchable_products().filter(pk=product.pk).exists()
    decision = product.review_decisions.first()
    assert (decision.action, decision.actor) == (ProductReviewDecision.Action.APPROVE, staff)


def test_rejection_needs_a_reason_the_producer_sees():
    producer, user = producer_with_user()
    product = create_listing(producer, user)
    with pytest.raises(ReviewReasonRequired):
        product_review_reject(product=product, actor=StaffUserFactory(), reason="  ")
    product = product_review_reject(
        product=product, actor=StaffUserFactory(), reason="净含量与图片不符"
    )
    assert product.review_status == ReviewStatus.REJECTED
    assert product.review_reason == "净含量与图片不符"


def test_only_staff_review_and_only_pending_listings():
    producer, user = producer_with_user()
    product = create_listing(producer, user)
    with pytest.raises(ListingPermissionDenied) as excinfo:
        product_review_approve(product=product, actor=user)
    assert excinfo.value.code == "listing_review_staff_only"
    product_review_approve(product=product, actor=StaffUserFactory())
    with pytest.raises(IllegalReviewTransition):
        product_review_approve(product=product, actor=StaffUserFactory())


def test_origin_outside_the_producers_licensed_counties_is_refused():
    producer, user = producer_with_user()
    with pytest.raises(OriginNotLicensed):
        create_listing(producer, user, origin_county=county(ZIYANG))
    assert not Product.objects.filter(producer=producer).exists()
    producer.licensed_counties.add(county(ZIYANG))
    product = create_listing(producer, user, origin_county=county(ZIYANG))
    assert product.origin_county.code == ZIYANG


def test_approval_rechecks_origin_after_a_licence_is_withdrawn():
    producer, user = producer_with_user()
    producer.licensed_counties.add(county(ZIYANG))
    product = create_listing(producer, user, origin_county=county(ZIYANG))
    producer.licensed_counties.clear()
    with pytest.raises(OriginNotLicensed):
        product_review_approve(product=product, actor=StaffUserFactory())
    product.refresh_from_db()
    assert product.review_status == ReviewStatus.PENDING


def test_changing_what_a_listing_claims_sends_it_back_to_review():
    producer, user = producer_with_user()
    product = product_review_approve(
        product=create_listing(producer, user), actor=StaffUserFactory()
    )
    product = product_listing_update(
        product=product, actor=user, content=content(producer, title="柞水黑木耳 1kg")
    )
    assert product.review_status == ReviewStatus.PENDING
    assert not Product.objects.browsable().filter(pk=product.pk).exists()


def test_price_and_stock_changes_keep_an_approved_listing_live():
    producer, user = producer_with_user()
    product = product_review_approve(
        product=create_listing(producer, user), actor=StaffUserFactory()
    )
    product = product_listing_update(
        product=product,
        actor=user,
        content=content(producer),
        price=Decimal("59.90"),
        num_in_stock=7,
    )
    assert product.review_status == ReviewStatus.APPROVED
    stockrecord = product.stockrecords.get()
    assert (stockrecord.price, stockrecord.num_in_stock) == (Decimal("59.90"), 7)


def test_stock_cannot_go_below_what_orders_have_allocated():
    producer, user = producer_with_user()
    product = create_listing(producer, user)
    StockRecord.objects.filter(product=product).update(num_allocated=5)
    with pytest.raises(StockBelowAllocated):
        product_listing_update(product=product, actor=user, num_in_stock=4)
    assert product.stockrecords.get().num_in_stock == 20


def test_another_producers_user_cannot_edit_a_listing():
    producer, _user = producer_with_user()
    _other, intruder = producer_with_user()
    product = product_with_stock(producer=producer)
    with pytest.raises(ListingPermissionDenied) as excinfo:
        product_listing_update(product=product, actor=intruder, price=Decimal("1.00"))
    assert excinfo.value.code == "listing_permission_denied"
    assert product.stockrecords.get().price != Decimal("1.00")


# --- storefront: pending listings are invisible and cannot be bought -------------


def test_pending_listing_is_404_for_the_public_and_visible_to_its_producer(client):
    producer, user = producer_with_user()
    product = create_listing(producer, user)
    assert client.get(product.get_absolute_url()).status_code == 404
    client.force_login(user)
    assert client.get(product.get_absolute_url()).status_code == 200


def test_pending_listing_cannot_be_added_to_a_basket_by_a_direct_post(client):
    producer, user = producer_with_user()
    product = create_listing(producer, user)
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    basket = Basket.objects.filter(lines__product=product)
    assert not basket.exists()


# --- views -------------------------------------------------------------------------


def listing_post(producer, **overrides):
    category = CategoryFactory(name="干货")
    data = {
        "sku": "ZS-250",
        "title": "柞水黑木耳 250g",
        "category": category.pk,
        "description": "秦岭椴木栽培",
        "origin_county": producer.county_id,
        "price": "39.90",
        "num_in_stock": "12",
        "attr_net_content": "250g",
        "attr_spec": "袋装",
        "attr_shelf_life": "24个月",
        "attr_storage": "阴凉干燥",
    }
    data.update(overrides)
    return data


def test_producer_creates_a_listing_in_the_workspace_and_staff_approve_it(client, media_root):
    producer, user = producer_with_user()
    client.force_login(user)
    data = listing_post(producer, image=upload("photo.png", png_bytes()))
    response = client.post(reverse("producers:workspace-product-create", args=[producer.pk]), data)
    assert response.status_code == 302
    product = Product.objects.get(producer=producer)
    assert product.images.get().original.name.endswith(".png")
    assert "photo" not in product.images.get().original.name
    assert product.attr.spec == "袋装"

    staff = StaffUserFactory()
    client.force_login(staff)
    queue = client.get(reverse("catalogue:review-queue"))
    assert product.title in queue.content.decode()
    response = client.post(
        reverse("catalogue:review-detail", args=[product.pk]), {"action": "approve"}
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.review_status == ReviewStatus.APPROVED
    client.logout()
    assert client.get(product.get_absolute_url()).status_code == 200


def test_bad_photo_is_a_form_error_and_stores_nothing(client, media_root):
    producer, user = producer_with_user()
    client.force_login(user)
    for bad in (
        upload("photo.png", b"not an image at all"),
        upload("photo.png", MINIMAL_PDF, "image/png"),
        upload("photo.png", bomb_png_bytes(20_000, 20_000)),
    ):
        response = client.post(
            reverse("producers:workspace-product-create", args=[producer.pk]),
            listing_post(producer, image=bad),
        )
        assert response.status_code == 200
        assert response.context["form"].errors["image"]
    assert not Product.objects.filter(producer=producer).exists()
    assert not (media_root / "images").exists()


def test_a_photo_of_too_many_pixels_is_refused_however_small_the_file(client, media_root):
    producer, user = producer_with_user()
    client.force_login(user)
    photo = bomb_png_bytes(7000, 5672)  # 39.7 million pixels in a few kilobytes
    assert len(photo) < 50_000
    response = client.post(
        reverse("producers:workspace-product-create", args=[producer.pk]),
        listing_post(producer, image=upload("photo.png", photo)),
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["image"]
    assert error.code == "too_many_pixels"
    assert "1600 万像素" in str(error.message % error.params)
    assert "4000×4000" in response.content.decode()
    assert not Product.objects.filter(producer=producer).exists()
    assert stored_files(media_root) == []


def test_a_photo_at_the_pixel_limit_is_accepted(client, media_root):
    producer, user = producer_with_user()
    client.force_login(user)
    response = client.post(
        reverse("producers:workspace-product-create", args=[producer.pk]),
        listing_post(producer, image=upload("photo.png", bomb_png_bytes(4000, 4000))),
    )
    assert response.status_code == 302
    assert Product.objects.get(producer=producer).images.count() == 1


def test_a_stored_photo_has_every_thumbnail_before_a_page_shows_it(
    client, media_root, django_capture_on_commit_callbacks
):
    producer, user = producer_with_user()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("producers:workspace-product-create", args=[producer.pk]),
            listing_post(producer, image=upload("photo.png", png_bytes(900, 700))),
        )
    assert response.status_code == 302
    product = Product.objects.get(producer=producer)
    product_review_approve(product=product, actor=StaffUserFactory())
    thumbnails = stored_files(media_root / "cache")
    assert len(thumbnails) == len(PRODUCT_THUMBNAILS)

    client.logout()
    product_page = client.get(product.get_absolute_url())
    producer_page = client.get(reverse("producers:producer-detail", args=[producer.pk]))
    client.post(reverse("basket:add", args=[product.pk]), {"quantity": 1})
    basket_page = client.get(reverse("basket:summary"))
    for page in (product_page, producer_page, basket_page):
        assert page.status_code == 200
        assert f"{settings.MEDIA_URL}cache/" in page.content.decode()
    assert stored_files(media_root / "cache") == thumbnails


def test_rejecting_without_a_reason_is_a_form_error(client):
    producer, user = producer_with_user()
    product = create_listing(producer, user)
    client.force_login(StaffUserFactory())
    response = client.post(
        reverse("catalogue:review-detail", args=[product.pk]), {"action": "reject"}
    )
    assert response.status_code == 200
    product.refresh_from_db()
    assert product.review_status == ReviewStatus.PENDING


def test_review_pages_are_for_staff_only(client):
    producer, user = producer_with_user()
    product = create_listing(producer, user)
    client.force_login(user)
    assert client.get(reverse("catalogue:review-queue")).status_code == 403
    response = client.post(
        reverse("catalogue:review-detail", args=[product.pk]), {"action": "approve"}
    )
    assert response.status_code == 403
    product.refresh_from_db()
    assert product.review_status == ReviewStatus.PENDING


# --- certificates -----------------------------------------------------------------


def certificate_post(**overrides):
    data = {
        "kind": Certificate.Kind.GREEN_FOOD,
        "number": "LB-18-21010612345",
        "issuer": "中国绿色食品发展中心",
        "valid_from": "2025-01-01",
        "valid_until": "2028-01-01",
        "scan_upload": upload("scan.pdf", MINIMAL_PDF, "application/pdf"),
    }
    data.update(overrides)
    return data


def test_producer_records_a_certificate_with_a_scan_for_its_own_products(client):
    producer, user = producer_with_user()
    product = product_with_stock(producer=producer)
    client.force_login(user)
    response = client.post(
        reverse("producers:workspace-certificate-create", args=[producer.pk]),
        certificate_post(products=[product.pk]),
    )
    assert response.status_code == 302
    certificate = producer.certificates.get()
    assert list(certificate.products.all()) == [product]
    assert certificate.scan.name.startswith("certificate-scans/")
    assert certificate.scan.name.endswith(".pdf")
    scan = client.get(
        reverse("producers:workspace-certificate-scan", args=[producer.pk, certificate.pk])
    )
    assert scan.status_code == 200
    assert scan["Content-Type"] == "application/pdf"
    assert scan["Content-Security-Policy"] == "sandbox"


def test_certificate_cannot_cover_another_producers_product(client):
    producer, user = producer_with_user()
    foreign = product_with_stock()
    client.force_login(user)
    response = client.post(
        reverse("producers:workspace-certificate-create", args=[producer.pk]),
        certificate_post(products=[foreign.pk]),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["products"]
    assert not Certificate.objects.exists()


def test_certificate_scan_must_be_a_real_document(client, private_root):
    producer, user = producer_with_user()
    client.force_login(user)
    response = client.post(
        reverse("producers:workspace-certificate-create", args=[producer.pk]),
        certificate_post(scan_upload=upload("scan.pdf", b"%PDF-1.4 truncated", "application/pdf")),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["scan_upload"]
    assert not Certificate.objects.exists()
    assert not (private_root / "certificate-scans").exists()


def test_duplicate_certificate_number_is_a_form_error(client):
    producer, user = producer_with_user()
    client.force_login(user)
    url = reverse("producers:workspace-certificate-create", args=[producer.pk])
    assert client.post(url, certificate_post()).status_code == 302
    response = client.post(url, certificate_post())
    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    assert Certificate.objects.count() == 1


def test_validity_ending_before_it_starts_is_a_form_error(client):
    producer, user = producer_with_user()
    client.force_login(user)
    response = client.post(
        reverse("producers:workspace-certificate-create", args=[producer.pk]),
        certificate_post(valid_from="2027-01-01", valid_until="2026-01-01"),
    )
    assert response.status_code == 200
    assert not Certificate.objects.exists()


# --- orders and shipping ----------------------------------------------------------


def test_producer_ships_its_lines_of_a_paid_order_with_carrier_and_waybill(client):
    producer, user = producer_with_user()
    mine = product_with_stock(producer=producer, stock=10)
    theirs = product_with_stock(stock=10)
    order = place_order(mine, theirs)
    client.force_login(user)
    ship_url = reverse("producers:workspace-order-ship", args=[producer.pk, order.pk])
    data = {"carrier": "sf", "tracking_number": "SF1234567890"}

    response = client.post(ship_url, data, follow=True)
    assert "付款后才能发货" in response.content.decode()
    assert not Shipment.objects.exists()

    order.set_status(settings.ORDER_STATUS_PAID)
    response = client.post(ship_url, data)
    assert response.status_code == 302
    shipment = Shipment.objects.get()
    assert (shipment.carrier, shipment.tracking_number, shipment.shipped_by) == (
        "sf",
        "SF1234567890",
        user,
    )
    order.refresh_from_db()
    statuses = dict(order.lines.values_list("partner_id", "status"))
    assert statuses[producer.partner_id] == settings.ORDER_STATUS_SHIPPED
    assert statuses[theirs.producer.partner_id] == settings.ORDER_STATUS_PAID
    # The other producer has not shipped yet: the order is not shipped as a whole.
    assert order.status == settings.ORDER_STATUS_PAID
    stockrecord = mine.stockrecords.get()
    assert (stockrecord.num_in_stock, stockrecord.num_allocated) == (8, 0)

    # A double submit ships nothing twice.
    client.post(ship_url, data)
    assert Shipment.objects.count() == 1


def test_order_is_shipped_once_every_producer_has_shipped(client):
    producer, user = producer_with_user()
    order = place_order(product_with_stock(producer=producer))
    order.set_status(settings.ORDER_STATUS_PAID)
    client.force_login(user)
    client.post(
        reverse("producers:workspace-order-ship", args=[producer.pk, order.pk]),
        {"carrier": "ems", "tracking_number": "EMS99887766"},
    )
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_SHIPPED
    assert order.shipping_events.get().notes == "中国邮政 EMS EMS99887766"


def test_bad_waybill_is_a_form_error(client):
    producer, user = producer_with_user()
    order = place_order(product_with_stock(producer=producer))
    order.set_status(settings.ORDER_STATUS_PAID)
    client.force_login(user)
    response = client.post(
        reverse("producers:workspace-order-ship", args=[producer.pk, order.pk]),
        {"carrier": "sf", "tracking_number": "<script>"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["tracking_number"]
    assert not Shipment.objects.exists()


def test_workspace_pages_render_for_the_producer(client):
    producer, user = producer_with_user()
    product = product_with_stock(producer=producer)
    Certificate.objects.create(
        producer=producer,
        kind=Certificate.Kind.ORGANIC,
        number="ORG-1",
        issuer="认证机构",
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2030, 1, 1),
    )
    order = place_order(product)
    client.force_login(user)
    for name, args in [
        ("workspace-home", [producer.pk]),
        ("workspace-products", [producer.pk]),
        ("workspace-product-create", [producer.pk]),
        ("workspace-product-edit", [producer.pk, product.pk]),
        ("workspace-certificates", [producer.pk]),
        ("workspace-certificate-create", [producer.pk]),
        ("workspace-orders", [producer.pk]),
        ("workspace-order-detail", [producer.pk, order.pk]),
    ]:
        response = client.get(reverse(f"producers:{name}", args=args))
        assert response.status_code == 200, name


# --- catalogue import and export through the workspace ---------------------------


def test_producer_imports_a_catalogue_file_and_exports_it_again(
    client, django_capture_on_commit_callbacks
):
    producer, user = producer_with_user()
    CategoryFactory(name="干货")
    client.force_login(user)
    csv = (
        "商品编码,商品名称,分类,商品描述,产地县代码,净含量,价格（元）,库存\n"
        f"ZS-1,柞水木耳 250g,干货,椴木栽培,{producer.county.code},250g,39.90,10\n"
        f"ZS-2,柞水木耳 500g,干货,椴木栽培,{producer.county.code},500g,69.90,5\n"
    )
    # The import job is queued on commit and, with the queue eager, runs there.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("producers:workspace-catalogue-import", args=[producer.pk]),
            {"file": upload("mine.csv", csv.encode("utf-8"), "text/csv")},
        )
    response = client.get(response["Location"])
    assert "新增 2 件" in response.content.decode()
    assert (
        Product.objects.filter(producer=producer, review_status=ReviewStatus.PENDING).count() == 2
    )
    exported = client.get(
        reverse("producers:workspace-catalogue-export", args=[producer.pk, "csv"])
    )
    assert exported["Content-Disposition"].startswith("attachment;")
    assert "ZS-2" in exported.content.decode("utf-8-sig")


def test_a_file_with_a_bad_row_changes_nothing_and_shows_a_chinese_report(
    client, django_capture_on_commit_callbacks
):
    producer, user = producer_with_user()
    CategoryFactory(name="干货")
    client.force_login(user)
    csv = (
        "商品编码,商品名称,分类,商品描述,产地县代码,价格（元）,库存\n"
        f"ZS-1,柞水木耳 250g,干货,椴木栽培,{producer.county.code},39.90,10\n"
        f"ZS-2,柞水木耳 500g,干货,椴木栽培,{producer.county.code},不要钱,5\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("producers:workspace-catalogue-import", args=[producer.pk]),
            {"file": upload("bad.csv", csv.encode("utf-8"), "text/csv")},
        )
    response = client.get(response["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "文件未导入" in page
    [error] = response.context["errors"]
    assert (error.row, error.column) == (3, "价格（元）")
    assert not Product.objects.filter(producer=producer).exists()
    job = response.context["job"]
    report = client.get(
        reverse("producers:workspace-catalogue-import-report", args=[producer.pk, job.pk])
    )
    assert report.status_code == 200
    assert report.content.startswith(b"PK")


def test_buyer_sees_carrier_and_waybill_on_their_order(client):
    producer, user = producer_with_user()
    buyer = UserFactory()
    order = place_order(product_with_stock(producer=producer))
    order.user = buyer
    order.save(update_fields=["user"])
    order.set_status(settings.ORDER_STATUS_PAID)
    client.force_login(user)
    client.post(
        reverse("producers:workspace-order-ship", args=[producer.pk, order.pk]),
        {"carrier": "sf", "tracking_number": "SF1234567890"},
    )
    client.force_login(buyer)
    page = client.get(reverse("customer:order", args=[order.number])).content.decode()
    assert "顺丰速运" in page and "SF1234567890" in page


def test_staff_reach_the_review_queues_from_the_dashboard_menu(client):
    client.force_login(StaffUserFactory())
    page = client.get(reverse("dashboard:index")).content.decode()
    assert reverse("catalogue:review-queue") in page
    assert reverse("producers:platform-queue") in page
    assert reverse("procurement:review-progress") in page


def test_workspace_lists_run_the_same_queries_whatever_their_length(
    client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    producer, user = producer_with_user()
    client.force_login(user)
    products_url = reverse("producers:workspace-products", args=[producer.pk])
    orders_url = reverse("producers:workspace-orders", args=[producer.pk])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    first = product_with_stock(producer=producer)
    place_order(first, number="300001")
    few = count(products_url), count(orders_url)
    for index in range(2, 12):
        product = product_with_stock(producer=producer)
        place_order(product, number=f"30000{index:02d}")
    many = count(products_url), count(orders_url)
    assert few == many, f"products/orders pages: {few} queries with 1, {many} with 11"
    with django_assert_max_num_queries(25):
        client.get(products_url)


def test_workspace_overview_lists_certificates_about_to_lapse(client):
    producer, user = producer_with_user()
    today = datetime.date.today()
    for number, days in (("SOON-1", 10), ("LATER-1", 90)):
        Certificate.objects.create(
            producer=producer,
            kind=Certificate.Kind.ORGANIC,
            number=number,
            issuer="认证机构",
            valid_from=today - datetime.timedelta(days=300),
            valid_until=today + datetime.timedelta(days=days),
        )
    client.force_login(user)
    page = client.get(reverse("producers:workspace-home", args=[producer.pk])).content.decode()
    assert "30 天内到期的证书" in page
    assert "SOON-1" in page and "LATER-1" not in page


# --- issue 11: stock figures, stale rows and categories in the workspace ------------


def test_product_list_and_form_show_on_hand_allocated_and_available(
    client, django_assert_max_num_queries
):
    producer, user = producer_with_user()
    product = product_with_stock(producer=producer, stock=300)
    product.stockrecords.update(num_allocated=2)
    client.force_login(user)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("producers:workspace-products", args=[producer.pk]))

    page = response.content.decode()
    assert "在库 300" in page
    assert "已分配 2" in page
    assert "可售 298" in page
    form = client.get(reverse("producers:workspace-product-edit", args=[producer.pk, product.pk]))
    assert "在库 300" in form.content.decode()
    assert "可售 298" in form.content.decode()


def test_import_page_lists_categories_and_offers_them_for_download(client):
    producer, user = producer_with_user()
    CategoryFactory(name="菌菇干货")
    client.force_login(user)

    page = client.get(reverse("producers:workspace-catalogue-import", args=[producer.pk]))

    assert "菌菇干货" in page.content.decode()
    assert "下载类目表" in page.content.decode()
    for fmt in ("xlsx", "csv"):
        download = client.get(
            reverse("producers:workspace-catalogue-categories", args=[producer.pk, fmt])
        )
        assert download["Content-Disposition"].startswith("attachment;")
    assert "菌菇干货" in download.content.decode("utf-8-sig")
    other, _stranger = producer_with_user()
    assert (
        client.get(
            reverse("producers:workspace-catalogue-categories", args=[other.pk, "csv"])
        ).status_code
        == 404
    )


def test_stale_row_is_refused_on_the_page_unless_overwrite_is_confirmed(
    client, django_capture_on_commit_callbacks
):
    producer, user = producer_with_user()
    product = product_with_stock(producer=producer, stock=300)
    client.force_login(user)
    exported = client.get(
        reverse("producers:workspace-catalogue-export", args=[producer.pk, "csv"])
    ).content
    old_file = exported.decode("utf-8-sig").replace(",300,", ",250,").encode("utf-8-sig")
    product_listing_update(product=product, actor=user, num_in_stock=280)
    url = reverse("producers:workspace-catalogue-import", args=[producer.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": upload("old.csv", old_file, "text/csv")})
    response = client.get(response["Location"])

    [error] = response.context["errors"]
    assert (error.row, error.code) == (2, "row_stale")
    assert "确认覆盖" in response.content.decode()
    assert product.stockrecords.get().num_in_stock == 280

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"file": upload("old.csv", old_file, "text/csv"), "overwrite_newer": "on"}
        )
    assert response.status_code == 302
    assert product.stockrecords.get().num_in_stock == 250
    assert "导入完成" in client.get(response["Location"]).content.decode()
