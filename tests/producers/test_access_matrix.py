"""Who may touch what: a producer's user tries every producer-facing URL and form
with another producer's ids, and a county reviewer with another county's
applicants. Every attempt is a 403 or 404 and changes nothing.

``test_every_producer_url_is_in_the_matrix`` fails when a URL is added to the
producers app without a row here.
"""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import get_resolver, reverse
from oscar.core.loading import get_model

from catalogue.models import CatalogueImportJob
from producers.models import (
    BenefitLinkage,
    Certificate,
    CountyReviewer,
    InvoiceRequest,
    ProducerApplication,
    Shipment,
)
from tests.factories import (
    CategoryFactory,
    ProducerFactory,
    ProductImageFactory,
    UserFactory,
    county,
    multi_spec_product,
    product_with_stock,
)
from tests.factories.files import MINIMAL_PDF, png_bytes, upload
from tests.factories.orders import place_order
from tests.factories.producers import CountyReviewerFactory, ProducerApplicationFactory

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

OTHER_COUNTY = "610924"  # 紫阳县; the reviewer below is for 柞水县

# URL names that are not about one producer's or applicant's objects, with why.
PUBLIC_OR_OWN_ONLY = {
    "producer-detail": "public producer page",
    "workspace-index": "lists only the user's own producers",
    "apply": "creates the user's own application",
    "my-applications": "lists only the user's own applications",
    "county-queue": "lists only the reviewer's county",
    "platform-queue": "staff only (403)",
    "catalogue:review-queue": "staff only (403)",
}


@pytest.fixture
def world():
    """Producer A (the intruder's own) and producer B (the victim), each with
    a user, a listing, a certificate with a scan, an order line and figures."""
    mine, intruder = ProducerFactory(), UserFactory()
    mine.partner.users.add(intruder)
    theirs, owner = ProducerFactory(), UserFactory()
    theirs.partner.users.add(owner)
    my_product = product_with_stock(producer=mine, partner_sku="A-1")
    their_product = product_with_stock(producer=theirs, partner_sku="B-1", stock=10)
    their_certificate = Certificate.objects.create(
        producer=theirs,
        kind=Certificate.Kind.ORGANIC,
        number="B-ORG-1",
        issuer="认证机构",
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2030, 1, 1),
        scan=upload("x.pdf", MINIMAL_PDF, "application/pdf"),
    )
    their_certificate.products.add(their_product)
    their_order = place_order(their_product, number="200001")
    their_order.set_status(settings.ORDER_STATUS_PAID)
    their_linkage = BenefitLinkage.objects.create(
        producer=theirs, year=2025, employment_households=10, total_households=10
    )
    their_application = ProducerApplicationFactory(
        applicant=owner, status=ProducerApplication.Status.RETURNED, county=county(OTHER_COUNTY)
    )
    other_county_application = ProducerApplicationFactory(county=county(OTHER_COUNTY))
    reviewer = CountyReviewerFactory().user
    their_photo = ProductImageFactory(product=their_product)
    ProductImageFactory(product=their_product, display_order=1)
    their_multi_spec = multi_spec_product(producer=theirs, sku_prefix="B-V")
    buyer = UserFactory()
    invoice = {"requested_by": buyer, "title_kind": "personal", "title": "张三"}
    their_invoice = InvoiceRequest.objects.create(
        order=their_order, producer=theirs, email="a@example.com", amount="1.00", **invoice
    )
    their_issued_invoice = InvoiceRequest.objects.create(
        order=place_order(their_product, number="200002"),
        producer=theirs,
        email="a@example.com",
        amount="1.00",
        status=InvoiceRequest.Status.ISSUED,
        invoice_number="12345678",
        issued_on=datetime.date(2026, 1, 1),
        pdf=upload("x.pdf", MINIMAL_PDF, "application/pdf"),
        **invoice,
    )
    my_multi_spec = multi_spec_product(producer=mine, sku_prefix="A-V")
    their_import = CatalogueImportJob.objects.create(
        producer=theirs,
        actor=owner,
        file="catalogue-imports/x/x.csv",
        status=CatalogueImportJob.Status.REJECTED,
        errors=[[2, "价格（元）", "价格不是数字。", "price_not_number"]],
    )
    return {
        "their_import": their_import,
        "their_photo": their_photo,
        "their_multi_spec": their_multi_spec,
        "their_variant": their_multi_spec.children.order_by("pk").first(),
        "my_multi_spec": my_multi_spec,
        "mine": mine,
        "intruder": intruder,
        "theirs": theirs,
        "my_product": my_product,
        "their_product": their_product,
        "their_certificate": their_certificate,
        "their_order": their_order,
        "their_invoice": their_invoice,
        "their_issued_invoice": their_issued_invoice,
        "their_linkage": their_linkage,
        "their_application": their_application,
        "other_county_application": other_county_application,
        "reviewer": reviewer,
        "reviewer_pk": reviewer.county_reviewer_roles.get().pk,
        "category": CategoryFactory(name="干货"),
    }


