"""Procurement's domain errors: one class per rule, each with a stable ``code``.

The category classes (``PlanFilingError``, ``OrderError``, …) are what views
and tests catch; the leaves say which rule refused.
"""

from django.utils.translation import gettext_lazy as _

from common import workflow
from common.exceptions import DomainError


class ProcurementError(DomainError):
    """Base class for procurement domain errors; ``str()`` is a message for people."""

    code = "procurement_error"


class ProcurementPermissionDenied(ProcurementError, workflow.TransitionNotPermitted):
    """The user has no role in this unit that allows the step."""

    code = "procurement_permission_denied"
    message = _("您在该单位没有办理此事项的权限。")


class OrganisationNotActive(ProcurementPermissionDenied):
    code = "organisation_not_active"
    message = _("该单位尚未通过平台审核，暂不能办理采购事项。")


class ContractProducerOnly(ProcurementPermissionDenied):
    code = "contract_producer_only"
    message = _("只有该合同的供应商可以办理此事项。")


class ContractAmendmentNotBuyer(ProcurementPermissionDenied):
    code = "contract_amendment_not_buyer"
    message = _("只有采购单位的采购人可以同意或不同意合同变更。")


class ContractCancelPartyOnly(ProcurementPermissionDenied):
    code = "contract_cancel_party_only"
    message = _("只有采购单位的采购人、单位管理员或该合同的供应商可以办理协议解除。")


class ProcurementStaffOnly(ProcurementPermissionDenied):
    code = "procurement_staff_only"
    message = _("只有平台运营人员可以办理此事项。")


class PriceBreakProducerOnly(ProcurementPermissionDenied):
    code = "price_break_producer_only"
    message = _("只有该商品的供应商可以设置批量价格。")


class IllegalTransition(ProcurementError, workflow.IllegalTransition):
    """The requested state change is not allowed from the current state."""

    code = "procurement_state_not_allowed"
    message = _("当前状态下不能进行此操作。")


class ContractTransitionNotAllowed(IllegalTransition):
    code = "contract_transition_not_allowed"
    message = _("合同当前为“%(current)s”，不能变为“%(target)s”。")


class ContractFreightLocked(IllegalTransition):
    code = "contract_freight_locked"
    message = _("合同确认后不能再调整运费。")


class ContractAmendmentNotPending(IllegalTransition):
    code = "contract_amendment_not_pending"
    message = _("该变更申请已处理或已撤回。")


class ContractCancelState(IllegalTransition):
    """procurement.rules.contract_cancel_refusal: only a confirmed contract, not
    yet shipped, may be ended by agreement."""

    code = "contract_cancel_state"
    message = _("只有已确认、尚未发货的合同可以协议解除。")


class ContractCancelPaid(IllegalTransition):
    code = "contract_cancel_paid"
    message = _("该合同已登记付款，不能协议解除；请双方先处理已付款项。")


class ContractCancelNotPending(IllegalTransition):
    code = "contract_cancel_not_pending"
    message = _("该解除提议已答复或已撤回。")


class PaymentTermsLocked(IllegalTransition):
    code = "payment_terms_locked"
    message = _("合同确认后不能再修改付款条件。")


class InvoiceBeforeConfirmation(IllegalTransition):
    code = "invoice_before_confirmation"
    message = _("合同确认后才能登记发票。")


class PaymentNotAllowedInStatus(IllegalTransition):
    """Pay-first contracts are paid once confirmed, goods-first ones once accepted."""

    code = "payment_not_allowed_in_status"
    message = _("“%(terms)s”的合同在“%(status)s”状态下不能登记付款。")


class OrderStockShort(ProcurementError):
    code = "order_stock_short"
    message = _(
        "“%(product)s”订购 %(quantity)s 件，供应商现可售 %(available)s 件。"
        "请减少数量，或将该行标为“预订”（供应商补足库存后才能确认合同）。"
    )


