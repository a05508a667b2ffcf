"""A small, realistic world with one user per role, for tests that walk every
page as everyone (the URL fuzz test): real ids exist, so views go deep."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from oscar.core.loading import get_class, get_model

from catalogue.models import CatalogueImportJob
from procurement import services as procurement_services
from procurement.models import ContractStatus, PriceBreak
from producers.models import Certificate, ProducerApplication
from tests.factories.catalogue import CategoryFactory, ProductFactory, product_with_stock
from tests.factories.files import MINIMAL_PDF, upload
from tests.factories.orders import place_order
from tests.factories.procurement import (
    AnnualPlanFactory,
    Team,
    contract_in_state,
    evidence_file,
    producer_user,
    submitted_order,
)
from tests.factories.producers import (
    BenefitLinkageFactory,
    CountyReviewerFactory,
    ProducerApplicationFactory,
    ProducerFactory,
    county,
)
from tests.factories.users import StaffUserFactory, UserFactory

AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
Basket = get_model("basket", "Basket")
Benefit = get_model("offer", "Benefit")
CommunicationEventType = get_model("communication", "CommunicationEventType")
Condition = get_model("offer", "Condition")
Email = get_model("communication", "Email")
Notification = get_model("communication", "Notification")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Option = get_model("catalogue", "Option")
OrderNote = get_model("order", "OrderNote")
Product = get_model("catalogue", "Product")
ProductAlert = get_model("customer", "ProductAlert")
ProductReview = get_model("reviews", "ProductReview")
Range = get_model("offer", "Range")
UserAddress = get_model("address", "UserAddress")
Voucher = get_model("voucher", "Voucher")
WeightBand = get_model("shipping", "WeightBand")
WeightBased = get_model("shipping", "WeightBased")
WishList = get_model("wishlists", "WishList")
Selector = get_class("partner.strategy", "Selector")

ROLES = (
    "superuser",
    "platform_staff",
    "producer",
    "contract_supplier",
    "unit_admin",
    "purchaser",
    "approver",
    "finance",
    "county_reviewer",
    "consumer",
    "anonymous",
)


def fuzz_world(shipping_country) -> dict:
    """One user per role in ``ROLES`` (``anonymous`` is None) under "users", and the
    objects they work on: a producer with listings in every review state, a
    certificate, consumer orders and figures; a buyer unit (a state-owned
    enterprise, so every page exists) with contracts in every state from a second
    producer; applications in the county reviewer's queue; Oscar dashboard rows."""
    zhashui = county("611026")
    category = CategoryFactory(name="干货")

    producer = ProducerFactory(county=zhashui)
    producer_owner = producer_user(producer)
    listed = product_with_stock(producer=producer, stock=50, categories=[category])
    product_with_stock(producer=producer, stock=5, review_status="pending")
    product_with_stock(producer=producer, stock=5, review_status="rejected")
    ProductFactory(producer=producer, structure="parent", title="柞水木耳 多规格")
    certificate = Certificate.objects.create(
        producer=producer,
        kind=Certificate.Kind.ORGANIC,
        number="ORG-2025-001",
        issuer="中绿华夏有机产品认证中心",
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2030, 1, 1),
        scan=upload("certificate.pdf", MINIMAL_PDF, "application/pdf"),
    )
    certificate.products.add(listed)
    BenefitLinkageFactory(producer=producer)

    supplier = ProducerFactory(county=zhashui)
    supplier_user = producer_user(supplier)
    bulk = product_with_stock(producer=supplier, stock=1000, categories=[category])
    PriceBreak.objects.create(
        stockrecord=bulk.stockrecords.get(), min_quantity=10, unit_price=Decimal("30.00")
    )

    unit = Team(kind="soe")
    AnnualPlanFactory(organisation=unit.organisation, year=timezone.localdate().year)
    contracts = {
        state: contract_in_state(unit, bulk, 5, state, seller=supplier_user)
        for state in ContractStatus.values
    }
    accepted = contracts[ContractStatus.ACCEPTED]
    procurement_services.invoice_record(
        contract=accepted,
        actor=supplier_user,
        number="FP-0001",
        issued_on=timezone.localdate(),
        amount=accepted.payable_amount,
        scan=evidence_file(),
    )
    procurement_services.purchase_order_create(
        organisation=unit.organisation,
        purchaser=unit.purchaser,
        delivery_address="陕西省西安市未央区凤城八路 1 号 机关食堂",
        requested_delivery_date=timezone.localdate() + datetime.timedelta(days=3),
        payment_terms="goods_first",
    )
    submitted_order(unit, [(bulk, 3)])
    procurement_services.off_platform_purchase_record(
        organisation=unit.organisation,
        actor=unit.purchaser,
        channel="direct",
        supplier_name="柞水县供销社",
        origin_county=zhashui,
        amount=100,
        purchased_on=timezone.localdate(),
        category="茶叶",
        evidence=evidence_file(),
    )

    reviewer = CountyReviewerFactory(county=zhashui).user
    ProducerApplicationFactory(county=zhashui)
    ProducerApplicationFactory(county=zhashui, status=ProducerApplication.Status.COUNTY_RECOMMENDED)

    consumer = UserFactory()
    order = place_order(listed, number="300001")
    order.user = consumer
    order.save(update_fields=["user"])
    order.set_status(settings.ORDER_STATUS_PAID)
    OrderNote.objects.create(order=order, user=None, message="请尽快发货")
    UserAddress.objects.create(
        user=consumer,
        first_name="小红",
        last_name="王",
        line1="凤城八路 1 号",
        line4="西安市",
        state="陕西省",
        postcode="710000",
        country=shipping_country,
        phone_number="+8613800138000",
    )
    # An open basket, so the checkout pages have something to check out.
    basket = Basket.objects.create(owner=consumer)
    basket.strategy = Selector().strategy()
    basket.add_product(listed, 1)
    wishlist = WishList.objects.create(owner=consumer, name="年货")
    wishlist.add(listed)
    ProductAlert.objects.create(user=consumer, product=listed)
    ProductReview.objects.create(
        product=listed, user=consumer, score=5, title="好吃", body="很新鲜", status=1
    )
    ProducerApplicationFactory(
        applicant=consumer, county=zhashui, status=ProducerApplication.Status.RETURNED
    )

    everything = Range.objects.create(name="全部商品", includes_all_products=True)
    offer = ConditionalOffer.objects.create(
        name="满百减十",
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(
            range=everything, type=Condition.VALUE, value=Decimal("100")
        ),
        benefit=Benefit.objects.create(range=everything, type=Benefit.FIXED, value=Decimal("10")),
    )
    voucher = Voucher.objects.create(
        name="新人券",
        code="NEW2026",
        start_datetime=timezone.now() - datetime.timedelta(days=1),
        end_datetime=timezone.now() + datetime.timedelta(days=30),
    )
    voucher.offers.add(
        ConditionalOffer.objects.create(
            name="新人券优惠",
            offer_type=ConditionalOffer.VOUCHER,
            condition=offer.condition,
            benefit=offer.benefit,
        )
    )
    method = WeightBased.objects.create(name="顺丰", default_weight=Decimal("1"))
    WeightBand.objects.create(method=method, upper_limit=Decimal("5"), charge=Decimal("12"))
    page = FlatPage.objects.create(url="/about/", title="关于我们", content="消费帮扶")
    page.sites.add(Site.objects.get_current())
    Option.objects.create(name="包装", code="packaging")
    AttributeOptionGroup.objects.create(name="等级")
    CommunicationEventType.objects.get_or_create(
        code="ORDER_PLACED", defaults={"name": "订单已提交"}
    )

    staff = UserFactory(is_staff=True)
    second_wishlist = WishList.objects.create(owner=consumer, name="送礼")
    anonymous_alert = ProductAlert.objects.create(email="guest@example.com", product=listed)
    user_alert = ProductAlert.objects.get(user=consumer)
    address = UserAddress.objects.get(user=consumer)
    Notification.objects.create(recipient=consumer, subject="订单已发货", body="请注意查收")
    Email.objects.create(user=consumer, subject="订单确认", body_text="谢谢惠顾")
    contract = accepted
    invoice = contract.invoices.get()
    line = order.lines.get()
    comms = CommunicationEventType.objects.get(code="ORDER_PLACED")
    parent = Product.objects.get(producer=producer, structure="parent")
    # A rejected catalogue import, with its problems (the status view is polled
    # by a script, the report linked from its page).
    rejected = CatalogueImportJob.objects.create(
        producer=producer,
        actor=producer_owner,
        file="catalogue-imports/x/x.csv",
        status=CatalogueImportJob.Status.REJECTED,
        errors=[[2, "价格（元）", "价格不是数字。", "price_not_number"]],
    )
    # Pages no other page links to (they are reached from emails, scripts or
    # typed-in addresses), with real ids.
    urls = [
        reverse("region-children", args=[zhashui.parent_id]),
        reverse("wishlists:detail", args=[wishlist.key]),
        reverse("customer:alerts-confirm", args=[anonymous_alert.key]),
        reverse("customer:alerts-cancel-by-key", args=[anonymous_alert.key]),
        reverse("customer:alert-create", args=[listed.pk]),
        reverse(
            "customer:anon-order",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        ),
        reverse(
            "customer:anon-order-form",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        ),
        reverse(
            "password-reset-confirm",
            args=[
                urlsafe_base64_encode(force_bytes(consumer.pk)),
                default_token_generator.make_token(consumer),
            ],
        ),
        reverse(
            "customer:address-change-status",
            kwargs={"pk": address.pk, "action": "default_for_shipping"},
        ),
        reverse("customer:wishlists-add-product", args=[listed.pk]),
        reverse("customer:wishlists-add-product", args=[wishlist.key, listed.pk]),
        reverse("customer:wishlists-create-with-product", args=[listed.pk]),
        reverse(
            "customer:wishlists-remove-product",
            kwargs={"key": wishlist.key, "product_pk": listed.pk},
        ),
        reverse(
            "customer:wishlists-move-product-to-another",
            args=[wishlist.key, wishlist.lines.get().pk, second_wishlist.key],
        ),
        reverse("catalogue:range", args=[everything.slug]),
        reverse("offer:detail", args=[offer.slug]),
        reverse("dashboard:comms-update", args=[comms.code]),
        reverse("dashboard:catalogue-product-create", args=[listed.product_class.slug]),
        reverse("dashboard:catalogue-product-create-child", args=[parent.pk]),
        reverse("dashboard:order-shipping-address", args=[order.number]),
        reverse("dashboard:order-line-detail", args=[order.number, line.pk]),
        reverse("dashboard:range-products", args=[everything.pk]),
        reverse("dashboard:range-reorder", args=[everything.pk]),
        reverse("dashboard:user-detail", args=[consumer.pk]),
        reverse("dashboard:user-password-reset", args=[consumer.pk]),
        reverse("dashboard:user-alert-update", args=[user_alert.pk]),
        reverse("dashboard:user-alert-delete", args=[user_alert.pk]),
        reverse("procurement:invoice-scan", args=[contract.pk, invoice.pk]),
        reverse("producers:certificate-scan", args=[certificate.pk]),
        reverse("producers:workspace-catalogue-import-status", args=[producer.pk, rejected.pk]),
        reverse("producers:workspace-catalogue-import-report", args=[producer.pk, rejected.pk]),
    ]
    return {
        "urls": urls,
        "users": {
            "superuser": StaffUserFactory(),
            "platform_staff": staff,
            "producer": producer_owner,
            "contract_supplier": supplier_user,
            "unit_admin": unit.admin,
            "purchaser": unit.purchaser,
            "approver": unit.approver,
            "finance": unit.finance,
            "county_reviewer": reviewer,
            "consumer": consumer,
            "anonymous": None,
        },
        "producer": producer,
        "supplier": supplier,
        "unit": unit.organisation,
        "product": listed,
        "order": order,
        "wishlist": wishlist,
    }