def snapshot(w) -> str:
    """Everything of producer B's an attack could change, as one digest."""
    theirs = w["theirs"]
    rows = [
        list(
            Product.objects.filter(producer=theirs)
            .values_list("title", "description", "review_status", "origin_county_id")
            .order_by("pk")
        ),
        list(
            StockRecord.objects.filter(partner=theirs.partner)
            .values_list("price", "num_in_stock", "num_allocated", "partner_sku")
            .order_by("pk")
        ),
        list(
            Certificate.objects.filter(producer=theirs)
            .values_list("kind", "number", "valid_until", "scan")
            .order_by("pk")
        ),
        list(
            Certificate.products.through.objects.filter(certificate__producer=theirs)
            .values_list("certificate_id", "product_id")
            .order_by("pk")
        ),
        list(
            BenefitLinkage.objects.filter(producer=theirs).values_list(
                "year", "total_households", "is_verified", "status"
            )
        ),
        list(
            Product.objects.filter(parent__producer=theirs)
            .values_list("title", "is_public")
            .order_by("pk")
        ),
        list(
            get_model("catalogue", "ProductImage")
            .objects.filter(product__producer=theirs)
            .values_list("pk", "display_order", "original")
            .order_by("pk")
        ),
        list(Shipment.objects.values_list("order_id", "producer_id")),
        list(w["their_order"].lines.values_list("status", flat=True)),
        list(ProducerApplication.objects.values_list("pk", "status", "name").order_by("pk")),
        list(CountyReviewer.objects.values_list("pk", "user_id", "county_id").order_by("pk")),
        list(
            InvoiceRequest.objects.values_list("pk", "status", "invoice_number", "pdf").order_by(
                "pk"
            )
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def listing_data(w, **overrides):
    data = {
        "sku": "EVIL-1",
        "title": "篡改",
        "category": w["category"].pk,
        "description": "篡改",
        "origin_county": w["mine"].county_id,
        "price": "0.01",
        "num_in_stock": "0",
    }
    data.update(overrides)
    return data


def certificate_data(w, **overrides):
    data = {
        "kind": Certificate.Kind.ORGANIC,
        "number": "EVIL",
        "issuer": "x",
        "valid_from": "2025-01-01",
        "valid_until": "2031-01-01",
        "scan_upload": upload("x.png", png_bytes()),
    }
    data.update(overrides)
    return data


def catalogue_file(w, sku="B-1"):
    """A valid import file that, aimed at B, would change B's listing B-1."""
    csv = (
        "商品编码,商品名称,分类,商品描述,产地县代码,价格（元）,库存\n"
        f"{sku},篡改,干货,篡改,{w['theirs'].county.code},0.01,0\n"
    )
    return upload("catalogue.csv", csv.encode("utf-8"), "text/csv")


def attempts(w):
    """(url name, args, method, data) for every producer-facing URL, aimed at B."""
    m, t = w["mine"].pk, w["theirs"].pk
    tp, tc, to = w["their_product"].pk, w["their_certificate"].pk, w["their_order"].pk
    ta, oa = w["their_application"].pk, w["other_county_application"].pk
    ship = {"carrier": "sf", "tracking_number": "SF0000000001"}
    tph, tms, tv = w["their_photo"].pk, w["their_multi_spec"].pk, w["their_variant"].pk
    mms = w["my_multi_spec"].pk
    photo = {"image": upload("x.png", png_bytes())}
    spec = {"spec": "1kg", "sku": "EVIL-V", "price": "0.01", "num_in_stock": "0"}
    ti, tii = w["their_invoice"].pk, w["their_issued_invoice"].pk
    tj = w["their_import"].pk
    invoice = {
        "invoice_number": "66666666",
        "issued_on": "2026-01-02",
        "pdf": upload("x.pdf", MINIMAL_PDF, "application/pdf"),
    }
    return [
        # B's producer id in the producer slot.
        ("workspace-home", [t], "get", None),
        ("workspace-products", [t], "get", None),
        ("workspace-product-create", [t], "post", listing_data(w)),
        ("workspace-product-edit", [t, tp], "post", listing_data(w)),
        ("workspace-certificates", [t], "get", None),
        ("workspace-certificate-create", [t], "post", certificate_data(w)),
        ("workspace-certificate-edit", [t, tc], "post", certificate_data(w)),
        ("workspace-certificate-scan", [t, tc], "get", None),
        ("workspace-catalogue-export", [t, "xlsx"], "get", None),
        ("workspace-catalogue-export", [t, "csv"], "get", None),
        ("workspace-catalogue-import", [t], "post", {"file": catalogue_file(w)}),
        ("workspace-catalogue-import-job", [t, tj], "get", None),
        ("workspace-catalogue-import-status", [t, tj], "get", None),
        ("workspace-catalogue-import-report", [t, tj], "get", None),
        ("workspace-catalogue-categories", [t, "xlsx"], "get", None),
        ("workspace-catalogue-categories", [t, "csv"], "get", None),
        ("workspace-orders", [t], "get", None),
        ("workspace-order-detail", [t, to], "get", None),
        ("workspace-order-ship", [t, to], "post", ship),
        ("workspace-linkage", [t], "post", {"year": 2025, "total_households": 1}),
        ("workspace-multi-spec-create", [t], "post", {**listing_data(w), "variant_spec": "1kg"}),
        ("workspace-product-photos", [t, tp], "post", photo),
        ("workspace-product-photo-move", [t, tp, tph], "post", {"direction": "down"}),
        ("workspace-product-photo-remove", [t, tp, tph], "post", {"direction": "x"}),
        ("workspace-product-variants", [t, tms], "post", spec),
        ("workspace-product-variant-edit", [t, tms, tv], "post", spec),
        ("workspace-categories", [t], "get", None),
        ("workspace-categories", [t], "post", {"name": "篡改类目", "reason": "x"}),
        ("workspace-invoices", [t], "get", None),
        ("workspace-invoice", [t, ti], "get", None),
        ("workspace-invoice", [t, ti], "post", invoice),
        # A's own producer id with B's object ids.
        ("workspace-product-photos", [m, tp], "post", photo),
        ("workspace-product-photo-move", [m, tp, tph], "post", {"direction": "down"}),
        ("workspace-product-photo-remove", [m, tp, tph], "post", {"direction": "x"}),
        ("workspace-product-variants", [m, tms], "post", spec),
        ("workspace-product-variant-edit", [m, tms, tv], "post", spec),
        # A's own listing with B's photo or variant.
        (
            "workspace-product-photo-remove",
            [m, w["my_product"].pk, tph],
            "post",
            {"direction": "x"},
        ),
        ("workspace-product-variant-edit", [m, mms, tv], "post", spec),
        ("workspace-product-edit", [m, tp], "get", None),
        ("workspace-product-edit", [m, tp], "post", listing_data(w)),
        ("workspace-certificate-edit", [m, tc], "get", None),
        ("workspace-certificate-edit", [m, tc], "post", certificate_data(w)),
        ("workspace-certificate-scan", [m, tc], "get", None),
        ("workspace-order-detail", [m, to], "get", None),
        ("workspace-order-ship", [m, to], "post", ship),
        ("workspace-invoice", [m, ti], "get", None),
        ("workspace-invoice", [m, ti], "post", invoice),
        ("workspace-catalogue-import-job", [m, tj], "get", None),
        ("workspace-catalogue-import-status", [m, tj], "get", None),
        ("workspace-catalogue-import-report", [m, tj], "get", None),
        # An issued invoice's PDF is for its buyer, its producer and staff.
        ("invoice-pdf", [tii], "get", None),
        # Applications and their documents belong to their applicant and reviewers.
        ("application-edit", [ta], "post", {"name": "篡改"}),
        ("application-document", [ta, "business_licence"], "get", None),
        ("county-review", [oa], "post", {"action": "recommend"}),
        # Staff-only pages.
        ("platform-review", [oa], "post", {"action": "approve"}),
        ("catalogue:review-detail", [tp], "post", {"action": "reject", "reason": "x"}),
        ("certificate-scan", [tc], "get", None),
        ("reviewers", [], "post", {"action": "remove", "reviewer": w["reviewer_pk"]}),
        ("category-proposals-review", [], "get", None),
        ("linkage-queue", [], "get", None),
        ("linkage-review", [w["their_linkage"].pk], "get", None),
        ("linkage-review", [w["their_linkage"].pk], "post", {"action": "verify"}),
        ("linkage-review", [w["their_linkage"].pk], "post", {"action": "return", "reason": "x"}),
    ]


def _url(name: str) -> str:
    return name if ":" in name else f"producers:{name}"


def test_every_producer_url_is_in_the_matrix(world):
    names = {
        name
        for name in get_resolver().namespace_dict["producers"][1].reverse_dict
        if isinstance(name, str)
    }
    # The listing review is catalogue's, but guarded like the producer pages.
    names |= {
        f"catalogue:{name}"
        for name in get_resolver().namespace_dict["catalogue"][1].reverse_dict
        if isinstance(name, str) and name.startswith("review-")
    }
    covered = {name for name, *_rest in attempts(world)} | set(PUBLIC_OR_OWN_ONLY)
    assert names - covered == set(), "add these URLs to the access matrix"


def test_producer_user_cannot_reach_or_change_another_producers_objects(client, world):
    client.force_login(world["intruder"])
    before = snapshot(world)
    for name, args, method, data in attempts(world):
        if name in ("county-review",):
            continue
        url = reverse(_url(name), args=args)
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code in (403, 404), (
            f"{method.upper()} {name} {args}: {response.status_code}"
        )
    assert snapshot(world) == before


def test_county_reviewer_cannot_reach_another_countys_applicants(client, world):
    client.force_login(world["reviewer"])
    before = snapshot(world)
    for name, args, method, data in attempts(world):
        url = reverse(_url(name), args=args)
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code in (403, 404), (
            f"{method.upper()} {name} {args}: {response.status_code}"
        )
    queue = client.get(reverse("producers:county-queue")).content.decode()
    assert world["other_county_application"].name not in queue
    assert snapshot(world) == before


def test_forms_refuse_another_producers_ids_in_their_fields(client, world):
    """Own URLs, foreign ids smuggled into the form fields."""
    client.force_login(world["intruder"])
    mine = world["mine"].pk
    before = snapshot(world)
    response = client.post(
        reverse("producers:workspace-certificate-create", args=[mine]),
        certificate_data(world, products=[world["their_product"].pk]),
    )
    assert response.status_code == 200 and response.context["form"].errors["products"]
    response = client.post(
        reverse("producers:workspace-product-create", args=[mine]),
        listing_data(world, origin_county=county(OTHER_COUNTY).pk),
    )
    assert response.status_code == 200 and response.context["form"].errors["origin_county"]
    # A SKU is per producer: reusing B's code creates A's own listing, never touches B's.
    response = client.post(
        reverse("producers:workspace-product-create", args=[mine]), listing_data(world, sku="B-1")
    )
    assert response.status_code == 302
    assert Product.objects.filter(producer=world["mine"], title="篡改").exists()
    # The same through a catalogue file.
    response = client.post(
        reverse("producers:workspace-catalogue-import", args=[mine]),
        {"file": catalogue_file(world, sku="B-1")},
    )
    assert response.status_code in (200, 302)
    assert snapshot(world) == before
    assert world["their_product"].stockrecords.get().price == Decimal("39.90")


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for name, args, method, data in attempts(world):
        url = reverse(_url(name), args=args)
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"], name