class OrderNotDraft(IllegalTransition):
    code = "order_not_draft"
    message = _("采购单已提交，不能再修改。")


class OrderNotSubmitted(IllegalTransition):
    code = "order_not_submitted"
    message = _("只有待审批的采购单可以审批。")


class OrganisationAlreadyDecided(IllegalTransition):
    code = "organisation_already_decided"
    message = _("该单位申请已处理过。")


class OrganisationNotWithdrawable(IllegalTransition):
    code = "organisation_not_withdrawable"
    message = _("只有待审核的申请可以撤回。")


class UsccContestAlreadyResolved(IllegalTransition):
    code = "uscc_contest_already_resolved"
    message = _("该申诉已处理过。")


class OffPlatformAlreadyVerified(IllegalTransition):
    code = "off_platform_already_verified"
    message = _("该记录已核实过。")


class SegregationOfDuties(ProcurementError):
    """The purchaser of an order may not approve it."""

    code = "segregation_of_duties"
    message = _("采购人不能审批自己提交的采购单，请由本单位其他审批人审批。")


class OrganisationNameInvalid(ProcurementError):
    """A unit name is one line of text: it goes into e-mail subjects."""

    code = "organisation_name_invalid"
    message = _("名称中不能含有换行符或其他控制字符。")


class OrganisationUsccInvalid(ProcurementError):
    """The validator's own sentence says what is wrong; this is its fallback."""

    code = "organisation_uscc_invalid"
    message = _("统一社会信用代码无效。")


class OrganisationUsccTaken(ProcurementError):
    code = "organisation_uscc_taken"
    message = _(
        "该统一社会信用代码已有单位入驻或正在审核。若这是贵单位的代码而贵单位从未申请，请提交代码申诉，由平台运营人员核实处理。"
    )


class UsccContestError(ProcurementError):
    """A claim on a held credit code (代码申诉) that cannot be filed or decided."""

    code = "uscc_contest_error"


class UsccContestNotHeld(UsccContestError):
    code = "uscc_contest_not_held"
    message = _("该统一社会信用代码目前未被占用，可直接提交入驻申请。")


class UsccContestOwnUnit(UsccContestError):
    code = "uscc_contest_own_unit"
    message = _("您已是占用该代码的单位的成员，无需申诉；如有疑问请联系本单位管理员。")


class UsccContestDuplicate(UsccContestError):
    code = "uscc_contest_duplicate"
    message = _("您对该代码的申诉正在处理中，请勿重复提交。")


class UsccContestNoteRequired(UsccContestError):
    code = "uscc_contest_note_required"
    message = _("请填写处理意见，申诉人和占用单位都会看到它。")


class UnionOfNotUnion(ProcurementError):
    code = "organisation_union_of_not_union"
    message = _("只有工会可以挂靠所属单位。")


class MembershipRoleExists(ProcurementError):
    code = "membership_role_exists"
    message = _("该用户已有这个角色。")


class PlanFilingError(ProcurementError):
    """An annual plan breaks a filing rule (ratio below the minimum, deadline passed, …)."""

    code = "plan_filing_error"


class PlanFiledByUnion(PlanFilingError):
    code = "plan_filed_by_union"
    message = _("工会不单独填报计划，其采购计入所属单位。")


class PlanDeadlinePassed(PlanFilingError):
    code = "plan_deadline_passed"
    message = _("%(year)d 年度计划的填报截止日期（%(deadline)s）已过，不能再填报或修改。")


class PlanBudgetNegative(PlanFilingError):
    code = "plan_budget_negative"
    message = _("预算金额不能为负数。")


class PlanRatioBelowMinimum(PlanFilingError):
    code = "plan_ratio_below_minimum"
    message = _("预留比例不得低于 %(minimum)s（%(year)d 年度本地区最低要求）。")


class PlanRatioAboveMaximum(PlanFilingError):
    code = "plan_ratio_above_maximum"
    message = _("预留比例不能超过 100%。")


