import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from marketplace.validators import normalise_uscc, validate_uscc
from partner.services import stockrecord_allocate, stockrecords_lock
from procurement.exceptions import (
    AcceptanceError,
    IllegalTransition,
    OffPlatformError,
    OrderError,
    PlanFilingError,
    ProcurementError,
    ProcurementPermissionDenied,
    SegregationOfDuties,
    SettlementError,
)
from procurement.models import (
    CONTRACT_TRANSITIONS,
    AnnualPlan,
    BuyerOrganisation,
    CanteenStatus,
    Contract,
    ContractLine,
    ContractStatus,
    ContractTransition,
    HelpedSale,
    Invoice,
    Membership,
    OffPlatformPurchase,
    OrderTransition,
    Payment,
    PaymentTerms,
    PlanRevision,
    PriceBreak,
    PurchaseOrder,
    PurchaseOrderLine,
    VerificationStatus,
    money,
)
from procurement.selectors import (
    contract_invoiced_total,
    contract_paid_total,
    membership_roles,
    plan_filing_deadline,
    reserve_ratio_minimum,
    unit_price_for_quantity,
)
from producers.models import Region
from producers.selectors import producer_is_managed_by

StockRecord = get_model("partner", "StockRecord")
Role = Membership.Role
OrderStatus = PurchaseOrder.Status


def procurement_rows_lock(*, model: type[models.Model], ids: Iterable[int]) -> dict:
    """The app's one lock helper: rows in primary-key order, so callers that need
    several rows queue for them in the same order. Call inside a transaction."""
    rows = model.objects.select_for_update().filter(pk__in=sorted(set(ids))).order_by("pk")
    return {row.pk: row for row in rows}


def _lock_one(instance):
    """The row again, locked and fresh: decisions are made on what is stored now."""
    return procurement_rows_lock(model=type(instance), ids=[instance.pk])[instance.pk]


def _notify(*, users, subject: str, body: str) -> None:
    """Email the users once the transaction commits (never for a rolled-back change)."""
    recipients = sorted({user.email for user in users if user.email})
    if recipients:
        transaction.on_commit(
            lambda: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True
            )
        )


def _members_with_role(organisation: BuyerOrganisation, role: str):
    return [m.user for m in organisation.memberships.filter(role=role).select_related("user")]


def _require_role(*, user, organisation: BuyerOrganisation, roles: Iterable[str]) -> None:
    if organisation.status != BuyerOrganisation.Status.ACTIVE:
        raise ProcurementPermissionDenied(_("该单位尚未通过平台审核，暂不能办理采购事项。"))
    if not membership_roles(user=user, organisation=organisation) & set(roles):
        raise ProcurementPermissionDenied()


def _require_producer(*, user, contract: Contract) -> None:
    if not producer_is_managed_by(producer=contract.producer, user=user):
        raise ProcurementPermissionDenied(_("只有该合同的供应商可以办理此事项。"))


def _require_staff(user) -> None:
    if not (user.is_authenticated and user.is_staff):
        raise ProcurementPermissionDenied(_("只有平台运营人员可以办理此事项。"))


# --- organisations and members -----------------------------------------------------


def _organisation_details_check(*, kind: str, uscc: str, region: Region, union_of) -> str:
    uscc = normalise_uscc(uscc)
    try:
        validate_uscc(uscc)
    except ValidationError as exc:
        raise ProcurementError(exc.messages[0]) from exc
    if BuyerOrganisation.objects.filter(uscc=uscc).exists():
        raise ProcurementError(_("该统一社会信用代码已登记过采购单位。"))
    if union_of is not None and kind != BuyerOrganisation.Kind.UNION:
        raise ProcurementError(_("只有工会可以挂靠所属单位。"))
    return uscc


@transaction.atomic
def buyer_organisation_apply(
    *,
    applicant,
    kind: str,
    name: str,
    uscc: str,
    region: Region,
    parent: BuyerOrganisation | None = None,
    union_of: BuyerOrganisation | None = None,
) -> BuyerOrganisation:
    """An application to join; the applicant becomes its admin once staff approve it."""
    uscc = _organisation_details_check(kind=kind, uscc=uscc, region=region, union_of=union_of)
    organisation = BuyerOrganisation.objects.create(
        kind=kind,
        name=name,
        uscc=uscc,
        region=region,
        parent=parent,
        union_of=union_of,
        applicant=applicant,
        status=BuyerOrganisation.Status.PENDING,
    )
    Membership.objects.create(organisation=organisation, user=applicant, role=Role.ADMIN)
    return organisation


