"""Bulletins (通报): the figures of a region and period computed once through
``oversight.selectors`` and frozen as JSON, and the summary sentences written
from them.

``bulletin_figures`` is the one place a bulletin's figures are computed;
everything after it (pages, XLSX, PDF, the sentences) reads the frozen JSON,
in which every Decimal is a string and every date an ISO string, so a
published bulletin shows what it showed the day it was published.

Late records (a contract accepted in October but entered in November) change
October's recomputed figures but not October's bulletin. The next bulletin
of the same region (``bulletin_correction``) recomputes the previous period
and notes any difference from the published, frozen figures.

``bulletin_sentences`` writes the summary sentences (截至10月底，全省预算单位
完成采购X万元，占年度目标Y%……) from frozen figures only.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from catalogue.selectors import flagged_listings, with_reference_prices
from oversight.periods import Period, period_parse
from oversight.rules import EVERYTHING, RegionScope
from oversight.selectors import (
    buyer_figures,
    buyers_counted_total,
    change_percent,
    household_figures,
    money_to_places,
    money_total,
    money_trend,
    pairings_in_scope,
    payment_figures,
)
from regions.models import Region

# 2: the trend of money by period (``trend``) and the pairings (``pairings``);
# a version-1 bulletin has neither and shows neither.
FIGURES_VERSION = 2
FLAGGED_SHOWN = 100
WAN = Decimal("10000")
CENT = Decimal("0.01")


def _s(value) -> str | None:
    """A Decimal (or None) as frozen: a string, exactly."""
    return None if value is None else str(value)


def _d(value) -> Decimal | None:
    """A frozen Decimal back."""
    return None if value in (None, "") else Decimal(value)


def bulletin_scope(region: Region | None) -> RegionScope:
    if region is None:
        return EVERYTHING
    return RegionScope(national=False, root_ids=frozenset({region.pk}))


def _unit(row) -> dict:
    return {
        "unit_id": row.unit_id,
        "name": row.name,
        "kind_label": row.kind_label,
        "region_name": row.region_name,
        "target": _s(row.target),
        "counted": _s(row.counted),
        "expected": _s(row.expected),
        "percent": _s(row.percent),
        "rank_in_kind": row.rank_in_kind,
        "units_of_kind": row.units_of_kind,
        "is_behind": row.is_behind,
        "shortfall": _s(row.shortfall),
    }


def _amounts(amounts) -> dict:
    return {
        "consumer": _s(amounts.consumer),
        "agency": _s(amounts.agency),
        "off_platform": _s(amounts.off_platform),
        "helped": _s(amounts.helped),
        "total": _s(amounts.total),
    }


def bulletin_figures(
    *, region: Region | None, period: Period, today: datetime.date | None = None
) -> dict:
    """Every figure of the bulletin of ``region`` (None: national) for
    ``period``, as JSON-ready data. A fixed number of grouped queries."""
    today = today or timezone.localdate()
    scope = bulletin_scope(region)
    buyers = buyer_figures(scope=scope, period=period, today=today)
    counted_previous = buyers_counted_total(scope=scope, period=period.previous())
    counted_last_year = buyers_counted_total(scope=scope, period=period.same_last_year())
    places = money_to_places(scope=scope, period=period, region=region)
    money_previous = money_total(scope=scope, period=period.previous()).total
    money_last_year = money_total(scope=scope, period=period.same_last_year()).total
    households = household_figures(scope=scope, period=period)
    payments = payment_figures(scope=scope, period=period, today=today)
    trend = money_trend(scope=scope, period=period)
    pairings = pairings_in_scope(scope=scope, period=period)
    flagged_query = flagged_listings(region=region)
    flagged = with_reference_prices(flagged_query[:FLAGGED_SHOWN])
    return {
        "version": FIGURES_VERSION,
        "region": (
            None
            if region is None
            else {"id": region.pk, "code": region.code, "name": region.name, "level": region.level}
        ),
        "period": {
            "key": period.slug,
            "kind": period.kind,
            "label": period.label,
            "first_day": period.first_day.isoformat(),
            "last_day": period.last_day.isoformat(),
            "previous_label": period.previous().label,
            "last_year_label": period.same_last_year().label,
        },
        "buyers": {
            "year": buyers.year,
            "target": _s(buyers.target),
            "counted": _s(buyers.counted),
            "percent": _s(buyers.percent),
            "expected_percent": _s(buyers.expected_percent),
            "counted_previous": _s(counted_previous),
            "counted_last_year": _s(counted_last_year),
            "units": [_unit(row) for row in buyers.units],
            "behind": [_unit(row) for row in buyers.behind],
            "missed_filing": [_unit(row) for row in buyers.missed_filing],
        },
        "money": {
            **_amounts(places.totals),
            "previous_total": _s(money_previous),
            "last_year_total": _s(money_last_year),
            "change_previous": _s(change_percent(places.totals.total, money_previous)),
            "change_last_year": _s(change_percent(places.totals.total, money_last_year)),
            "key_county_total": _s(places.key_county_total),
            "key_county_share": _s(places.key_county_share),
            "places": [
                {
                    "region_id": row.region_id,
                    "code": row.code,
                    "name": row.name,
                    "is_key_assistance_county": row.is_key_assistance_county,
                    **_amounts(row.amounts),
                }
                for row in places.rows
            ],
        },
        "trend": [
            {
                "key": point.period.slug,
                "label": point.period.label,
                **_amounts(point.amounts),
                "last_year_total": _s(point.last_year.total),
            }
            for point in trend
        ],
        "pairings": [
            {
                "pairing_id": row.pairing_id,
                "name": row.name,
                "kind_label": row.kind_label,
                "helper_name": row.helper_name,
                "counties": row.counties,
                "contracts": _s(row.contracts),
                "off_platform": _s(row.off_platform),
                "total": _s(row.total),
            }
            for row in pairings
        ],
        "households": {
            "year": households.year,
            "producers": households.producers,
            "total": households.total,
            "employment": households.employment,
            "asset_income": households.asset_income,
            "purchase": households.purchase,
            "employment_amount": _s(households.employment_amount),
            "asset_income_amount": _s(households.asset_income_amount),
            "purchase_amount": _s(households.purchase_amount),
        },
        "payments": {
            "on": payments.on.isoformat(),
            "overdue_count": payments.overdue_count,
            "overdue_amount": _s(payments.overdue_amount),
            "interest_owed": _s(payments.interest_owed),
            "average_days": _s(payments.average_days),
            "overdue": [
                {
                    "number": row.number,
                    "unit_name": row.unit_name,
                    "producer_name": row.producer_name,
                    "due_date": row.due_date.isoformat(),
                    "days_overdue": row.days_overdue,
                    "owed": _s(row.owed),
                    "interest": _s(row.interest),
                }
                for row in payments.overdue
            ],
            "settled_delays": [
                {
                    "unit_name": row.unit_name,
                    "contracts": row.contracts,
                    "average_days": _s(row.average_days),
                }
                for row in payments.settled_delays
            ],
        },
        "flagged": {
            "count": flagged_query.count(),
            "rows": [
                {
                    "producer": record.partner.name,
                    "product": record.product.get_title(),
                    "price": _s(record.price),
                    "reference": _s(record.reference_price),
                    "percent_above": _s(getattr(record, "percent_above", None)),
                }
                for record in flagged
            ],
        },
        "correction": None,
        "summary": [],
    }


def bulletin_correction(*, previous, region: Region | None, period: Period) -> dict | None:
    """The difference between the previous bulletin's frozen headline figures
    (``previous``: the published bulletin of the same region for
    ``period.previous()``, or None) and the same figures recomputed now, when
    late records changed them; None when nothing changed."""
    if previous is None:
        return None
    scope = bulletin_scope(region)
    before = period.previous()
    counted_now = buyers_counted_total(scope=scope, period=before)
    money_now = money_total(scope=scope, period=before).total
    counted_frozen = _d(previous.figures["buyers"]["counted"])
    money_frozen = _d(previous.figures["money"]["total"])
    if counted_now == counted_frozen and money_now == money_frozen:
        return None
    return {
        "bulletin_id": previous.pk,
        "period_label": previous.figures["period"]["label"],
        "counted_frozen": _s(counted_frozen),
        "counted_now": _s(counted_now),
        "counted_difference": _s(counted_now - counted_frozen),
        "money_frozen": _s(money_frozen),
        "money_now": _s(money_now),
        "money_difference": _s(money_now - money_frozen),
    }


# --- sentences --------------------------------------------------------------------


def _wan(value) -> str:
    """An amount in 万元 with two decimals: 1696.50 → 0.17."""
    return str((_d(value) / WAN).quantize(CENT, rounding=ROUND_HALF_UP))


# The sentences' words that are also column headings elsewhere ("全国",
# "上期") take a context of their own: mid-sentence, English writes them otherwise.
SENTENCE = "bulletin sentence"


def _place_word(region: dict | None) -> str:
    if region is None:
        return pgettext(SENTENCE, "全国")
    return {"province": _("全省"), "city": _("全市")}.get(region["level"], _("全县"))


def _as_of(last_day: str) -> str:
    day = datetime.date.fromisoformat(last_day)
    if (day + datetime.timedelta(days=1)).day == 1:
        return _("截至%(month)d月底") % {"month": day.month}
    return _("截至%(month)d月%(day)d日") % {"month": day.month, "day": day.day}


def _change(value: str | None, against: str) -> str:
    if value is None:
        return _("%(against)s无可比数据") % {"against": against}
    number = _d(value)
    if number >= 0:
        return _("较%(against)s增长%(percent)s%%") % {"against": against, "percent": number}
    return _("较%(against)s下降%(percent)s%%") % {"against": against, "percent": -number}


def _labels(figures: dict) -> dict:
    """The period labels of the bulletin in the active language, from its
    period key (the frozen labels are in the language of generation)."""
    period = period_parse(figures["period"]["key"])
    return {
        "label": period.label,
        "previous_label": period.previous().label,
        "last_year_label": period.same_last_year().label,
    }


def bulletin_sentences(figures: dict) -> list[str]:
    """The summary sentences of a bulletin, from its frozen figures only (the
    one home of the bulletin's wording). In the active language."""
    period, buyers, money = figures["period"], figures["buyers"], figures["money"]
    labels = _labels(figures)
    households, payments = figures["households"], figures["payments"]
    place = _place_word(figures["region"])
    sentences = []
    if buyers["percent"] is None:
        sentences.append(
            _("%(as_of)s，%(place)s预算单位完成采购%(counted)s万元，尚无单位报送年度预留份额。")
            % {
                "as_of": _as_of(period["last_day"]),
                "place": place,
                "counted": _wan(buyers["counted"]),
            }
        )
    else:
        sentences.append(
            _(
                "%(as_of)s，%(place)s预算单位完成采购%(counted)s万元，占年度目标%(percent)s%%，"
                "时间进度为%(expected)s%%。"
            )
            % {
                "as_of": _as_of(period["last_day"]),
                "place": place,
                "counted": _wan(buyers["counted"]),
                "percent": buyers["percent"],
                "expected": buyers["expected_percent"],
            }
        )
    sentences.append(
        _(
            "%(label)s，帮扶产品销售%(total)s万元，其中个人消费%(consumer)s万元、单位采购"
            "%(agency)s万元、线下采购%(off_platform)s万元、国有企业帮助销售%(helped)s万元，"
            "%(change_previous)s，%(change_last_year)s。"
        )
        % {
            "label": labels["label"],
            "total": _wan(money["total"]),
            "consumer": _wan(money["consumer"]),
            "agency": _wan(money["agency"]),
            "off_platform": _wan(money["off_platform"]),
            "helped": _wan(money["helped"]),
            "change_previous": _change(money["change_previous"], pgettext(SENTENCE, "上期")),
            "change_last_year": _change(money["change_last_year"], pgettext(SENTENCE, "去年同期")),
        }
    )
    if money["key_county_share"] is not None:
        sentences.append(
            _("流向国家乡村振兴重点帮扶县%(amount)s万元，占%(share)s%%。")
            % {"amount": _wan(money["key_county_total"]), "share": money["key_county_share"]}
        )
    behind, missed = len(buyers["behind"]), len(buyers["missed_filing"])
    if behind:
        sentences.append(
            _("%(behind)d家单位采购进度落后于时间进度，需重点督促。") % {"behind": behind}
        )
    if missed:
        sentences.append(_("%(missed)d家单位逾期未报送年度预留份额计划。") % {"missed": missed})
    if not behind and not missed:
        sentences.append(_("各单位采购进度均达到时间进度要求。"))
    if payments["overdue_count"]:
        sentences.append(
            _("逾期未付合同%(count)d份，欠款%(owed)s元，应付逾期利息%(interest)s元。")
            % {
                "count": payments["overdue_count"],
                "owed": payments["overdue_amount"],
                "interest": payments["interest_owed"],
            }
        )
    else:
        sentences.append(_("无逾期未付合同。"))
    sentences.append(
        _("经核实的联农带农机制共带动脱贫户%(households)d户。")
        % {"households": households["total"]}
    )
    if figures["flagged"]["count"]:
        sentences.append(
            _("%(count)d个商品售价高于市场参考价，已提示相关生产主体。")
            % {"count": figures["flagged"]["count"]}
        )
    correction = figures.get("correction")
    if correction:
        sentences.append(bulletin_correction_note(correction, label=labels["previous_label"]))
    return sentences


def bulletin_correction_note(correction: dict, *, label: str | None = None) -> str:
    """The note a bulletin carries when late records changed the previous one
    (``label``: the corrected period's label in the active language; by
    default the one frozen at generation)."""
    return _(
        "更正说明：因补录数据，%(label)s预算单位完成采购由%(counted_frozen)s元更正为"
        "%(counted_now)s元，帮扶产品销售额由%(money_frozen)s元更正为%(money_now)s元；"
        "已发布的%(label)s通报保持不变。"
    ) % {
        "label": label or correction["period_label"],
        "counted_frozen": correction["counted_frozen"],
        "counted_now": correction["counted_now"],
        "money_frozen": correction["money_frozen"],
        "money_now": correction["money_now"],
    }


@dataclass(frozen=True)
class BulletinText:
    """What a reader sees of a bulletin's wording, in the active language."""

    summary: list[str]
    correction_note: str
    label: str
    previous_label: str
    last_year_label: str


def bulletin_text(bulletin) -> BulletinText:
    """The bulletin's summary sentences, correction note and period labels in
    the reader's language. In the language of generation (the site's, Chinese)
    they are the stored text, byte for byte what was published; in another
    they are written again from the frozen figures. The figures and the staff's
    commentary are shown as they are, in every language."""
    figures = bulletin.figures
    if translation.get_language() == settings.LANGUAGE_CODE:
        period = figures["period"]
        return BulletinText(
            summary=figures["summary"],
            correction_note=bulletin.correction_note,
            label=period["label"],
            previous_label=period["previous_label"],
            last_year_label=period["last_year_label"],
        )
    labels = _labels(figures)
    correction = figures.get("correction")
    note = ""
    if bulletin.correction_note and correction:
        note = bulletin_correction_note(correction, label=labels["previous_label"])
    return BulletinText(summary=bulletin_sentences(figures), correction_note=note, **labels)


# --- chart ------------------------------------------------------------------------

CHART_BARS = 10
CHART_WIDTH = 360  # the longest bar, in SVG units
CHART_ROW = 22


def bulletin_places_chart(figures: dict) -> dict:
    """The horizontal bar chart of money by place (the ten largest), drawn as
    inline SVG by ``oversight/includes/places_chart.svg`` on the page and in
    the PDF: bars sized here from the frozen figures."""
    places = figures["money"]["places"][:CHART_BARS]
    top = max((_d(row["total"]) for row in places), default=Decimal(0))
    bars = []
    for index, row in enumerate(places):
        total = _d(row["total"])
        width = int(total * CHART_WIDTH / top) if top else 0
        bars.append(
            {
                "name": row["name"],
                "label": _wan(row["total"]),
                "y": index * CHART_ROW,
                "text_y": index * CHART_ROW + 15,
                "width": max(width, 1),
            }
        )
    return {"bars": bars, "height": max(len(bars), 1) * CHART_ROW, "label_x": 110}


CHANNEL_COLOURS = {
    "consumer": "#c0392b",
    "agency": "#e67e22",
    "off_platform": "#16a085",
    "helped": "#2980b9",
}
SHARE_WIDTH = 560  # the whole bar, in SVG units


def _channel_names() -> dict[str, str]:
    return {
        "consumer": _("个人消费"),
        "agency": _("单位采购"),
        "off_platform": _("线下采购"),
        "helped": _("国企帮助销售"),
    }


def bulletin_channels_chart(figures: dict) -> dict:
    """One bar split by channel in proportion to the period's money, with a
    legend naming each channel, its amount in 万元 and its share; drawn as
    inline SVG by ``oversight/includes/channels_chart.svg``. No bar when
    nothing was sold."""
    money = figures["money"]
    total = _d(money["total"])
    names = _channel_names()
    segments, legend, x = [], [], 0
    for index, channel in enumerate(CHANNEL_COLOURS):
        amount = _d(money[channel])
        share = (
            (amount * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if total
            else None
        )
        width = int(amount * SHARE_WIDTH / total) if total else 0
        if width:
            segments.append({"x": x, "width": width, "colour": CHANNEL_COLOURS[channel]})
            x += width
        legend.append(
            {
                "y": 40 + index * 20,
                "text_y": 52 + index * 20,
                "colour": CHANNEL_COLOURS[channel],
                "text": f"{names[channel]} {_wan(money[channel])} {_('万元')}"
                + (f"（{share}%）" if share is not None else ""),
            }
        )
    return {"segments": segments, "legend": legend, "height": 40 + len(legend) * 20}


TREND_WIDTH, TREND_HEIGHT = 520, 160  # the plot area, in SVG units
TREND_LEFT, TREND_TOP = 60, 10


def bulletin_trend_chart(figures: dict) -> dict | None:
    """The money of each period of the frozen trend as a line, and the same
    periods last year as a dashed line, with the axis' top value in 万元;
    drawn by ``oversight/includes/trend_chart.svg``. None for a bulletin
    frozen before trends were kept."""
    points = figures.get("trend")
    if not points:
        return None
    current = [_d(p["total"]) for p in points]
    last_year = [_d(p["last_year_total"]) for p in points]
    top = max(current + last_year) or Decimal(1)
    step = TREND_WIDTH / max(len(points) - 1, 1)

    def line(values):
        return " ".join(
            f"{TREND_LEFT + i * step:.1f},"
            f"{TREND_TOP + TREND_HEIGHT - float(v * TREND_HEIGHT / top):.1f}"
            for i, v in enumerate(values)
        )

    bottom = TREND_TOP + TREND_HEIGHT
    return {
        "current": line(current),
        "last_year": line(last_year),
        "left": TREND_LEFT,
        "right": TREND_LEFT + TREND_WIDTH,
        "top": TREND_TOP,
        "bottom": bottom,
        "top_label": _wan(str(top)),
        # Every third period's key (2026-10, 2026-W43 …), counted back from the last.
        "ticks": [
            {"x": f"{TREND_LEFT + i * step:.1f}", "label": p["key"]}
            for i, p in enumerate(points)
            if (len(points) - 1 - i) % 3 == 0
        ],
        "legend_y": bottom + 36,
        "height": bottom + 50,
    }
