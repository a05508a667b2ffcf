"""Programme staff's page for the minimum reserve-ratio rules (预留比例规则):
the list, adding a rule and changing one. The rules' own checks are in
procurement.services.reserve_ratio_rule_save."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.numbers import percent_text
from procurement import services
from procurement.forms import ReserveRatioRuleForm
from procurement.models import ReserveRatioRule
from procurement.selectors import reserve_ratio_rules
from procurement.views._common import _run, staff_only


def _saved(request, form, rule=None):
    saved = _run(
        request,
        form,
        services.reserve_ratio_rule_save,
        actor=request.user,
        rule=rule,
        year=form.cleaned_data["year"],
        province=form.cleaned_data["province"],
        minimum_ratio=form.minimum_ratio,
    )
    if saved is not None:
        messages.success(
            request,
            _("已保存 %(year)s 年度%(where)s的最低预留比例：%(ratio)s。")
            % {
                "year": saved.year,
                "where": saved.province.name if saved.province_id else _("全国"),
                "ratio": percent_text(saved.minimum_ratio),
            },
        )
    return saved


@staff_only
def ratio_rules(request):
    form = ReserveRatioRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _saved(request, form):
        return redirect("procurement:ratio-rules")
    return render(
        request,
        "procurement/ratio_rules.html",
        {
            "form": form,
            "rules": reserve_ratio_rules(),
            "default_ratio": settings.PROCUREMENT_DEFAULT_RESERVE_RATIO,
        },
    )


@staff_only
def ratio_rule_edit(request, pk: int):
    rule = get_object_or_404(ReserveRatioRule.objects.select_related("province"), pk=pk)
    form = ReserveRatioRuleForm(
        request.POST or None, initial=ReserveRatioRuleForm.initial_for(rule)
    )
    if request.method == "POST" and form.is_valid() and _saved(request, form, rule):
        return redirect("procurement:ratio-rules")
    return render(request, "procurement/ratio_rule_edit.html", {"form": form, "rule": rule})
