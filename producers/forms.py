from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from common.uploads import document_check, document_rename
from common.validators import (
    normalise_bank_account_number,
    normalise_food_production_licence,
    normalise_mainland_mobile,
    normalise_uscc,
    validate_bank_account_number,
    validate_food_production_licence,
    validate_mainland_mobile,
    validate_uscc,
)
from producers.models import (
    MAX_LINKAGE_YEAR,
    MIN_LINKAGE_YEAR,
    BenefitLinkage,
    LinkageStatus,
    Producer,
    ProducerApplication,
)
from producers.selectors import uscc_in_use
from producers.services import ApplicationDetails, LinkageFigures
from regions.forms import CountySelectMixin

DOCUMENT_ACCEPT = "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"
DOCUMENT_HELP = _("JPEG、PNG 图片或 PDF 文件，不超过 10 MB。")


def document_field(label, *, required):
    return forms.FileField(
        label=label,
        required=required,
        help_text=DOCUMENT_HELP,
        widget=forms.FileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )


class ProducerApplicationForm(CountySelectMixin, forms.Form):
    """入驻申请: the organisation, its county, contacts, bank account and licences.

    The province → city → county selects are the same as checkout's address
    form, so static/marketplace/region-select.js drives them here too.
    """

    kind = forms.ChoiceField(label=_("主体类型"), choices=Producer.Kind.choices)
    name = forms.CharField(label=_("主体名称"), max_length=128, help_text=_("与营业执照一致"))
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=24,
        validators=[validate_uscc],
        help_text=_("18 位，见营业执照"),
    )
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=64)
    contact_name = forms.CharField(label=_("联系人"), max_length=64)
    contact_mobile = forms.CharField(
        label=_("联系人手机号"),
        max_length=20,
        validators=[validate_mainland_mobile],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    bank_account_name = forms.CharField(label=_("开户名称"), max_length=128)
    bank_name = forms.CharField(
        label=_("开户银行"), max_length=128, help_text=_("写到支行，例如：中国农业银行柞水县支行")
    )
    bank_account_number = forms.CharField(
        label=_("银行账号"),
        max_length=40,
        validators=[validate_bank_account_number],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    sells_food = forms.BooleanField(label=_("销售食品"), required=False)
    food_licence_number = forms.CharField(
        label=_("食品生产许可证编号"),
        max_length=24,
        required=False,
        help_text=_("销售食品时必填，“SC”加 14 位数字"),
    )
    business_licence = document_field(_("营业执照"), required=True)
    food_licence_file = document_field(_("食品生产许可证"), required=False)

    field_order = ["kind", "name", "uscc", "province", "city", "county"]

    def __init__(self, *args, application: ProducerApplication | None = None, **kwargs):
        # With an application the form corrects it: stored documents stay
        # unless new ones are uploaded.
        self.application = application
        if application is not None and "initial" not in kwargs:
            kwargs["initial"] = self._initial_from(application)
        super().__init__(*args, **kwargs)
        if application is not None:
            self.fields["business_licence"].required = not application.business_licence
            self.fields["business_licence"].help_text = _("已上传；如需更换请重新选择文件。")
        self.setup_region_fields()
        # Browsers fill these in (WCAG 1.3.5, input purpose).
        for name, token in (
            ("name", "organization"),
            ("contact_name", "name"),
            ("bank_account_name", "organization"),
        ):
            self.fields[name].widget.attrs["autocomplete"] = token

    @classmethod
    def _initial_from(cls, application):
        initial = {
            field: getattr(application, field)
            for field in (
                "kind",
                "name",
                "uscc",
                "legal_representative",
                "contact_name",
                "contact_mobile",
                "bank_account_name",
                "bank_name",
                "bank_account_number",
                "sells_food",
                "food_licence_number",
            )
        }
        initial.update(cls.region_initial(application.county))
        return initial

    def clean_uscc(self):
        uscc = normalise_uscc(self.cleaned_data["uscc"])
        exclude = self.application.pk if self.application else None
        if uscc_in_use(uscc=uscc, exclude_application_id=exclude):
            raise forms.ValidationError(
                _("该统一社会信用代码已有入驻申请或已入驻，如有疑问请联系平台。"), code="uscc_taken"
            )
        return uscc

    def clean_contact_mobile(self):
        return normalise_mainland_mobile(self.cleaned_data["contact_mobile"])

    def clean_bank_account_number(self):
        return normalise_bank_account_number(self.cleaned_data["bank_account_number"])

    def clean_food_licence_number(self):
        return normalise_food_production_licence(self.cleaned_data["food_licence_number"])

    def _clean_document(self, name):
        upload = self.cleaned_data.get(name)
        if upload:
            document_rename(upload, document_check(upload))
        return upload

    def clean_business_licence(self):
        return self._clean_document("business_licence")

    def clean_food_licence_file(self):
        return self._clean_document("food_licence_file")

    def clean(self):
        cleaned = super().clean()
        self.clean_region_chain(cleaned)
        if cleaned.get("sells_food"):
            # Checked only for food sellers: a number left in the box after
            # unticking "销售食品" is ignored, not an error.
            number = cleaned.get("food_licence_number")
            if not number:
                self.add_error("food_licence_number", _("销售食品的主体须填写食品生产许可证编号。"))
            else:
                try:
                    validate_food_production_licence(number)
                except forms.ValidationError as exc:
                    self.add_error("food_licence_number", exc)
            has_stored = self.application is not None and self.application.food_licence_file
            if (
                not cleaned.get("food_licence_file")
                and not has_stored
                and "food_licence_file" not in self.errors
            ):
                self.add_error("food_licence_file", _("销售食品的主体须上传食品生产许可证。"))
        return cleaned

    def details(self) -> ApplicationDetails:
        c = self.cleaned_data
        return ApplicationDetails(
            kind=c["kind"],
            name=c["name"].strip(),
            uscc=c["uscc"],
            county=c["county"],
            legal_representative=c["legal_representative"].strip(),
            contact_name=c["contact_name"].strip(),
            contact_mobile=c["contact_mobile"],
            bank_account_name=c["bank_account_name"].strip(),
            bank_name=c["bank_name"].strip(),
            bank_account_number=c["bank_account_number"],
            sells_food=c["sells_food"],
            food_licence_number=c["food_licence_number"] if c["sells_food"] else "",
        )

    def documents(self) -> dict:
        """Only newly uploaded documents; a food licence only when food is sold."""
        c = self.cleaned_data
        documents = {}
        if c.get("business_licence"):
            documents["business_licence"] = c["business_licence"]
        if c.get("sells_food") and c.get("food_licence_file"):
            documents["food_licence_file"] = c["food_licence_file"]
        return documents


class ReviewDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=())
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回或不予通过时必填，申请人将看到该理由。"),
    )

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = actions


