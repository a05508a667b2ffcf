"""The oversight overview's charts in a real browser: ECharts (served from
this host) draws the trend and the map after load, with no console error and
no request leaving 127.0.0.1, and clicking a province on the map drills down
to it."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.factories import StaffUserFactory
from tests.support.browser import sign_in
from tests.support.oversight import OCTOBER, programme  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_overview_draws_its_map_and_trend_locally_and_drills_down(
    page: Page,
    programme,  # noqa: F811 (the golden programme fixture imported above)
    csp_violations,
):
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlsplit(r.url).hostname not in ("127.0.0.1", "localhost", None)
            else None
        ),
    )
    sign_in(page, StaffUserFactory())
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto(f"/oversight/?period={OCTOBER.slug}")

    # ECharts' SVG renderer: the trend's lines and the provinces' outlines.
    expect(page.locator("#chart-trend svg path").first).to_be_attached()
    expect(page.locator("#chart-map svg path").nth(30)).to_be_attached()
    expect(page.locator("#chart-channels svg path").first).to_be_attached()
    expect(page.locator("#chart-ranking svg path").first).to_be_attached()
    expect(page.locator("#chart-map")).to_have_attribute("role", "img")

    # Click Shaanxi where the map draws Xi'an: the overview of the province.
    page.locator("#chart-map").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById("chart-map"));
            return chart.convertToPixel({seriesIndex: 0}, [108.95, 34.27]);
        }"""
    )
    box = page.locator("#chart-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page).to_have_url(re.compile(r"/oversight/\?region=\d+&period=" + OCTOBER.slug))
    expect(page.locator("h1", has_text="陕西省")).to_be_visible()
    # The province's map: its counties, from 610000.json.
    expect(page.locator("#chart-map svg path").nth(50)).to_be_attached()

    assert errors == []
    assert outside == []
    assert csp_violations == []