class PlanRepresentativeRequired(PlanFilingError):
    code = "plan_representative_required"
    message = _("合用食堂须选择另一个牵头填报单位。")


class PlanRepresentativeNotFiled(PlanFilingError):
    code = "plan_representative_not_filed"
    message = _("牵头单位尚未填报本年度的自办或外包食堂计划。")


class PlanRevisionReasonRequired(PlanFilingError):
    code = "plan_revision_reason_required"
    message = _("修改已填报的计划时请说明修改原因。")


class PlanAlreadyFiled(PlanFilingError):
    code = "plan_already_filed"
    message = _("同一单位同一年度只能有一份计划，请刷新后修改。")


class OrderError(ProcurementError):
    """A purchase order cannot be built or submitted as asked."""

    code = "order_error"


class OrderDeliveryDateInPast(OrderError):
    code = "order_delivery_date_in_past"
    message = _("要求到货日期不能早于今天。")


class OrderPaymentTermsRequired(OrderError):
    code = "order_payment_terms_required"
    message = _("请选择付款方式。")


class OrderQuantityNegative(OrderError):
    code = "order_quantity_negative"
    message = _("数量不能为负数。")


class OrderProductUnavailable(OrderError):
    code = "order_product_unavailable"
    message = _("该商品暂不可采购。")


class OrderEmpty(OrderError):
    code = "order_empty"
    message = _("采购单中还没有商品。")


class OrderRejectReasonRequired(OrderError, workflow.ReasonRequired):
    code = "order_reject_reason_required"
    message = _("退回采购单时请说明原因。")


class PriceBreakMinQuantity(OrderError):
    code = "price_break_min_quantity"
    message = _("阶梯价的起订数量至少为 2。")


class PriceBreakPriceOutOfRange(OrderError):
    code = "price_break_price_out_of_range"
    message = _("批量单价应高于 0 且低于零售价 ¥%(price)s。")


class ContractFreightNegative(ProcurementError):
    code = "contract_freight_negative"
    message = _("运费不能为负数。")


class ContractFreightOverLimit(ProcurementError):
    """procurement.rules.freight_limit_for: a configured cap and share of the goods."""

    code = "contract_freight_over_limit"
    message = _("运费不能超过 ¥%(limit)s：运费最多为货款金额的 %(share)s，且不超过 ¥%(cap)s。")


class ContractAmendmentError(ProcurementError):
    """A change to an approved contract cannot be asked for as given."""

    code = "contract_amendment_error"


class ContractAmendmentPending(ContractAmendmentError):
    code = "contract_amendment_pending"
    message = _(
        "该合同有一项变更申请正等待采购人确认：采购人处理或供应商撤回之前，不能再申请变更或确认合同。"
    )


class ContractAmendmentReasonRequired(ContractAmendmentError):
    code = "contract_amendment_reason_required"
    message = _("申请变更合同时请说明理由。")


class ContractAmendmentUnchanged(ContractAmendmentError):
    code = "contract_amendment_unchanged"
    message = _("申请的数值与合同现行约定相同，无需变更。")


class ContractDeclineReasonRequired(ProcurementError, workflow.ReasonRequired):
    code = "contract_decline_reason_required"
    message = _("拒绝合同时请说明原因。")


class ContractCancelError(ProcurementError):
    """A proposal to end a contract by agreement cannot be made or answered as given."""

    code = "contract_cancel_error"


class ContractCancelPending(ContractCancelError):
    code = "contract_cancel_pending"
    message = _("该合同有一项协议解除提议正等待答复：答复或撤回之前，不能再次提出或发货。")


class ContractCancelReasonRequired(ContractCancelError):
    code = "contract_cancel_reason_required"
    message = _("提出协议解除时请说明理由。")


