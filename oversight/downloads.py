"""A bulletin as XLSX (a sheet per section) and PDF, from its frozen figures only."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from catalogue.importers import ExportedFile
from common.pdf import PDF_CONTENT_TYPE, PDF_FONT_FAMILY, html_pdf
from oversight.bulletins import (
    bulletin_channels_chart,
    bulletin_places_chart,
    bulletin_text,
    bulletin_trend_chart,
)
from oversight.models import Bulletin
from procurement.exports import Sheet, sheets_xlsx


def _m(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _title(bulletin: Bulletin, text) -> str:
    place = bulletin.figures["region"]["name"] if bulletin.figures.get("region") else _("全国")
    return _("%(place)s%(period)s消费帮扶通报") % {"place": place, "period": text.label}


def _filename(bulletin: Bulletin, extension: str) -> str:
    code = bulletin.figures["region"]["code"] if bulletin.figures.get("region") else "000000"
    return f"bulletin-{code}-{bulletin.period_key}-{bulletin.pk}.{extension}"


def bulletin_xlsx(bulletin: Bulletin) -> ExportedFile:
    figures, text = bulletin.figures, bulletin_text(bulletin)
    buyers, money = figures["buyers"], figures["money"]
    households, payments = figures["households"], figures["payments"]
    unit_headers = [_("类别"), _("排名"), _("单位"), _("地区"), _("年度目标（元）"),
                    _("已完成（元）"), _("时间进度应完成（元）"), _("完成比例（%）")]  # fmt: skip

    def unit_rows(rows):
        return [
            [
                r["kind_label"],
                r["rank_in_kind"],
                r["name"],
                r["region_name"],
                _m(r["target"]),
                _m(r["counted"]),
                _m(r["expected"]),
                _m(r["percent"]),
            ]  # fmt: skip
            for r in rows
        ]

    summary = [[sentence] for sentence in text.summary]
    if bulletin.commentary:
        summary += [[_("评述")], [bulletin.commentary]]
    sheets = [
        Sheet(_("综述"), [_("内容")], summary, heading=_title(bulletin, text)),
        Sheet(
            _("总体情况"),
            [_("指标"), text.label, text.previous_label, text.last_year_label],
            [
                [
                    _("预算单位累计采购（元）"),
                    _m(buyers["counted"]),
                    _m(buyers["counted_previous"]),
                    _m(buyers["counted_last_year"]),
                ],
                [
                    _("帮扶产品销售额（元）"),
                    _m(money["total"]),
                    _m(money["previous_total"]),
                    _m(money["last_year_total"]),
                ],
                [_("年度目标（元）"), _m(buyers["target"]), None, None],
            ],  # fmt: skip
        ),
        Sheet(
            _("销售去向"),
            [
                _("地区"),
                _("重点帮扶县"),
                _("个人消费（元）"),
                _("单位采购（元）"),
                _("线下采购（元）"),
                _("国企帮助销售（元）"),
                _("合计（元）"),
            ],  # fmt: skip
            [
                [
                    r["name"],
                    _("是") if r["is_key_assistance_county"] else "",
                    _m(r["consumer"]),
                    _m(r["agency"]),
                    _m(r["off_platform"]),
                    _m(r["helped"]),
                    _m(r["total"]),
                ]
                for r in money["places"]
            ],  # fmt: skip
        ),
        Sheet(_("单位进度排名"), unit_headers, unit_rows(buyers["units"])),
        Sheet(_("进度落后单位"), unit_headers, unit_rows(buyers["behind"])),
        Sheet(_("逾期未报送计划"), unit_headers, unit_rows(buyers["missed_filing"])),
        Sheet(
            _("联农带农"),
            [_("指标"), _("户数"), _("金额（元）")],
            [
                [_("带动脱贫户合计"), households["total"], None],
                [_("务工就业"), households["employment"], _m(households["employment_amount"])],
                [_("资产收益"), households["asset_income"], _m(households["asset_income_amount"])],
                [_("订单收购"), households["purchase"], _m(households["purchase_amount"])],
            ],
        ),
        Sheet(
            _("账款支付"),
            [
                _("合同号"),
                _("单位"),
                _("生产主体"),
                _("到期日"),
                _("逾期天数"),
                _("欠款（元）"),
                _("逾期利息（元）"),
            ],  # fmt: skip
            [
                [
                    r["number"],
                    r["unit_name"],
                    r["producer_name"],
                    r["due_date"],
                    r["days_overdue"],
                    _m(r["owed"]),
                    _m(r["interest"]),
                ]
                for r in payments["overdue"]
            ],  # fmt: skip
        ),
        Sheet(
            _("价格监测"),
            [_("生产主体"), _("商品"), _("售价（元）"), _("参考价（元）")],
            [
                [r["producer"], r["product"], _m(r["price"]), _m(r["reference"])]
                for r in figures["flagged"]["rows"]
            ],
        ),
    ]
    # A bulletin frozen before trends and pairings were kept (version 1) has no such sheets.
    if "trend" in figures:
        sheets.insert(
            3,
            Sheet(
                _("销售额趋势"),
                [_("统计期间"), _("销售额（元）"), _("去年同期（元）")],
                [[p["label"], _m(p["total"]), _m(p["last_year_total"])] for p in figures["trend"]],
            ),
        )
    if "pairings" in figures:
        sheets.insert(
            -1,
            Sheet(
                _("结对帮扶采购"),
                [
                    _("结对名称"),
                    _("类型"),
                    _("帮扶方"),
                    _("受帮扶县"),
                    _("单位采购（元）"),
                    _("线下采购（元）"),
                    _("合计（元）"),
                ],  # fmt: skip
                [
                    [
                        r["name"],
                        r["kind_label"],
                        r["helper_name"],
                        "、".join(r["counties"]),
                        _m(r["contracts"]),
                        _m(r["off_platform"]),
                        _m(r["total"]),
                    ]
                    for r in figures["pairings"]
                ],  # fmt: skip
            ),
        )
    if text.correction_note:
        sheets.append(Sheet(_("更正说明"), [_("内容")], [[text.correction_note]]))
    return sheets_xlsx(sheets, filename=_filename(bulletin, "xlsx"))


def bulletin_pdf(bulletin: Bulletin) -> ExportedFile:
    """The PDF in the active language (the request's)."""
    text = bulletin_text(bulletin)
    html = render_to_string(
        "oversight/bulletin_pdf.html",
        {
            "bulletin": bulletin,
            "figures": bulletin.figures,
            "text": text,
            "title": _title(bulletin, text),
            "chart": bulletin_places_chart(bulletin.figures),
            "channels_chart": bulletin_channels_chart(bulletin.figures),
            "trend_chart": bulletin_trend_chart(bulletin.figures),
            "font_family": PDF_FONT_FAMILY,
        },
    )
    return ExportedFile(html_pdf(html), PDF_CONTENT_TYPE, _filename(bulletin, "pdf"))
