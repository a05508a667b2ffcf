from django.utils.translation import gettext_lazy as _

from common import workflow
from common.exceptions import DomainError
from regions.exceptions import RegionNotCounty


class ProducerError(DomainError):
    """Base class for producer domain errors."""

    code = "producer_error"


class ProducerNotInCounty(RegionNotCounty):
    """A producer is registered in a county-level division."""

    code = RegionNotCounty.code
    message = _("生产主体必须位于县级行政区划。")


class IllegalApplicationTransition(ProducerError, workflow.IllegalTransition):
    """The requested review step is not allowed from the application's current state."""

    code = "application_transition_not_allowed"
    message = _("该申请当前状态为“%(status)s”，不能执行此操作。")


class ApplicationPermissionDenied(ProducerError, workflow.TransitionNotPermitted):
    """The user has no role that allows this review step on this application."""

    code = "application_permission_denied"
    message = _("您无权办理该申请。")


class ApplicationCountyReviewerOnly(ApplicationPermissionDenied):
    code = "application_county_reviewer_only"
    message = _("只有申请所在县的审核人可以办理县级推荐。")


class ApplicationStaffOnly(ApplicationPermissionDenied):
    code = "application_staff_only"
    message = _("只有平台运营人员可以办理平台审核。")


class ApplicationApplicantOnly(ApplicationPermissionDenied):
    code = "application_applicant_only"
    message = _("只有申请人本人可以修改申请。")


class ReasonRequired(ProducerError, workflow.ReasonRequired):
    """Returning or rejecting an application needs a reason the applicant can act on."""

    code = "application_reason_required"
    message = _("退回或不予通过时必须填写理由，申请人将看到该理由。")


class UsccAlreadyTaken(ProducerError):
    """Another producer or open application already uses this 统一社会信用代码."""

    code = "uscc_taken"
    message = _("该统一社会信用代码已有入驻申请或已入驻。")


class UsccAlreadyProducer(UsccAlreadyTaken):
    """The same rule at approval: a producer with this code exists by now."""

    code = UsccAlreadyTaken.code
    message = _("该统一社会信用代码已有入驻的生产主体。")


class LinkagePermissionDenied(ProducerError, workflow.TransitionNotPermitted):
    """Only the producer's own users record benefit-linkage figures."""

    code = "linkage_permission_denied"
    message = _("只有该生产主体的账号可以填报联农带农数据。")


class LinkageStaffOnly(LinkagePermissionDenied):
    """Only staff verify benefit-linkage figures."""

    code = "linkage_staff_only"
    message = _("只有平台运营人员可以核实联农带农数据。")


class LinkageTransitionNotAllowed(ProducerError, workflow.IllegalTransition):
    """Verifying or sending back figures that are not waiting for staff (already
    sent back, or changed since the page was opened)."""

    code = "linkage_transition_not_allowed"
    message = _("该年度数据当前状态为“%(status)s”，不能执行此操作。")


class LinkageReasonRequired(ProducerError, workflow.ReasonRequired):
    """Sending figures back needs a reason the producer can act on."""

    code = "linkage_reason_required"
    message = _("退回时必须填写理由，生产主体将看到该理由。")


class LinkageYearConflict(ProducerError):
    """Two first submissions for the same producer and year raced each other."""

    code = "linkage_year_conflict"
    message = _("该年度数据正在被另一人填报，请刷新后重试。")


class ProducerPermissionDenied(ProducerError):
    """The user does not work for this producer."""

    code = "producer_permission_denied"
    message = _("您无权管理该生产主体。")


class CertificateNotOwned(ProducerPermissionDenied):
    """The certificate belongs to another producer."""

    code = "certificate_not_owned"
    message = _("您无权修改该证书。")


class CertificateProductNotOwned(ProducerError):
    """A certificate can only cover its own producer's products."""

    code = "certificate_product_not_owned"
    message = _("证书只能覆盖本主体的商品。")


class ShipmentNotAllowed(ProducerError):
    """The order is not paid, or the producer has nothing left to ship in it."""

    code = "shipment_not_allowed"


class ShipmentNothingToShip(ShipmentNotAllowed):
    code = "shipment_no_own_lines"
    message = _("该订单中没有本主体的商品。")


class ShipmentAlreadySent(ShipmentNotAllowed):
    code = "shipment_already_sent"
    message = _("本主体在该订单中的商品已经发货。")


class ShipmentOrderNotPaid(ShipmentNotAllowed):
    code = "shipment_order_not_paid"
    message = _("订单状态为“%(status)s”，付款后才能发货。")