@transaction.atomic
def buyer_organisation_review(
    *, organisation: BuyerOrganisation, actor, approve: bool
) -> BuyerOrganisation:
    _require_staff(actor)
    organisation = _lock_one(organisation)
    if organisation.status != BuyerOrganisation.Status.PENDING:
        raise IllegalTransition(_("该单位申请已处理过。"))
    organisation.status = (
        BuyerOrganisation.Status.ACTIVE if approve else BuyerOrganisation.Status.REJECTED
    )
    organisation.save(update_fields=["status", "updated_at"])
    return organisation


@transaction.atomic
def buyer_organisation_create(
    *,
    actor,
    kind: str,
    name: str,
    uscc: str,
    region: Region,
    parent: BuyerOrganisation | None = None,
    union_of: BuyerOrganisation | None = None,
    is_sample: bool = False,
) -> BuyerOrganisation:
    """Programme staff create an active unit directly."""
    _require_staff(actor)
    uscc = _organisation_details_check(kind=kind, uscc=uscc, region=region, union_of=union_of)
    return BuyerOrganisation.objects.create(
        kind=kind,
        name=name,
        uscc=uscc,
        region=region,
        parent=parent,
        union_of=union_of,
        status=BuyerOrganisation.Status.ACTIVE,
        is_sample=is_sample,
    )


@transaction.atomic
def membership_invite(
    *, organisation: BuyerOrganisation, actor, email: str, role: str
) -> Membership:
    """A unit admin adds someone by email; a new address gets an account to claim
    through password reset."""
    if not actor.is_staff:
        _require_role(user=actor, organisation=organisation, roles=[Role.ADMIN])
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User(username=email[:150], email=email)
        user.set_unusable_password()
        user.save()
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, role=role
    )
    if not created:
        raise ProcurementError(_("该用户已有这个角色。"))
    _notify(
        users=[user],
        subject=_("您已被加入采购单位“%(name)s”") % {"name": organisation.name},
        body=_(
            "您已被加入“%(name)s”，角色：%(role)s。请用本邮箱登录消费帮扶商城；"
            "如尚未设置密码，请在登录页使用“忘记密码”设置。"
        )
        % {"name": organisation.name, "role": membership.get_role_display()},
    )
    return membership


# --- annual plans -------------------------------------------------------------------