class ContractCancelOwnProposal(ContractCancelError):
    """The proposing side cannot answer its own proposal: the other party must."""

    code = "contract_cancel_own_proposal"
    message = _("解除提议由您一方提出，须由合同另一方同意或不同意。")


class ContractCancelNotProposer(ContractCancelError):
    code = "contract_cancel_not_proposer"
    message = _("只有提出解除的一方可以撤回提议；您可以同意或不同意。")


class ContractShippingDetailsRequired(ProcurementError):
    code = "contract_shipping_details_required"
    message = _("请填写承运商和运单号。")


class AcceptanceError(ProcurementError):
    """Acceptance figures do not add up."""

    code = "acceptance_error"


class AcceptanceLinesIncomplete(AcceptanceError):
    code = "acceptance_lines_incomplete"
    message = _("请逐行填写每个商品的验收数量。")


class AcceptanceRatingOutOfRange(AcceptanceError):
    code = "acceptance_rating_out_of_range"
    message = _("请给供应商打 1–5 分。")


class AcceptanceQuantityNegative(AcceptanceError):
    code = "acceptance_quantity_negative"
    message = _("数量不能为负数。")


class AcceptanceReceivedAboveContract(AcceptanceError):
    code = "acceptance_received_above_contract"
    message = _("“%(product)s”实收数量不能超过合同数量 %(quantity)d。")


class AcceptanceAcceptedAboveReceived(AcceptanceError):
    code = "acceptance_accepted_above_received"
    message = _("“%(product)s”验收合格数量不能超过实收数量。")


class SettlementError(ProcurementError):
    """An invoice or payment cannot be recorded as asked."""

    code = "settlement_error"


class PaymentDaysOutOfRange(SettlementError):
    code = "payment_days_out_of_range"
    message = _("付款期限应为验收后 %(min)d 至 %(max)d 天。")


class InterestRateNegative(SettlementError):
    code = "interest_rate_negative"
    message = _("逾期日利率不能为负数。")


class InvoiceAmountNotPositive(SettlementError):
    code = "invoice_amount_not_positive"
    message = _("发票金额应大于 0。")


class InvoiceTotalAboveContract(SettlementError):
    code = "invoice_total_above_contract"
    message = _("发票累计金额不能超过合同应付金额 ¥%(cap)s。")


class InvoiceNumberTaken(SettlementError):
    code = "invoice_number_taken"
    message = _("该发票号码已登记。")


class PaymentAmountNotPositive(SettlementError):
    code = "payment_amount_not_positive"
    message = _("付款金额应大于 0。")


class PaymentDateInFuture(SettlementError):
    code = "payment_date_in_future"
    message = _("付款日期不能晚于今天。")


class PaymentTotalAboveContract(SettlementError):
    code = "payment_total_above_contract"
    message = _("累计付款不能超过合同应付金额 ¥%(cap)s。")


class PaymentReferenceTaken(SettlementError):
    code = "payment_reference_taken"
    message = _("该转账流水号已登记。")


class OffPlatformError(ProcurementError):
    """An off-platform purchase or its correction cannot be recorded or verified as asked."""

    code = "off_platform_error"


class OffPlatformOriginNotCounty(OffPlatformError):
    code = "off_platform_origin_not_county"
    message = _("产地必须是县级行政区划。")


class OffPlatformAmountNotPositive(OffPlatformError):
    code = "off_platform_amount_not_positive"
    message = _("金额应大于 0。")


class OffPlatformDateInFuture(OffPlatformError):
    code = "off_platform_date_in_future"
    message = _("采购日期不能晚于今天。")


class OffPlatformCorrectionReasonRequired(OffPlatformError):
    code = "off_platform_correction_reason_required"
    message = _("更正记录时请说明原因。")


class OffPlatformAlreadyCorrected(OffPlatformError):
    code = "off_platform_already_corrected"
    message = _("该记录已有更正记录，请更正最新的那一条。")