class ReviewerAppointmentError(ProducerError):
    """Appointing or removing a county reviewer (县级审核人) was refused."""

    code = "reviewer_appointment_error"


class ReviewerStaffOnly(ReviewerAppointmentError):
    code = "reviewer_staff_only"
    message = _("只有平台运营人员可以任免县级审核人。")


class ReviewerAlreadyAppointed(ReviewerAppointmentError):
    code = "reviewer_already_appointed"
    message = _("%(email)s 已是 %(county)s 的县级审核人。")


class ReviewerNotCounty(ReviewerAppointmentError):
    code = "reviewer_not_county"
    message = _("县级审核人只能负责县级行政区划（县、县级市、区）。")


class ProductNotOwned(ProducerPermissionDenied):
    """The listing belongs to another producer, or is none of its listings."""

    code = "product_not_owned"
    message = _("您无权管理该商品。")


class ProductImageNotOwned(ProducerPermissionDenied):
    """The photo belongs to another listing."""

    code = "product_image_not_owned"
    message = _("您无权管理该图片。")


class CategoryProposalError(ProducerError):
    """Proposing a missing category (类目申请), or deciding on one, was refused."""

    code = "category_proposal_error"


class CategoryProposalNameInvalid(CategoryProposalError):
    code = "category_proposal_name_invalid"
    message = _("请填写类目名称（不超过 64 个字，不含“>”）。")


class CategoryProposalNameExists(CategoryProposalError):
    code = "category_proposal_name_exists"
    message = _("类目“%(name)s”已经存在：%(existing)s。请在导入文件中直接使用该类目名称。")


class CategoryProposalDuplicatePending(CategoryProposalError):
    code = "category_proposal_duplicate_pending"
    message = _("类目“%(name)s”已有人申请，正在等待平台处理。")


class CategoryProposalNotPending(CategoryProposalError):
    code = "category_proposal_not_pending"
    message = _("该类目申请已处理（%(status)s），不能再次处理。")


class CategoryProposalStaffOnly(CategoryProposalError):
    code = "category_proposal_staff_only"
    message = _("只有有权管理类目的平台运营人员可以处理类目申请。")


class CategoryProposalNoteRequired(CategoryProposalError):
    code = "category_proposal_note_required"
    message = _("请填写未采纳的理由。")


class InvoiceError(ProducerError):
    code = "invoice_error"
    message = _("发票申请未能完成。")


class InvoiceOrderNotPaid(InvoiceError):
    code = "invoice_order_not_paid"
    message = _("订单 %(number)s 付款后才能申请发票（当前状态：%(status)s）。")


class InvoiceProducerNotInOrder(InvoiceError):
    code = "invoice_producer_not_in_order"
    message = _("这个生产主体在订单中没有商品，不能向它申请发票。")


class InvoiceAlreadyRequested(InvoiceError):
    code = "invoice_already_requested"
    message = _("这个订单已经向%(producer)s申请过发票，不能重复申请。")


class InvoiceTitleRequired(InvoiceError):
    code = "invoice_title_required"
    field = "title"
    message = _("请填写发票抬头（不超过 %(max)d 个字）。")


class InvoiceTitleKindInvalid(InvoiceError):
    code = "invoice_title_kind_invalid"
    field = "title_kind"
    message = _("请选择抬头类型：个人或单位。")


class InvoiceTaxNumberInvalid(InvoiceError):
    """The validator's own sentence says what is wrong with the number."""

    code = "invoice_tax_number_invalid"
    field = "tax_number"
    message = _("单位抬头请填写正确的统一社会信用代码（18 位）。")


class InvoiceEmailInvalid(InvoiceError):
    code = "invoice_email_invalid"
    field = "email"
    message = _("请填写正确的电子邮箱，开好的发票会发到这里。")


class InvoiceAlreadyIssued(InvoiceError):
    code = "invoice_already_issued"
    message = _("这张发票已经登记为已开具（发票号码 %(number)s），不能再次登记。")


class InvoiceNumberInvalid(InvoiceError):
    code = "invoice_number_invalid"
    field = "invoice_number"
    message = _("请填写发票号码：8 到 40 位数字或字母。")


class InvoiceDateInvalid(InvoiceError):
    code = "invoice_date_invalid"
    field = "issued_on"
    message = _("开票日期不能早于下单日期（%(placed)s），也不能晚于今天。")


class InvoicePdfInvalid(InvoiceError):
    """The upload check's own sentence says what is wrong with the file."""

    code = "invoice_pdf_invalid"
    field = "pdf"
    message = _("请上传发票的 PDF 文件。")