@transaction.atomic
def annual_plan_file(
    *,
    organisation: BuyerOrganisation,
    actor,
    year: int,
    canteen_status: str,
    canteen_budget: Decimal,
    reserve_ratio: Decimal,
    union_purchasing: bool = False,
    represented_by: BuyerOrganisation | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> AnnualPlan:
    """File the year's plan, or revise it before the deadline; every filing is kept."""
    _require_role(user=actor, organisation=organisation, roles=[Role.ADMIN])
    today = today or timezone.localdate()
    if organisation.kind == BuyerOrganisation.Kind.UNION:
        raise PlanFilingError(_("工会不单独填报计划，其采购计入所属单位。"))
    deadline = plan_filing_deadline(year=year)
    if today > deadline:
        raise PlanFilingError(
            _("%(year)d 年度计划的填报截止日期（%(deadline)s）已过，不能再填报或修改。")
            % {"year": year, "deadline": deadline.isoformat()}
        )
    canteen_budget = money(canteen_budget)
    if canteen_budget < 0:
        raise PlanFilingError(_("预算金额不能为负数。"))
    minimum = reserve_ratio_minimum(year=year, region=organisation.region)
    if canteen_status in (CanteenStatus.NONE, CanteenStatus.SHARED):
        # No quota of its own: no canteen, or the representative unit files for the group.
        canteen_budget = Decimal("0.00")
        reserve_ratio = minimum
    elif reserve_ratio < minimum:
        raise PlanFilingError(
            _("预留比例不得低于 %(minimum)s（%(year)d 年度本地区最低要求）。")
            % {"minimum": f"{minimum:.0%}", "year": year}
        )
    if reserve_ratio > 1:
        raise PlanFilingError(_("预留比例不能超过 100%。"))
    if canteen_status == CanteenStatus.SHARED:
        if represented_by is None or represented_by.pk == organisation.pk:
            raise PlanFilingError(_("合用食堂须选择另一个牵头填报单位。"))
        if not AnnualPlan.objects.filter(
            organisation=represented_by,
            year=year,
            canteen_status__in=[CanteenStatus.OWN, CanteenStatus.OUTSOURCED],
        ).exists():
            raise PlanFilingError(_("牵头单位尚未填报本年度的自办或外包食堂计划。"))
    else:
        represented_by = None

    plan = (
        AnnualPlan.objects.select_for_update().filter(organisation=organisation, year=year).first()
    )
    if plan is None:
        plan = AnnualPlan(organisation=organisation, year=year, filing_deadline=deadline)
    elif not reason.strip():
        raise PlanFilingError(_("修改已填报的计划时请说明修改原因。"))
    else:
        plan.revision += 1
    plan.canteen_status = canteen_status
    plan.canteen_budget = canteen_budget
    plan.reserve_ratio = reserve_ratio
    plan.union_purchasing = union_purchasing
    plan.represented_by = represented_by
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:
        raise PlanFilingError(_("同一单位同一年度只能有一份计划，请刷新后修改。")) from exc
    PlanRevision.objects.create(
        plan=plan,
        number=plan.revision,
        canteen_status=canteen_status,
        canteen_budget=canteen_budget,
        reserve_ratio=reserve_ratio,
        union_purchasing=union_purchasing,
        represented_by=represented_by,
        reason=reason.strip(),
        actor=actor,
    )
    return plan


# --- price breaks --------------------------------------------------------------------


def _require_stockrecord_owner(*, user, stockrecord) -> None:
    producer = stockrecord.product.producer
    if producer is None or not producer_is_managed_by(producer=producer, user=user):
        raise ProcurementPermissionDenied(_("只有该商品的供应商可以设置批量价格。"))


@transaction.atomic
def price_break_set(*, stockrecord, actor, min_quantity: int, unit_price: Decimal) -> PriceBreak:
    _require_stockrecord_owner(user=actor, stockrecord=stockrecord)
    unit_price = money(unit_price)
    if min_quantity < 2:
        raise OrderError(_("阶梯价的起订数量至少为 2。"))
    if unit_price <= 0 or unit_price >= stockrecord.price:
        raise OrderError(
            _("批量单价应高于 0 且低于零售价 ¥%(price)s。") % {"price": stockrecord.price}
        )
    price_break, _created = PriceBreak.objects.update_or_create(
        stockrecord=stockrecord, min_quantity=min_quantity, defaults={"unit_price": unit_price}
    )
    return price_break


@transaction.atomic
def price_break_remove(*, price_break: PriceBreak, actor) -> None:
    _require_stockrecord_owner(user=actor, stockrecord=price_break.stockrecord)
    price_break.delete()


# --- purchase orders ------------------------------------------------------------------


def _order_transition(*, order: PurchaseOrder, to: str, actor, reason: str = "") -> None:
    OrderTransition.objects.create(
        order=order, from_status=order.status, to_status=to, actor=actor, reason=reason
    )
    order.status = to


@transaction.atomic
def purchase_order_create(
    *,
    organisation: BuyerOrganisation,
    purchaser,
    delivery_address: str,
    requested_delivery_date: datetime.date,
    payment_terms: str,
) -> PurchaseOrder:
    _require_role(user=purchaser, organisation=organisation, roles=[Role.PURCHASER])
    if requested_delivery_date < timezone.localdate():
        raise OrderError(_("要求到货日期不能早于今天。"))
    if payment_terms not in PaymentTerms.values:
        raise OrderError(_("请选择付款方式。"))
    order = PurchaseOrder.objects.create(
        organisation=organisation,
        # A unique placeholder until the primary key gives the real number.
        number=f"TMP-{uuid.uuid4().hex[:24]}",
        purchaser=purchaser,
        delivery_address=delivery_address.strip(),
        requested_delivery_date=requested_delivery_date,
        payment_terms=payment_terms,
    )
    order.number = f"CG{timezone.localdate():%Y%m%d}{order.pk:06d}"
    order.save(update_fields=["number"])
    OrderTransition.objects.create(order=order, to_status=order.status, actor=purchaser)
    return order


def _require_draft(order: PurchaseOrder) -> None:
    if order.status != OrderStatus.DRAFT:
        raise IllegalTransition(_("采购单已提交，不能再修改。"))


@transaction.atomic
def purchase_order_line_set(
    *, order: PurchaseOrder, actor, stockrecord, quantity: int
) -> PurchaseOrderLine | None:
    """Set a product's quantity on a draft order; zero removes the line."""
    order = _lock_one(order)
    _require_role(user=actor, organisation=order.organisation, roles=[Role.PURCHASER])
    _require_draft(order)
    if quantity < 0:
        raise OrderError(_("数量不能为负数。"))
    product = stockrecord.product
    if (
        not product.is_public
        or not product.is_approved
        or product.producer_id is None
        or stockrecord.price is None
    ):
        raise OrderError(_("该商品暂不可采购。"))
    if quantity == 0:
        order.lines.filter(stockrecord=stockrecord).delete()
        return None
    line, _created = PurchaseOrderLine.objects.update_or_create(
        order=order, stockrecord=stockrecord, defaults={"product": product, "quantity": quantity}
    )
    return line


@transaction.atomic
def purchase_order_submit(*, order: PurchaseOrder, actor) -> PurchaseOrder:
    """Send for approval, locking each line's unit price (price breaks applied)."""
    order = _lock_one(order)
    _require_role(user=actor, organisation=order.organisation, roles=[Role.PURCHASER])
    _require_draft(order)
    lines = list(order.lines.select_related("stockrecord"))
    if not lines:
        raise OrderError(_("采购单中还没有商品。"))
    for line in lines:
        line.unit_price = unit_price_for_quantity(
            stockrecord=line.stockrecord, quantity=line.quantity
        )
        line.save(update_fields=["unit_price"])
    _order_transition(order=order, to=OrderStatus.SUBMITTED, actor=actor)
    order.submitted_at = timezone.now()
    order.save(update_fields=["status", "submitted_at", "updated_at"])
    approvers = [u for u in _members_with_role(order.organisation, Role.APPROVER) if u != actor]
    _notify(
        users=approvers,
        subject=_("采购单 %(number)s 待您审批") % {"number": order.number},
        body=_("%(unit)s 的采购单 %(number)s 已提交，请登录消费帮扶商城审批。")
        % {"unit": order.organisation.name, "number": order.number},
    )
    return order


def _contracts_create(*, order: PurchaseOrder, actor) -> list[Contract]:
    by_producer = defaultdict(list)
    for line in order.lines.select_related("product__producer").order_by("pk"):
        by_producer[line.product.producer].append(line)
    counting_unit_id = order.organisation.counting_unit_id
    contracts = []
    for index, (producer, lines) in enumerate(
        sorted(by_producer.items(), key=lambda item: item[0].pk), start=1
    ):
        contract = Contract.objects.create(
            order=order,
            organisation=order.organisation,
            counting_unit_id=counting_unit_id,
            producer=producer,
            number=f"HT{order.number[2:]}-{index:02d}",
            payment_terms=order.payment_terms,
            goods_amount=sum(
                (money(line.quantity * line.unit_price) for line in lines), Decimal(0)
            ),
            payment_days=settings.PROCUREMENT_PAYMENT_DAYS,
            daily_interest_rate=settings.PROCUREMENT_DAILY_LATE_INTEREST,
        )
        ContractLine.objects.bulk_create(
            ContractLine(
                contract=contract,
                order_line=line,
                stockrecord_id=line.stockrecord_id,
                product_id=line.product_id,
                quantity=line.quantity,
                unit_price=line.unit_price,
            )
            for line in lines
        )
        ContractTransition.objects.create(
            contract=contract, to_status=contract.status, actor=actor, reason=_("采购单审批通过")
        )
        contracts.append(contract)
    return contracts


@transaction.atomic
def purchase_order_decide(
    *, order: PurchaseOrder, actor, approve: bool, reason: str = ""
) -> PurchaseOrder:
    """Approve (one contract per producer) or reject; never by the order's purchaser."""
    order = _lock_one(order)
    _require_role(user=actor, organisation=order.organisation, roles=[Role.APPROVER])
    if order.purchaser_id == actor.pk:
        raise SegregationOfDuties()
    if order.status != OrderStatus.SUBMITTED:
        raise IllegalTransition(_("只有待审批的采购单可以审批。"))
    if not approve and not reason.strip():
        raise OrderError(_("退回采购单时请说明原因。"))
    _order_transition(
        order=order,
        to=OrderStatus.APPROVED if approve else OrderStatus.REJECTED,
        actor=actor,
        reason=reason.strip(),
    )
    order.approver = actor
    order.decided_at = timezone.now()
    order.save(update_fields=["status", "approver", "decided_at", "updated_at"])
    _notify(
        users=[order.purchaser],
        subject=_("采购单 %(number)s 审批结果：%(status)s")
        % {"number": order.number, "status": order.get_status_display()},
        body=reason.strip() or _("采购单已审批通过，已按供应商生成合同。"),
    )
    if approve:
        for contract in _contracts_create(order=order, actor=actor):
            _notify(
                users=contract.producer.partner.users.all(),
                subject=_("新的采购合同 %(number)s 待确认") % {"number": contract.number},
                body=_(
                    "%(unit)s 向贵单位下达采购合同 %(number)s，金额 ¥%(amount)s，请登录确认或拒绝。"
                )
                % {
                    "unit": order.organisation.name,
                    "number": contract.number,
                    "amount": contract.goods_amount,
                },
            )
    return order


# --- contracts ----------------------------------------------------------------------------


def _contract_transition(*, contract: Contract, to: str, actor, reason: str = "") -> None:
    if to not in CONTRACT_TRANSITIONS[ContractStatus(contract.status)]:
        raise IllegalTransition(
            _("合同当前为“%(current)s”，不能变为“%(target)s”。")
            % {
                "current": contract.get_status_display(),
                "target": ContractStatus(to).label,
            }
        )
    ContractTransition.objects.create(
        contract=contract, from_status=contract.status, to_status=to, actor=actor, reason=reason
    )
    contract.status = to


@transaction.atomic
def contract_freight_set(*, contract: Contract, actor, freight: Decimal) -> Contract:
    contract = _lock_one(contract)
    _require_producer(user=actor, contract=contract)
    if contract.status != ContractStatus.AWAITING:
        raise IllegalTransition(_("合同确认后不能再调整运费。"))
    freight = money(freight)
    if freight < 0:
        raise ProcurementError(_("运费不能为负数。"))
    if freight != contract.freight:
        ContractTransition.objects.create(
            contract=contract,
            from_status=contract.status,
            to_status=contract.status,
            actor=actor,
            reason=_("运费由 ¥%(old)s 调整为 ¥%(new)s") % {"old": contract.freight, "new": freight},
        )
    contract.freight = freight
    contract.save(update_fields=["freight", "updated_at"])
    return contract


@transaction.atomic
def contract_confirm(*, contract: Contract, actor) -> Contract:
    """The producer confirms; its stock is allocated under the same row locks as
    consumer orders (partner.services), so nobody oversells."""
    contract = _lock_one(contract)
    _require_producer(user=actor, contract=contract)
    _contract_transition(contract=contract, to=ContractStatus.CONFIRMED, actor=actor)
    lines = list(contract.lines.order_by("stockrecord_id"))
    stockrecords_lock(ids=[line.stockrecord_id for line in lines])
    for line in lines:
        # Raises InsufficientStock, which rolls the whole confirmation back.
        stockrecord_allocate(stockrecord_id=line.stockrecord_id, quantity=line.quantity)
    contract.save(update_fields=["status", "updated_at"])
    return contract


@transaction.atomic
def contract_decline(*, contract: Contract, actor, reason: str) -> Contract:
    contract = _lock_one(contract)
    _require_producer(user=actor, contract=contract)
    if not reason.strip():
        raise ProcurementError(_("拒绝合同时请说明原因。"))
    _contract_transition(
        contract=contract, to=ContractStatus.DECLINED, actor=actor, reason=reason.strip()
    )
    contract.save(update_fields=["status", "updated_at"])
    return contract


@transaction.atomic
def contract_ship(*, contract: Contract, actor, carrier: str, tracking_number: str) -> Contract:
    """Shipping turns the allocation into goods out of stock."""
    contract = _lock_one(contract)
    _require_producer(user=actor, contract=contract)
    if not carrier.strip() or not tracking_number.strip():
        raise ProcurementError(_("请填写承运商和运单号。"))
    _contract_transition(contract=contract, to=ContractStatus.SHIPPED, actor=actor)
    lines = list(contract.lines.order_by("stockrecord_id"))
    stockrecords_lock(ids=[line.stockrecord_id for line in lines])
    for line in lines:
        StockRecord.objects.filter(pk=line.stockrecord_id).update(
            num_in_stock=F("num_in_stock") - line.quantity,
            num_allocated=F("num_allocated") - line.quantity,
        )
    contract.carrier = carrier.strip()
    contract.tracking_number = tracking_number.strip()
    contract.save(update_fields=["status", "carrier", "tracking_number", "updated_at"])
    _notify(
        users=_members_with_role(contract.organisation, Role.PURCHASER),
        subject=_("合同 %(number)s 已发货，请验收") % {"number": contract.number},
        body=_("%(producer)s 已通过 %(carrier)s 发货（运单号 %(tracking)s），到货后请登录验收。")
        % {
            "producer": contract.producer.name,
            "carrier": contract.carrier,
            "tracking": contract.tracking_number,
        },
    )
    return contract


@dataclass(frozen=True)
class LineAcceptance:
    line_id: int
    received: int
    accepted: int
    notes: str = ""


@transaction.atomic
def contract_accept(
    *,
    contract: Contract,
    actor,
    lines: list[LineAcceptance],
    rating: int,
    notes: str = "",
    today: datetime.date | None = None,
) -> Contract:
    """验收: per line received and accepted quantities (the rest of what arrived is
    rejected); the accepted amount is what counts and what is owed."""
    contract = _lock_one(contract)
    _require_role(
        user=actor, organisation=contract.organisation, roles=[Role.PURCHASER, Role.ADMIN]
    )
    today = today or timezone.localdate()
    by_id = {line.pk: line for line in contract.lines.all()}
    given = {item.line_id: item for item in lines}
    if set(given) != set(by_id):
        raise AcceptanceError(_("请逐行填写每个商品的验收数量。"))
    if not 1 <= rating <= 5:
        raise AcceptanceError(_("请给供应商打 1–5 分。"))
    _contract_transition(
        contract=contract, to=ContractStatus.ACCEPTED, actor=actor, reason=notes.strip()
    )
    accepted_amount = Decimal("0.00")
    for line_id, line in by_id.items():
        item = given[line_id]
        if item.received < 0 or item.accepted < 0:
            raise AcceptanceError(_("数量不能为负数。"))
        if item.received > line.quantity:
            raise AcceptanceError(
                _("“%(product)s”实收数量不能超过合同数量 %(quantity)d。")
                % {"product": line.product.get_title(), "quantity": line.quantity}
            )
        if item.accepted > item.received:
            raise AcceptanceError(
                _("“%(product)s”验收合格数量不能超过实收数量。")
                % {"product": line.product.get_title()}
            )
        line.received_quantity = item.received
        line.accepted_quantity = item.accepted
        line.rejected_quantity = item.received - item.accepted
        line.notes = item.notes.strip()
        line.save(
            update_fields=["received_quantity", "accepted_quantity", "rejected_quantity", "notes"]
        )
        accepted_amount += line.accepted_amount
    contract.accepted_on = today
    contract.accepted_amount = accepted_amount
    contract.due_date = today + datetime.timedelta(days=contract.payment_days)
    contract.rating = rating
    contract.acceptance_notes = notes.strip()
    contract.save()
    _settle_if_paid(contract=contract, actor=actor)
    return contract


def _settle_if_paid(*, contract: Contract, actor) -> None:
    if contract.status != ContractStatus.ACCEPTED:
        return
    if contract_paid_total(contract=contract) >= contract.payable_amount:
        _contract_transition(
            contract=contract, to=ContractStatus.SETTLED, actor=actor, reason=_("款项已付清")
        )
        contract.save(update_fields=["status", "updated_at"])


def _amount_cap(contract: Contract) -> Decimal:
    if contract.payable_amount is not None:
        return contract.payable_amount
    return contract.goods_amount + contract.freight


@transaction.atomic
def contract_payment_days_set(*, contract: Contract, actor, days: int, daily_interest_rate=None):
    """Agreed terms, before the producer confirms: at most the configured maximum."""
    contract = _lock_one(contract)
    _require_role(user=actor, organisation=contract.organisation, roles=[Role.FINANCE, Role.ADMIN])
    if contract.status != ContractStatus.AWAITING:
        raise IllegalTransition(_("合同确认后不能再修改付款条件。"))
    if not 0 <= days <= settings.PROCUREMENT_PAYMENT_DAYS_MAX:
        raise SettlementError(
            _("付款期限最长为验收后 %(days)d 天。")
            % {"days": settings.PROCUREMENT_PAYMENT_DAYS_MAX}
        )
    contract.payment_days = days
    if daily_interest_rate is not None:
        if daily_interest_rate < 0:
            raise SettlementError(_("逾期日利率不能为负数。"))
        contract.daily_interest_rate = daily_interest_rate
    ContractTransition.objects.create(
        contract=contract,
        from_status=contract.status,
        to_status=contract.status,
        actor=actor,
        reason=_("付款条件：验收后 %(days)d 天，逾期日利率 %(rate)s")
        % {"days": days, "rate": contract.daily_interest_rate},
    )
    contract.save(update_fields=["payment_days", "daily_interest_rate", "updated_at"])
    return contract


@transaction.atomic
def invoice_record(
    *, contract: Contract, actor, number: str, issued_on: datetime.date, amount: Decimal, scan
) -> Invoice:
    contract = _lock_one(contract)
    _require_producer(user=actor, contract=contract)
    if contract.status in (ContractStatus.AWAITING, ContractStatus.DECLINED):
        raise IllegalTransition(_("合同确认后才能登记发票。"))
    amount = money(amount)
    if amount <= 0:
        raise SettlementError(_("发票金额应大于 0。"))
    if contract_invoiced_total(contract=contract) + amount > _amount_cap(contract):
        raise SettlementError(
            _("发票累计金额不能超过合同应付金额 ¥%(cap)s。") % {"cap": _amount_cap(contract)}
        )
    if contract.invoices.filter(number=number.strip()).exists():
        raise SettlementError(_("该发票号码已登记。"))
    return Invoice.objects.create(
        contract=contract,
        number=number.strip(),
        issued_on=issued_on,
        amount=amount,
        scan=scan,
        recorded_by=actor,
    )


@transaction.atomic
def payment_record(
    *, contract: Contract, actor, reference: str, paid_on: datetime.date, amount: Decimal
) -> Payment:
    """Finance records a transfer; pay-first contracts are paid before delivery,
    goods-first ones after acceptance. Paying in full settles an accepted contract."""
    contract = _lock_one(contract)
    _require_role(user=actor, organisation=contract.organisation, roles=[Role.FINANCE])
    allowed = (
        (ContractStatus.CONFIRMED, ContractStatus.SHIPPED, ContractStatus.ACCEPTED)
        if contract.payment_terms == PaymentTerms.PAY_FIRST
        else (ContractStatus.ACCEPTED,)
    )
    if contract.status not in allowed:
        raise IllegalTransition(
            _("“%(terms)s”的合同在“%(status)s”状态下不能登记付款。")
            % {
                "terms": contract.get_payment_terms_display(),
                "status": contract.get_status_display(),
            }
        )
    amount = money(amount)
    if amount <= 0:
        raise SettlementError(_("付款金额应大于 0。"))
    if paid_on > timezone.localdate():
        raise SettlementError(_("付款日期不能晚于今天。"))
    cap = _amount_cap(contract)
    if contract_paid_total(contract=contract) + amount > cap:
        raise SettlementError(_("累计付款不能超过合同应付金额 ¥%(cap)s。") % {"cap": cap})
    if contract.payments.filter(reference=reference.strip()).exists():
        raise SettlementError(_("该转账流水号已登记。"))
    payment = Payment.objects.create(
        contract=contract,
        reference=reference.strip(),
        paid_on=paid_on,
        amount=amount,
        recorded_by=actor,
    )
    _settle_if_paid(contract=contract, actor=actor)
    return payment


# --- off-platform purchases and helped sales --------------------------------------------


@transaction.atomic
def off_platform_purchase_record(
    *,
    organisation: BuyerOrganisation,
    actor,
    channel: str,
    supplier_name: str,
    origin_county: Region,
    amount: Decimal,
    purchased_on: datetime.date,
    category: str,
    evidence,
    corrects: OffPlatformPurchase | None = None,
    correction_reason: str = "",
) -> OffPlatformPurchase:
    """A new record; a correction is a new record pointing at the one it corrects."""
    _require_role(user=actor, organisation=organisation, roles=[Role.PURCHASER, Role.ADMIN])
    if origin_county.level != Region.Level.COUNTY:
        raise OffPlatformError(_("产地必须是县级行政区划。"))
    amount = money(amount)
    if amount <= 0:
        raise OffPlatformError(_("金额应大于 0。"))
    if purchased_on > timezone.localdate():
        raise OffPlatformError(_("采购日期不能晚于今天。"))
    if corrects is not None:
        corrects = _lock_one(corrects)
        if corrects.organisation_id != organisation.pk:
            raise ProcurementPermissionDenied()
        if not correction_reason.strip():
            raise OffPlatformError(_("更正记录时请说明原因。"))
        if corrects.corrections.exclude(status=VerificationStatus.REJECTED).exists():
            raise OffPlatformError(_("该记录已有更正记录，请更正最新的那一条。"))
    return OffPlatformPurchase.objects.create(
        organisation=organisation,
        channel=channel,
        supplier_name=supplier_name.strip(),
        origin_county=origin_county,
        amount=amount,
        purchased_on=purchased_on,
        category=category.strip(),
        evidence=evidence,
        corrects=corrects,
        correction_reason=correction_reason.strip(),
        recorded_by=actor,
    )


@transaction.atomic
def off_platform_purchase_verify(
    *, record: OffPlatformPurchase, actor, approve: bool, note: str = ""
) -> OffPlatformPurchase:
    _require_staff(actor)
    record = _lock_one(record)
    if record.status != VerificationStatus.PENDING:
        raise IllegalTransition(_("该记录已核实过。"))
    if not approve and not note.strip():
        raise OffPlatformError(_("不予核实时请说明原因。"))
    record.status = VerificationStatus.VERIFIED if approve else VerificationStatus.REJECTED
    record.verified_by = actor
    record.verified_at = timezone.now()
    record.verification_note = note.strip()
    record.save(
        update_fields=["status", "verified_by", "verified_at", "verification_note", "updated_at"]
    )
    return record


@transaction.atomic
def helped_sale_record(
    *,
    organisation: BuyerOrganisation,
    actor,
    buyer_name: str,
    producer,
    amount: Decimal,
    sold_on: datetime.date,
    evidence,
) -> HelpedSale:
    _require_role(user=actor, organisation=organisation, roles=[Role.PURCHASER, Role.ADMIN])
    if organisation.kind != BuyerOrganisation.Kind.SOE:
        raise ProcurementError(_("帮助销售额只由国有企业填报。"))
    amount = money(amount)
    if amount <= 0:
        raise ProcurementError(_("金额应大于 0。"))
    if sold_on > timezone.localdate():
        raise ProcurementError(_("销售日期不能晚于今天。"))
    return HelpedSale.objects.create(
        organisation=organisation,
        buyer_name=buyer_name.strip(),
        producer=producer,
        amount=amount,
        sold_on=sold_on,
        evidence=evidence,
        recorded_by=actor,
    )
