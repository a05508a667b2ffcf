from django.utils.translation import gettext_lazy as _

from common import workflow
from common.exceptions import DomainError


class ListingError(DomainError):
    """Base class for product listing and review errors; the message is for people."""

    code = "listing_error"


class OriginNotLicensed(ListingError):
    """The origin on the label must be the producer's county or one it is licensed for."""

    code = "origin_not_licensed"
    message = _("产地“%(county)s”不是本主体所在县，也不在许可的产地县之内。")


class ListingPermissionDenied(ListingError, workflow.TransitionNotPermitted):
    """Only the producer's own users edit a listing."""

    code = "listing_permission_denied"
    message = _("您无权管理该生产主体的商品。")


class ReviewStaffOnly(ListingPermissionDenied):
    """Only platform staff review a listing."""

    code = "listing_review_staff_only"
    message = _("只有平台工作人员可以审核商品。")


class ReviewReasonRequired(ListingError, workflow.ReasonRequired):
    """A rejected listing needs a reason the producer can act on."""

    code = "listing_review_reason_required"
    message = _("驳回时请写明原因，生产主体会看到它。")


class IllegalReviewTransition(ListingError, workflow.IllegalTransition):
    """The listing is not in a state this review step applies to."""

    code = "listing_not_pending_review"
    message = _("该商品不在待审核状态，可能已被其他人处理。")


class StockBelowAllocated(ListingError):
    """Stock cannot be set below what open orders have already allocated."""

    code = "stock_below_allocated"
    message = _("库存不能少于已售出待发货的 %(allocated)d 件。")


class DuplicateSku(ListingError):
    """Each of a producer's listings needs its own 商品编码."""

    code = "sku_taken"
    message = _("商品编码“%(sku)s”已被本主体的其他商品使用。")


class CatalogueImportRejected(ListingError):
    """A catalogue file with any problem changes nothing. ``errors`` lists every
    problem found, as ``catalogue.importers.RowError`` (row 0: the whole file),
    each with its own code."""

    code = "catalogue_import_rejected"
    message = _("文件中有 %(count)d 处问题，未导入任何商品。")

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(params={"count": len(self.errors)})


class CatalogueImportRunning(ListingError):
    """A producer runs one catalogue import at a time: a second upload while
    one is queued or running (a double submission, a second tab) changes nothing."""

    code = "catalogue_import_running"
    message = _("本主体已有一个商品导入正在进行（%(started)s 上传），请等它完成后再上传。")


class CatalogueImportAbandoned(ListingError):
    """The job was given up while its worker still ran (no progress for longer
    than CATALOGUE_IMPORT_STALE_MINUTES, ``catalogue.rules.catalogue_import_is_stale``):
    the worker stops and rolls back rather than apply a file shown as failed."""

    code = "catalogue_import_abandoned"
    message = _("导入已被标记为失败，本次未导入任何商品。")


class ListingRuleBroken(ListingError):
    """A listing value outside what ``catalogue.rules`` allows. ``field`` names
    the listing field it is about (``sku``, ``title``, ``description``,
    ``attr_<code>``, ``price``, ``num_in_stock``)."""

    code = "listing_rule_broken"

    def __init__(self, message, *, field: str):
        self.field = field
        super().__init__(message)


class ListingFieldRequired(ListingRuleBroken):
    code = "listing_field_required"


class ListingFieldTooLong(ListingRuleBroken):
    code = "listing_field_too_long"


class ListingSkuInvalid(ListingRuleBroken):
    code = "listing_sku_invalid"


class ListingPriceOutOfBounds(ListingRuleBroken):
    code = "listing_price_out_of_bounds"


class ListingStockOutOfBounds(ListingRuleBroken):
    code = "listing_stock_out_of_bounds"


class ListingPhotoLimit(ListingError):
    """A listing holds at most ``rules.MAX_PRODUCT_PHOTOS`` photos."""

    code = "listing_photo_limit"
    message = _("每件商品最多 %(limit)d 张图片，请先删除不需要的图片。")


class ListingPhotoRejected(ListingError):
    """The upload is no photo the shop can show (``common.uploads.photo_check``'s
    sentence says why: type, size, pixels, damage)."""

    code = "listing_photo_rejected"
    message = _("图片无法使用。")


class VariantLimit(ListingError):
    """A multi-spec listing holds at most ``rules.MAX_PRODUCT_VARIANTS`` specs."""

    code = "listing_variant_limit"
    message = _("每件商品最多 %(limit)d 个规格。")


class VariantSpecTaken(ListingError):
    """Two specs of one listing cannot read the same: the shopper could not tell them apart."""

    code = "listing_variant_spec_taken"
    message = _("规格“%(spec)s”已存在，请换一个名称。")


class ListingNotMultiSpec(ListingError):
    """Specs are added to a multi-spec listing only, never to a single product."""

    code = "listing_not_multi_spec"
    message = _("该商品不是多规格商品，不能添加规格。")


class ReferencePriceError(DomainError):
    """A reference market price (参考市场价) breaks the price watch's rules."""

    code = "reference_price_error"


class ReferencePriceStaffOnly(ReferencePriceError):
    code = "reference_price_staff_only"
    message = _("只有平台工作人员可以登记参考市场价。")


class ReferencePriceNotPositive(ReferencePriceError):
    code = "reference_price_not_positive"
    message = _("参考价必须大于 0。")


class ReferencePriceRegionNotProvince(ReferencePriceError):
    code = "reference_price_region_not_province"
    message = _("参考价的适用地区须为省级行政区划（如 610000），或留空表示全国。")


class ReferencePriceCategoryNotFound(ReferencePriceError):
    code = "reference_price_category_not_found"
    message = _("商品品类“%(name)s”不存在，请填写商城已有分类的完整名称。")


class ReferencePriceFieldRequired(ReferencePriceError):
    code = "reference_price_field_required"
    message = _("请填写“%(field)s”。")


class ReferencePriceDateInFuture(ReferencePriceError):
    code = "reference_price_date_in_future"
    message = _("采价日期不能晚于今天。")


class ReferencePriceImportRejected(ReferencePriceError):
    """A reference-price file with any problem changes nothing; ``errors``
    lists every problem (row 0: the whole file), each with its code."""

    code = "reference_price_import_rejected"
    message = _("文件中有 %(count)d 处问题，未导入任何参考价。")

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(params={"count": len(self.errors)})


class ReferencePriceFieldTooLong(ReferencePriceError):
    code = "reference_price_field_too_long"
    message = _("“%(field)s”不能超过 %(limit)d 个字。")
