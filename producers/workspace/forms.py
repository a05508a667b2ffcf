"""Forms of the producer's own workspace: listings, certificates, shipping."""

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalogue import rules
from catalogue.rules import LISTING_ATTRIBUTES
from catalogue.services import ListingContent, VariantDetails, description_to_text
from common.uploads import MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS, document_check, photo_check
from producers.forms import DOCUMENT_HELP, document_field
from producers.models import Certificate, Shipment
from producers.services import PHOTO_MOVES, CertificateDetails
from regions.models import Region

Category = get_model("catalogue", "Category")

PHOTO_ACCEPT = "image/jpeg,image/png,.jpg,.jpeg,.png"


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class ListingForm(forms.Form):
    """A producer's listing: what it claims (reviewed) and its price and stock.
    Every limit is ``catalogue.rules``'s; the listing services check them again."""

    sku = forms.CharField(
        label=_("商品编码"),
        validators=[rules.as_validator(rules.sku_check)],
        widget=forms.TextInput(attrs={"maxlength": rules.SKU_MAX_LENGTH}),
        help_text=_(
            "本主体内唯一，批量导入导出时用它识别商品；英文字母、数字、点、下划线和连字符。"
        ),
    )
    title = forms.CharField(
        label=_("商品名称"),
        validators=[rules.as_validator(rules.title_check)],
        widget=forms.TextInput(attrs={"maxlength": rules.TITLE_MAX_LENGTH}),
    )
    category = CategoryChoiceField(label=_("分类"), queryset=Category.objects.none())
    description = forms.CharField(
        label=_("商品描述"),
        required=rules.DESCRIPTION_REQUIRED,
        validators=[rules.as_validator(rules.description_check)],
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": rules.DESCRIPTION_MAX_LENGTH}),
        help_text=_("不超过 %(limit)d 字。") % {"limit": rules.DESCRIPTION_MAX_LENGTH},
    )
    origin_county = forms.ModelChoiceField(label=_("产地（县）"), queryset=Region.objects.none())
    price = forms.DecimalField(
        label=_("价格（元）"),
        validators=[rules.as_validator(rules.price_check)],
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
    )
    num_in_stock = forms.IntegerField(
        label=_("库存"),
        validators=[rules.as_validator(rules.stock_check)],
        widget=forms.NumberInput(attrs={"min": rules.STOCK_MIN, "max": rules.STOCK_MAX}),
        help_text=_("在库数量，含已分配给订单和合同的部分；可售 = 在库 − 已分配。"),
    )
    image = forms.FileField(
        label=_("商品图片"),
        required=False,
        help_text=_("JPEG 或 PNG，不超过 %(limit)d MB、%(pixels)d 万像素。")
        % {"limit": MAX_PHOTO_BYTES // (1024 * 1024), "pixels": MAX_PHOTO_PIXELS // 10_000},
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )

    def __init__(self, *args, producer, product=None, multi_spec=False, **kwargs):
        self.producer = producer
        self.product = product
        self.multi_spec = multi_spec or (product is not None and product.is_parent)
        if product is not None:
            kwargs.setdefault("initial", self._initial_from(product))
        super().__init__(*args, **kwargs)
        for code, label in LISTING_ATTRIBUTES:
            if self.multi_spec and code == rules.VARIANT_ATTRIBUTE:
                # Each 规格 states its own.
                continue
            self.fields[f"attr_{code}"] = forms.CharField(
                label=label,
                required=False,
                validators=[rules.as_validator(rules.attribute_value_check, code)],
                widget=forms.TextInput(attrs={"maxlength": rules.ATTRIBUTE_VALUE_MAX_LENGTH}),
            )
        self.fields["category"].queryset = Category.objects.order_by("path")
        self.fields["origin_county"].queryset = Region.objects.filter(
            Q(pk=producer.county_id) | Q(pk__in=producer.licensed_counties.values("pk"))
        ).order_by("code")
        if self.multi_spec and product is not None:
            # Code, price and stock are each 规格's own (the variants page).
            for name in ("sku", "price", "num_in_stock"):
                del self.fields[name]
        elif self.multi_spec:
            # A new multi-spec listing comes with its first 规格.
            self.fields["variant_spec"] = forms.CharField(
                label=_("第一个规格"),
                validators=[rules.as_validator(rules.variant_spec_check)],
                widget=forms.TextInput(attrs={"maxlength": rules.ATTRIBUTE_VALUE_MAX_LENGTH}),
                help_text=_(
                    "如 250g；下面的商品编码、价格和库存属于这个规格，其他规格提交后再添加。"
                ),
            )
            self.order_fields(["variant_spec", "sku", "price", "num_in_stock"])
        if product is not None and "sku" in self.fields:
            # The code is the listing's key in import files; it does not change,
            # and one given before today's alphabet stays usable.
            self.fields["sku"].disabled = True
            self.fields["sku"].validators = []

    @staticmethod
    def _initial_from(product):
        stockrecord = product.stockrecords.first()
        category = product.categories.first()
        initial = {
            "sku": stockrecord.partner_sku if stockrecord else "",
            "title": product.title,
            "category": category.pk if category else None,
            "description": description_to_text(product.description),
            "origin_county": product.origin_county_id,
            "price": stockrecord.price if stockrecord else None,
            "num_in_stock": stockrecord.num_in_stock if stockrecord else 0,
        }
        for code, _label in LISTING_ATTRIBUTES:
            initial[f"attr_{code}"] = getattr(product.attr, code, "") or ""
        return initial

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image:
            photo_check(image)
        return image

    def content(self) -> ListingContent:
        data = self.cleaned_data
        return ListingContent(
            title=data["title"],
            description=data["description"],
            category=data["category"],
            origin_county=data["origin_county"],
            attributes={code: data.get(f"attr_{code}", "") for code, _label in LISTING_ATTRIBUTES},
        )

    def first_variant(self) -> VariantDetails:
        data = self.cleaned_data
        return VariantDetails(
            spec=data["variant_spec"],
            sku=data["sku"],
            price=data["price"],
            num_in_stock=data["num_in_stock"],
        )


class PhotoUploadForm(forms.Form):
    image = forms.FileField(
        label=_("添加图片"),
        help_text=_("JPEG 或 PNG，不超过 %(limit)d MB、%(pixels)d 万像素。")
        % {"limit": MAX_PHOTO_BYTES // (1024 * 1024), "pixels": MAX_PHOTO_PIXELS // 10_000},
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )

    def clean_image(self):
        image = self.cleaned_data["image"]
        photo_check(image)
        return image


class PhotoMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[(move, move) for move in PHOTO_MOVES])


class VariantForm(forms.Form):
    """A new 规格 of a multi-spec listing, or changes to one (``variant``)."""

    spec = forms.CharField(
        label=_("规格"),
        validators=[rules.as_validator(rules.variant_spec_check)],
        widget=forms.TextInput(attrs={"maxlength": rules.ATTRIBUTE_VALUE_MAX_LENGTH}),
        help_text=_("买家在商品页选择的名称，如 250g、500g、礼盒装。"),
    )
    sku = forms.CharField(
        label=_("商品编码"),
        validators=[rules.as_validator(rules.sku_check)],
        widget=forms.TextInput(attrs={"maxlength": rules.SKU_MAX_LENGTH}),
    )
    price = forms.DecimalField(
        label=_("价格（元）"),
        validators=[rules.as_validator(rules.price_check)],
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
    )
    num_in_stock = forms.IntegerField(
        label=_("库存"),
        validators=[rules.as_validator(rules.stock_check)],
        widget=forms.NumberInput(attrs={"min": rules.STOCK_MIN, "max": rules.STOCK_MAX}),
    )
    is_public = forms.BooleanField(
        label=_("在售"),
        required=False,
        initial=True,
        help_text=_("取消勾选后买家不能再选择这个规格，已有订单不受影响。"),
    )

    def __init__(self, *args, variant=None, **kwargs):
        self.variant = variant
        if variant is not None:
            stockrecord = variant.stockrecords.first()
            kwargs.setdefault(
                "initial",
                {
                    "spec": getattr(variant.attr, rules.VARIANT_ATTRIBUTE, "") or "",
                    "sku": stockrecord.partner_sku if stockrecord else "",
                    "price": stockrecord.price if stockrecord else None,
                    "num_in_stock": stockrecord.num_in_stock if stockrecord else 0,
                    "is_public": variant.is_public,
                },
            )
        super().__init__(*args, **kwargs)
        if variant is None:
            del self.fields["is_public"]
        else:
            self.fields["sku"].disabled = True
            self.fields["sku"].validators = []

    def details(self) -> VariantDetails:
        data = self.cleaned_data
        return VariantDetails(
            spec=data["spec"],
            sku=data["sku"],
            price=data["price"],
            num_in_stock=data["num_in_stock"],
        )


class CertificateForm(forms.ModelForm):
    scan_upload = document_field(_("证书扫描件"), required=False)

    class Meta:
        model = Certificate
        fields = ["kind", "number", "issuer", "valid_from", "valid_until", "products"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "products": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, producer, **kwargs):
        self.producer = producer
        super().__init__(*args, **kwargs)
        # Only the producer's own listings can be chosen; any other id posted
        # is refused by the field as an invalid choice.
        self.fields["products"].queryset = producer.products.filter(parent__isnull=True).order_by(
            "title"
        )
        self.fields["scan_upload"].help_text = DOCUMENT_HELP
        if not self.instance.pk:
            self.fields["scan_upload"].required = True

    def clean_scan_upload(self):
        upload = self.cleaned_data.get("scan_upload")
        if upload:
            document_check(upload)
        return upload

    def validate_unique(self):
        # The producer is not a form field; check its uniqueness rule here.
        self.instance.producer = self.producer
        super().validate_unique()
        number = self.cleaned_data.get("number", "").strip()
        kind = self.cleaned_data.get("kind")
        duplicate = Certificate.objects.filter(producer=self.producer, kind=kind, number=number)
        if self.instance.pk:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if number and duplicate.exists():
            self.add_error("number", _("本主体已有该类别、该编号的证书。"))

    def details(self) -> CertificateDetails:
        data = self.cleaned_data
        return CertificateDetails(
            kind=data["kind"],
            number=data["number"],
            issuer=data["issuer"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )

    def product_ids(self) -> list[int]:
        return [product.pk for product in self.cleaned_data["products"]]


class ShipmentForm(forms.Form):
    carrier = forms.ChoiceField(label=_("承运商"), choices=Shipment.Carrier.choices)
    tracking_number = forms.CharField(
        label=_("运单号"),
        max_length=40,
        validators=[
            RegexValidator(r"^[A-Za-z0-9-]{6,40}$", _("运单号应为 6 到 40 位字母或数字。"))
        ],
    )


class InvoiceIssueForm(forms.Form):
    """The producer records an invoice it issued (``producers.services.invoice_issue``
    checks each value again, the PDF by its bytes)."""

    invoice_number = forms.CharField(label=_("发票号码"), max_length=60)
    issued_on = forms.DateField(label=_("开票日期"), widget=forms.DateInput(attrs={"type": "date"}))
    pdf = forms.FileField(
        label=_("发票 PDF"),
        help_text=_("电子发票的 PDF 文件，不超过 5 MB。"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("商品表格"),
        help_text=_("XLSX 或 CSV 文件，不超过 5 MB、5000 行；第一行为表头，与导出的表格相同。"),
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet,text/csv"
            }
        ),
    )
    overwrite_newer = forms.BooleanField(
        label=_("确认覆盖"),
        required=False,
        help_text=_(
            "导出之后在网页上又改过的商品，导入时默认不覆盖（以免旧表格覆盖较新的价格和库存）；"
            "勾选后以表格为准覆盖。"
        ),
    )
