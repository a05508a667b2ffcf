"""What the overview's charts draw (static/oversight/charts.js), as the data
``json_script`` puts on the page: the same figures as the page's tables, from
the selectors the view already called, with every label translated here so the
script carries no text. Money stays an exact decimal string; the script turns
it into a number for drawing only.

The map colours provinces (national view, ``100000.json``) or the counties of
one province (``<province code>.json``) from ``static/vendor/china-geo/``,
matching ``Region.code`` against each outline's GB/T 2260 ``adcode``.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from oversight.periods import Period
from oversight.selectors import CHANNELS, BuyerFigures, PlaceFigures, TrendPoint
from regions.models import Region

NATIONAL_MAP = "100000"
RANKED_UNITS = 20


def channel_labels() -> dict[str, str]:
    return {
        "consumer": _("消费者订单"),
        "agency": _("单位采购合同"),
        "off_platform": _("场外采购"),
        "helped": _("国企帮助销售"),
    }


def _map(*, places: PlaceFigures, region: Region | None, national: bool, period: Period):
    """The map to draw and its coloured places, or None (an office of several
    regions looking at all of them at once has no one map)."""
    if region is None and not national:
        return None
    if region is None:
        key, rows = NATIONAL_MAP, places.rows
    else:
        key, rows = region.province.code, places.counties
    items = []
    for row in rows:
        if row.level == Region.Level.COUNTY:
            url = reverse("oversight:county-producers", args=[row.region_id])
            url += "?" + urlencode({"period": period.slug})
        else:
            url = reverse("oversight:overview")
            url += "?" + urlencode({"region": row.region_id, "period": period.slug})
        items.append(
            {"name": row.code, "label": row.name, "value": str(row.amounts.total), "url": url}
        )
    return {"key": key, "geo": static(f"vendor/china-geo/{key}.json"), "items": items}


def overview_charts(
    *,
    period: Period,
    region: Region | None,
    national: bool,
    trend: list[TrendPoint],
    buyers: BuyerFigures,
    places: PlaceFigures,
) -> dict:
    labels = channel_labels()
    ranked = sorted(
        (u for u in buyers.units if u.percent is not None),
        key=lambda u: (-u.percent, u.unit_id),
    )[:RANKED_UNITS]
    return {
        "labels": {
            "current": _("本期"),
            "last_year": _("去年同期"),
            "amount": _("金额（元）"),
            "percent": _("完成比例（%）"),
            "expected": _("时间进度"),
            "no_data": _("暂无数据"),
        },
        "trend": {
            "periods": [point.period.label for point in trend],
            "current": [str(point.amounts.total) for point in trend],
            "last_year": [str(point.last_year.total) for point in trend],
        },
        "channels": [
            {"key": channel, "name": labels[channel], "value": str(getattr(places.totals, channel))}
            for channel in CHANNELS
        ],
        "ranking": {
            "names": [u.name for u in ranked],
            "percents": [str(u.percent) for u in ranked],
            "expected": str(buyers.expected_percent),
        },
        "map": _map(places=places, region=region, national=national, period=period),
    }
