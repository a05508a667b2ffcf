import datetime
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.numbers import percent_of_ratio, ratio_of_percent
from common.uploads import document_check
from common.validators import normalise_uscc, validate_single_line, validate_uscc
from procurement.exceptions import ProcurementError
from procurement.models import (
    FREIGHT,
    INTEREST_RATE_PLACES,
    MONEY,
    PAYMENT_DAYS_MAX,
    PAYMENT_DAYS_MIN,
    BuyerOrganisation,
    CanteenStatus,
    Membership,
    OffPlatformPurchase,
    PairingKind,
    PaymentTerms,
)
from procurement.rules import (
    freight_check,
    freight_limit_for,
    pairing_check,
    pairing_county_codes,
)
from procurement.statements import Period, PeriodKind
from producers.forms import document_field
from producers.models import Producer
from regions.forms import CountySelectMixin
from regions.models import Region

DateInput = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money_field(label, *, min_value=Decimal("0.01"), **kwargs):
    return forms.DecimalField(
        label=label,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        min_value=min_value,
        **kwargs,
    )


def _clean_document(upload):
    # The same content checks as producers' licences: the service checks again
    # and stores the file under a name of its own.
    document_check(upload)
    return upload


class OrganisationApplicationForm(CountySelectMixin, forms.Form):
    kind = forms.ChoiceField(label=_("单位类型"), choices=BuyerOrganisation.Kind.choices)
    name = forms.CharField(
        label=_("单位名称"),
        max_length=128,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=24)

    field_order = ["kind", "name", "uscc", "province", "city", "county"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].label = _("所在区县")
        self.setup_region_fields()

    def clean_uscc(self):
        value = normalise_uscc(self.cleaned_data["uscc"])
        validate_uscc(value)
        return value

    def clean(self):
        cleaned = super().clean()
        self.clean_region_chain(cleaned)
        return cleaned


class UsccContestForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=24)
    claimant_unit_name = forms.CharField(
        label=_("贵单位名称"), max_length=128, validators=[validate_single_line]
    )
    statement = forms.CharField(
        label=_("情况说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("请说明您在单位的职务和联系电话，平台工作人员会与您和占用方核实。"),
    )

    def clean_uscc(self):
        value = normalise_uscc(self.cleaned_data["uscc"])
        validate_uscc(value)
        return value


class UsccContestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("uphold", _("支持申诉，撤销占用方")), ("dismiss", _("不支持申诉"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("处理意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("邮箱"))
    role = forms.ChoiceField(label=_("角色"), choices=Membership.Role.choices)


class PlanForm(forms.Form):
    canteen_status = forms.ChoiceField(label=_("食堂情况"), choices=CanteenStatus.choices)
    represented_by = forms.ModelChoiceField(
        label=_("牵头填报单位"),
        queryset=BuyerOrganisation.objects.none(),
        required=False,
        help_text=_("仅合用食堂填写：由哪个单位统一填报。"),
    )
    canteen_budget = money_field(
        _("年度食堂食材采购预算（元）"),
        min_value=Decimal("0"),
        help_text=_("无食堂或合用食堂填 0。"),
    )
    reserve_ratio_percent = forms.DecimalField(
        label=_("预留比例（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    union_purchasing = forms.BooleanField(label=_("工会计划采购"), required=False)
    reason = forms.CharField(
        label=_("修订说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("修改已填报的计划时必填。"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Units that share a canteen sit together: the same district, or the
        # same branch of the unit tree. Listing every unit would expose them all.
        nearby = Q(region_id=organisation.region_id) | Q(parent_id=organisation.pk)
        if organisation.parent_id:
            nearby |= Q(pk=organisation.parent_id) | Q(parent_id=organisation.parent_id)
        self.fields["represented_by"].queryset = (
            BuyerOrganisation.objects.filter(nearby, status=BuyerOrganisation.Status.ACTIVE)
            .exclude(pk=organisation.pk)
            .exclude(kind=BuyerOrganisation.Kind.UNION)
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("canteen_status") == CanteenStatus.SHARED and not cleaned.get(
            "represented_by"
        ):
            self.add_error("represented_by", _("合用食堂须选择牵头填报单位。"))
        return cleaned

    @property
    def reserve_ratio(self) -> Decimal:
        return ratio_of_percent(self.cleaned_data["reserve_ratio_percent"])


class OrderForm(forms.Form):
    delivery_address = forms.CharField(
        label=_("收货地址"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
    requested_delivery_date = forms.DateField(label=_("要求到货日期"), widget=DateInput)
    payment_terms = forms.ChoiceField(label=_("付款方式"), choices=PaymentTerms.choices)

    def clean_requested_delivery_date(self):
        value = self.cleaned_data["requested_delivery_date"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("要求到货日期不能早于今天。"))
        return value


class OrderLineForm(forms.Form):
    stockrecord = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(
        label=_("数量"), min_value=0, max_value=1_000_000, help_text=_("填 0 表示移出采购单。")
    )
    is_preorder = forms.BooleanField(label=_("预订"), required=False)


class DecisionForm(forms.Form):
    # No option is chosen for the approver: approving must be a deliberate act.
    decision = forms.ChoiceField(
        label=_("审批意见"),
        choices=[("approve", _("同意")), ("reject", _("退回"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("退回时请说明原因。"))
        return cleaned


class FreightForm(forms.Form):
    """The supplier asks to change the freight; the buyer's purchaser decides."""

    # No max_digits: any figure, however long, meets the freight rule in
    # clean_freight and gets its message instead of a count of digits.
    freight = forms.DecimalField(
        label=_("申请变更运费为（元）"),
        decimal_places=FREIGHT["decimal_places"],
        min_value=Decimal("0"),
    )
    reason = forms.CharField(
        label=_("变更理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("采购人将看到这一理由，同意后运费才会变更。"),
    )

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.fields["freight"].help_text = _("本合同运费最多 ¥%(limit)s。") % {
            "limit": freight_limit_for(contract=contract)
        }

    def clean_freight(self):
        freight = self.cleaned_data["freight"]
        try:
            freight_check(contract=self.contract, freight=freight)
        except ProcurementError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return freight


class AmendmentDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("处理意见（可不填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelProposalForm(forms.Form):
    reason = forms.CharField(
        label=_("解除理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("合同另一方将看到这一理由，对方同意后合同才解除。"),
    )


class CancelDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("答复意见（可不填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("拒绝原因"), widget=forms.Textarea(attrs={"rows": 2}))


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("承运商"), max_length=64)
    tracking_number = forms.CharField(label=_("运单号"), max_length=64)


# A percent has two places fewer than the ratio the contract stores.
INTEREST_PERCENT_PLACES = INTEREST_RATE_PLACES - 2


class TermsForm(forms.Form):
    payment_days = forms.IntegerField(
        label=_("验收后付款期限（天）"),
        min_value=PAYMENT_DAYS_MIN,
        max_value=PAYMENT_DAYS_MAX,
    )
    daily_interest_percent = forms.DecimalField(
        label=_("逾期日利率（%）"),
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=INTEREST_PERCENT_PLACES,
    )


class AcceptanceLineForm(forms.Form):
    line_id = forms.IntegerField(widget=forms.HiddenInput)
    received = forms.IntegerField(label=_("实收数量"), min_value=0)
    accepted = forms.IntegerField(label=_("验收合格数量"), min_value=0)
    notes = forms.CharField(label=_("备注"), required=False, max_length=255)

    def clean(self):
        cleaned = super().clean()
        received, accepted = cleaned.get("received"), cleaned.get("accepted")
        if received is not None and accepted is not None and accepted > received:
            self.add_error("accepted", _("验收合格数量不能超过实收数量。"))
        return cleaned


class BaseAcceptanceLineFormSet(forms.BaseFormSet):
    """One row per contract line, no more, no fewer: a post that drops or
    invents rows is refused here rather than half-accepted."""

    def __init__(self, *args, line_ids, **kwargs):
        self.line_ids = list(line_ids)
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        posted = [form.cleaned_data.get("line_id") for form in self.forms]
        if len(posted) != len(self.line_ids) or set(posted) != set(self.line_ids):
            raise forms.ValidationError(
                _("验收明细与合同不一致，请按合同的每一行填写。"), code="lines_mismatch"
            )


AcceptanceLineFormSet = forms.formset_factory(
    AcceptanceLineForm, formset=BaseAcceptanceLineFormSet, extra=0
)


class AcceptanceForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("供应商评价"),
        coerce=int,
        choices=[(5, "★★★★★"), (4, "★★★★"), (3, "★★★"), (2, "★★"), (1, "★")],
    )
    notes = forms.CharField(
        label=_("验收意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InvoiceForm(forms.Form):
    number = forms.CharField(label=_("发票号码"), max_length=32)
    issued_on = forms.DateField(label=_("开票日期"), widget=DateInput)
    amount = money_field(_("发票金额（元）"))
    scan = document_field(_("发票扫描件"), required=True)

    def clean_scan(self):
        return _clean_document(self.cleaned_data["scan"])


class PaymentForm(forms.Form):
    reference = forms.CharField(label=_("银行转账流水号"), max_length=64)
    paid_on = forms.DateField(label=_("付款日期"), widget=DateInput)
    amount = money_field(_("付款金额（元）"))


class RefundForm(forms.Form):
    reference = forms.CharField(label=_("退款流水号"), max_length=64)
    refunded_on = forms.DateField(label=_("退款到账日期"), widget=DateInput)


class OffPlatformForm(CountySelectMixin, forms.Form):
    channel = forms.ChoiceField(label=_("采购方式"), choices=OffPlatformPurchase.Channel.choices)
    supplier_name = forms.CharField(label=_("供应商名称"), max_length=128)
    category = forms.CharField(label=_("品类"), max_length=64)
    amount = money_field(_("金额（元）"))
    purchased_on = forms.DateField(label=_("采购日期"), widget=DateInput)
    evidence = document_field(_("凭证扫描件"), required=True)

    field_order = [
        "channel",
        "supplier_name",
        "province",
        "city",
        "county",
        "category",
        "amount",
        "purchased_on",
        "evidence",
    ]

    def __init__(self, *args, correcting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].label = _("产地县")
        self.setup_region_fields()
        if correcting:
            self.fields["correction_reason"] = forms.CharField(
                label=_("更正原因"), widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean_evidence(self):
        return _clean_document(self.cleaned_data["evidence"])

    def clean_purchased_on(self):
        value = self.cleaned_data["purchased_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("采购日期不能晚于今天。"))
        return value

    def clean(self):
        cleaned = super().clean()
        self.clean_region_chain(cleaned)
        return cleaned


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("核实结果"), choices=[("approve", _("核实通过")), ("reject", _("不予核实"))]
    )
    note = forms.CharField(
        label=_("核实意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("不予核实时请说明原因。"))
        return cleaned


class HelpedSaleForm(forms.Form):
    buyer_name = forms.CharField(label=_("购买方"), max_length=128)
    producer = forms.ModelChoiceField(
        label=_("供应商"), queryset=Producer.objects.select_related("partner")
    )
    amount = money_field(_("金额（元）"))
    sold_on = forms.DateField(label=_("销售日期"), widget=DateInput)
    evidence = document_field(_("证明材料"), required=True)

    def clean_evidence(self):
        return _clean_document(self.cleaned_data["evidence"])


class PriceBreakForm(forms.Form):
    stockrecord = forms.IntegerField(widget=forms.HiddenInput)
    min_quantity = forms.IntegerField(label=_("起订数量"), min_value=2)
    unit_price = money_field(_("单价（元）"))


class StatementPeriodForm(forms.Form):
    """The period of a producer's settlement statement (结算对账单), from the
    query string: a month, a quarter or a year."""

    kind = forms.ChoiceField(label=_("期间"), choices=PeriodKind.CHOICES)
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12, required=False)
    quarter = forms.IntegerField(label=_("季度"), min_value=1, max_value=4, required=False)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == PeriodKind.MONTH and not data.get("month"):
            self.add_error("month", _("请选择月份。"))
        if kind == PeriodKind.QUARTER and not data.get("quarter"):
            self.add_error("quarter", _("请选择季度。"))
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        number = {PeriodKind.MONTH: data.get("month"), PeriodKind.QUARTER: data.get("quarter")}
        return Period(kind=data["kind"], year=data["year"], number=number.get(data["kind"]) or 1)

    @staticmethod
    def initial_for(day) -> dict:
        return {
            "kind": PeriodKind.MONTH,
            "year": day.year,
            "month": day.month,
            "quarter": (day.month - 1) // 3 + 1,
        }


class ReserveRatioRuleForm(forms.Form):
    """A minimum reserve-ratio rule as staff type it; its rules (range,
    province level, one rule per year and province) are the model's, checked by
    procurement.services.reserve_ratio_rule_save."""

    year = forms.IntegerField(label=_("年度"))
    province = forms.ModelChoiceField(
        label=_("省份"),
        queryset=Region.objects.provinces().order_by("code"),
        required=False,
        empty_label=_("全国通用"),
    )
    minimum_ratio_percent = forms.DecimalField(
        label=_("最低预留比例（%）"),
        max_digits=5,
        decimal_places=2,
        help_text=_("例如 10 表示 10%。"),
    )

    @staticmethod
    def initial_for(rule) -> dict:
        return {
            "year": rule.year,
            "province": rule.province_id,
            "minimum_ratio_percent": percent_of_ratio(rule.minimum_ratio),
        }

    @property
    def minimum_ratio(self) -> Decimal:
        return ratio_of_percent(self.cleaned_data["minimum_ratio_percent"])


class PairingForm(forms.Form):
    """A pairing as staff type it; its rules are procurement.rules.pairing_check's,
    run in clean() so that a refusal shows on the form with nothing saved."""

    kind = forms.ChoiceField(label=_("结对类型"), choices=PairingKind.choices)
    name = forms.CharField(label=_("结对名称"), max_length=128, validators=[validate_single_line])
    helper_unit_uscc = forms.CharField(
        label=_("帮扶单位统一社会信用代码"),
        required=False,
        max_length=18,
        help_text=_("帮扶方为一个采购单位时填写（其工会的采购一并计入）。"),
    )
    helper_region_code = forms.CharField(
        label=_("帮扶地区行政区划代码"),
        required=False,
        max_length=6,
        help_text=_("帮扶方为一个地区时填写，如 320000（江苏省）：该地区及下级地区的单位都计入。"),
    )
    county_codes = forms.CharField(
        label=_("受帮扶县代码"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("县级行政区划代码，用空格、逗号或顿号分隔，如 611026、610924。"),
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空表示长期有效。"),
    )

    @staticmethod
    def initial_for(pairing) -> dict:
        return {
            "kind": pairing.kind,
            "name": pairing.name,
            "helper_unit_uscc": pairing.helper_unit.uscc if pairing.helper_unit_id else "",
            "helper_region_code": pairing.helper_region.code if pairing.helper_region_id else "",
            "county_codes": " ".join(c.code for c in pairing.helped_counties.order_by("code")),
            "starts_on": pairing.starts_on,
            "ends_on": pairing.ends_on,
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.data_checked = pairing_check(
                kind=cleaned["kind"],
                name=cleaned["name"],
                helper_unit_uscc=cleaned["helper_unit_uscc"],
                helper_region_code=cleaned["helper_region_code"],
                county_codes=pairing_county_codes(cleaned["county_codes"]),
                starts_on=cleaned["starts_on"],
                ends_on=cleaned["ends_on"],
            )
        except ProcurementError as exc:
            raise forms.ValidationError(str(exc), code=exc.code) from None
        return cleaned


class DateRangeForm(forms.Form):
    """A report's date range; the current year to date unless chosen."""

    date_from = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))

    @classmethod
    def from_query(cls, query) -> tuple["DateRangeForm", "datetime.date", "datetime.date"]:
        today = timezone.localdate()
        default = {"date_from": today.replace(month=1, day=1), "date_to": today}
        form = cls({**default, **{k: v for k, v in query.items() if k in default and v}})
        if not form.is_valid() or form.cleaned_data["date_from"] > form.cleaned_data["date_to"]:
            form = cls(default)
            form.is_valid()
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