class BenefitLinkageForm(forms.ModelForm):
    """A producer's own figures for one year; the producer comes from the URL, never the form."""

    class Meta:
        model = BenefitLinkage
        fields = [
            "year",
            "employment_households",
            "employment_amount",
            "asset_income_households",
            "asset_income_amount",
            "purchase_households",
            "purchase_amount",
            "total_households",
        ]
        widgets = {"year": forms.NumberInput(attrs={"min": MIN_LINKAGE_YEAR})}

    def __init__(self, *args, producer: Producer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.producer = producer
        self.fields["year"].validators.append(MinValueValidator(MIN_LINKAGE_YEAR))
        self.fields["year"].validators.append(MaxValueValidator(MAX_LINKAGE_YEAR))

    def figures(self) -> LinkageFigures:
        data = self.cleaned_data
        return LinkageFigures(**{f: data[f] for f in self.Meta.fields if f != "year"})


class ReviewerAppointForm(CountySelectMixin, forms.Form):
    email = forms.EmailField(
        label=_("审核人邮箱"),
        help_text=_("没有账号的邮箱会自动开通账号，本人通过“忘记密码”设置密码。"),
    )

    field_order = ["email", "province", "city", "county"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].label = _("负责县（区）")
        self.setup_region_fields()

    def clean(self):
        cleaned = super().clean()
        self.clean_region_chain(cleaned)
        return cleaned


class LinkageQueueFilterForm(forms.Form):
    """The staff queue's filters (GET): anything it does not know is ignored."""

    status = forms.ChoiceField(label=_("核实状态"), choices=LinkageStatus.choices, required=False)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False, empty_value=None)
    county = forms.TypedChoiceField(
        label=_("所在县（区）"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, years, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度")), *((y, y) for y in years)]
        self.fields["county"].choices = [
            ("", _("全部区县")),
            *((c.pk, c.full_name) for c in counties),
        ]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("status") or LinkageStatus.SUBMITTED,
            "year": data.get("year"),
            "county_id": data.get("county"),
        }


class LinkageReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("生产主体将看到该理由，请写明需要核对或补充的内容。"),
        error_messages={"required": _("退回时必须填写理由，生产主体将看到该理由。")},
    )