class OffPlatformRejectNoteRequired(OffPlatformError):
    code = "off_platform_reject_note_required"
    message = _("不予核实时请说明原因。")


class HelpedSaleSoeOnly(ProcurementError):
    code = "helped_sale_soe_only"
    message = _("帮助销售额只由国有企业填报。")


class HelpedSaleAmountNotPositive(ProcurementError):
    code = "helped_sale_amount_not_positive"
    message = _("金额应大于 0。")


class HelpedSaleDateInFuture(ProcurementError):
    code = "helped_sale_date_in_future"
    message = _("销售日期不能晚于今天。")


class RefundError(ProcurementError):
    """Recording a producer's refund of an overpaid contract was refused."""

    code = "refund_error"


class RefundNotOwed(RefundError):
    code = "refund_not_owed"
    message = _("该合同没有应退款项。")


class RefundAlreadySettled(RefundError):
    code = "refund_already_settled"
    message = _("这笔退款已登记过。")


class RefundReferenceRequired(RefundError):
    code = "refund_reference_required"
    message = _("请填写退款的银行流水号。")


class RefundDateInFuture(RefundError):
    code = "refund_date_in_future"
    message = _("退款日期不能晚于今天。")


class ReserveRatioRuleError(ProcurementError):
    """A minimum reserve-ratio rule (ReserveRatioRule) breaks the model's rules."""

    code = "ratio_rule_error"


class ReserveRatioRuleOutOfRange(ReserveRatioRuleError):
    code = "ratio_rule_out_of_range"
    message = _("最低预留比例须在 0% 到 100% 之间。")


class ReserveRatioRuleNotProvince(ReserveRatioRuleError):
    code = "ratio_rule_not_province"
    message = _("请选择省级行政区划，或留空表示全国通用。")


class ReserveRatioRuleOverlap(ReserveRatioRuleError):
    """A year has one national rule and at most one rule per province."""

    code = "ratio_rule_overlap"
    message = _("%(year)s 年度%(where)s已有预留比例规则，请修改原规则。")


class ReserveRatioRuleInvalid(ReserveRatioRuleError):
    code = "ratio_rule_invalid"
    message = _("预留比例规则填写有误：%(detail)s")


class PairingError(ProcurementError):
    """A pairing (结对帮扶关系) breaks the registry's rules."""

    code = "pairing_error"


class PairingHelperNotOne(PairingError):
    code = "pairing_helper_not_one"
    message = _("帮扶方须填写一个帮扶单位或一个帮扶地区，二者只能选一。")


class PairingHelperUnitNotFound(PairingError):
    code = "pairing_helper_unit_not_found"
    message = _("没有统一社会信用代码为“%(uscc)s”的已开通采购单位。")


class PairingRegionNotFound(PairingError):
    code = "pairing_region_not_found"
    message = _("行政区划代码“%(code)s”不存在。")


class PairingCountyNotCounty(PairingError):
    code = "pairing_county_not_county"
    message = _("“%(code)s”（%(name)s）不是县级行政区划，受帮扶地区须填写县级代码。")


class PairingNoCounties(PairingError):
    code = "pairing_no_counties"
    message = _("请至少填写一个受帮扶县。")


class PairingDatesReversed(PairingError):
    code = "pairing_dates_reversed"
    message = _("结束日期不能早于开始日期。")


class PairingAlreadyEnded(PairingError):
    code = "pairing_already_ended"
    message = _("该结对关系已于 %(ended)s 结束。")


class PairingImportRejected(PairingError):
    """A pairings file with any problem changes nothing; ``errors`` lists every
    problem (row 0: the whole file), each with its code."""

    code = "pairing_import_rejected"
    message = _("文件中有 %(count)d 处问题，未导入任何结对关系。")

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(params={"count": len(self.errors)})


class PairingInvalid(PairingError):
    code = "pairing_invalid"
    message = _("结对关系填写有误：%(detail)s")
