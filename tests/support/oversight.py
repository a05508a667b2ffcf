"""The golden oversight programme (tests/oversight): two Shaanxi counties
(柞水县 a key-assistance county, 紫阳县 not), units in 柞水, 紫阳 and Beijing,
October of last year as the period. Shared by the figure and bulletin tests."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from oversight.periods import period_parse
from procurement import services
from procurement.models import ContractStatus, OffPlatformPurchase
from tests.factories import (
    BenefitLinkageFactory,
    ProducerFactory,
    StaffUserFactory,
    county,
    place_order,
    product_with_stock,
)
from tests.factories.procurement import (
    AnnualPlanFactory,
    Team,
    contract_in_state,
    evidence_file,
    producer_user,
)

YEAR = timezone.localdate().year - 1
OCTOBER = period_parse(f"{YEAR}-10")
NOVEMBER = period_parse(f"{YEAR}-11")


def _day(month, day):
    return datetime.date(YEAR, month, day)


@pytest.fixture
def programme():
    zhashui, ziyang, chaoyang = county("611026"), county("610924"), county("110105")
    zhashui.is_key_assistance_county = True
    zhashui.save()
    product_a = product_with_stock(stock=500, producer=ProducerFactory(county=zhashui))
    product_b = product_with_stock(stock=500, producer=ProducerFactory(county=ziyang))
    seller_a, seller_b = producer_user(product_a.producer), producer_user(product_b.producer)
    u1 = Team(region=zhashui, name="柞水县农业农村局")
    u2 = Team(region=ziyang, kind="institution", name="紫阳县中学")
    u3 = Team(region=chaoyang, name="朝阳区某局")
    soe = Team(region=chaoyang, kind="soe", name="某能源集团")
    AnnualPlanFactory(organisation=u1.organisation, year=YEAR, canteen_budget=Decimal("10000"))
    AnnualPlanFactory(
        organisation=u2.organisation,
        year=YEAR,
        canteen_budget=Decimal("8000"),
        reserve_ratio=Decimal("0.15"),
    )
    AnnualPlanFactory(organisation=u3.organisation, year=YEAR, canteen_budget=Decimal("10000"))

    october_a = contract_in_state(
        u1, product_a, 10, ContractStatus.ACCEPTED, seller=seller_a, accepted_on=_day(10, 15)
    )
    september_b = contract_in_state(
        u1, product_b, 5, ContractStatus.ACCEPTED, seller=seller_b, accepted_on=_day(9, 10)
    )
    services.payment_record(
        contract=september_b,
        actor=u1.finance,
        reference="ZZ-SEP-B",
        paid_on=_day(10, 20),
        amount=september_b.payable_amount,
    )
    contract_in_state(
        u2, product_a, 20, ContractStatus.ACCEPTED, seller=seller_a, accepted_on=_day(10, 20)
    )
    record = services.off_platform_purchase_record(
        organisation=u2.organisation,
        actor=u2.purchaser,
        channel=OffPlatformPurchase.Channel.DIRECT,
        supplier_name="紫阳县汉江富硒茶叶专业合作社",
        origin_county=ziyang,
        amount=Decimal("300"),
        purchased_on=_day(10, 5),
        category="茶叶",
        evidence=evidence_file(),
    )
    services.off_platform_purchase_verify(record=record, actor=StaffUserFactory(), approve=True)
    services.helped_sale_record(
        organisation=soe.organisation,
        actor=soe.purchaser,
        buyer_name="集团职工福利采购",
        producer=product_b.producer,
        amount=Decimal("1000"),
        sold_on=_day(10, 8),
        evidence=evidence_file(),
    )
    order = place_order(product_a)  # 2 × 39.90
    type(order).objects.filter(pk=order.pk).update(
        status=settings.ORDER_STATUS_PAID,
        date_placed=timezone.make_aware(datetime.datetime(YEAR, 10, 3, 9)),
    )
    BenefitLinkageFactory(producer=product_a.producer, year=YEAR, verified=True)
    BenefitLinkageFactory(producer=product_b.producer, year=YEAR)  # unverified: not counted
    return {
        "zhashui": zhashui,
        "ziyang": ziyang,
        "units": (u1, u2, u3, soe),
        "october_a": october_a,
        "producer_a": product_a.producer,
    }


# The national October bulletin's summary sentences over the programme above.
GOLDEN_NATIONAL = [
    # 1696.50 counted against 3,200 of targets; 304 of 365 days gone.
    "截至10月底，全国预算单位完成采购0.17万元，占年度目标53.0%，时间进度为83.3%。",
    f"{YEAR}年10月，帮扶产品销售0.26万元，其中个人消费0.01万元、单位采购0.12万元、"
    "线下采购0.03万元、国有企业帮助销售0.10万元，较上期增长1191.6%，去年同期无可比数据。",
    "流向国家乡村振兴重点帮扶县0.13万元，占49.5%。",
    "2家单位采购进度落后于时间进度，需重点督促。",
    "1家单位逾期未报送年度预留份额计划。",
    "无逾期未付合同。",
    "经核实的联农带农机制共带动脱贫户30户。",
]
