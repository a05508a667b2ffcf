"""Open data: a region's accepted contracts as OCDS 1.1 release packages,
validated against the standard's own schemas (vendored in ocds_schema/, no
network), with the golden programme's contracts, the region access rule,
pagination, a query count that does not grow with the page, and bad input."""

import copy
import datetime
import json
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from oversight import open_data
from oversight.rules import EVERYTHING
from oversight.selectors import money_total
from procurement.models import ContractStatus
from tests.factories import (
    ProducerFactory,
    StaffUserFactory,
    UserFactory,
    county,
    product_with_stock,
)
from tests.factories.oversight import ProgrammeOfficeFactory
from tests.factories.procurement import contract_in_state
from tests.support.oversight import OCTOBER, YEAR

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).parent / "ocds_schema"
URL = reverse("oversight:open-contracts")


def _schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _validator():
    """The release-package schema with its absolute $ref to the release schema
    resolved from the vendored copy: nothing is fetched."""
    release = _schema("release-schema.json")
    registry = Registry().with_resource(release["id"], Resource(release, specification=DRAFT4))
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER

    @checker.checks("uri")
    def _is_uri(value) -> bool:  # rfc3987 is not installed; a URI has a scheme and a place
        parts = urlsplit(value)
        return bool(parts.scheme and (parts.netloc or parts.path))

    return jsonschema.Draft4Validator(
        _schema("release-package-schema.json"), registry=registry, format_checker=checker
    )


def _get(client, **params):
    response = client.get(URL, params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, json.loads(body, parse_float=Decimal) if body else None


@pytest.fixture
def ocds_settings(settings):
    settings.OCDS_OCID_PREFIX = "ocds-t3st01"
    settings.OCDS_PUBLISHER_NAME = "陕西省乡村振兴局"
    return settings


@pytest.fixture
def settled(programme):
    """An October contract of 柞水县农业农村局 already paid: a transaction."""
    u1 = programme["units"][0]
    product = programme["october_a"].lines.get().product
    return contract_in_state(
        u1, product, 4, ContractStatus.SETTLED, accepted_on=datetime.date(YEAR, 10, 12)
    )


def test_the_package_validates_against_the_ocds_1_1_release_package_schema(
    client, programme, settled, ocds_settings
):
    client.force_login(StaffUserFactory())
    response, package = _get(client, period=OCTOBER.slug)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert f"ocds-contracts-000000-{OCTOBER.slug}.json" in response["Content-Disposition"]
    validator = _validator()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(package)]
    assert errors == []
    assert package["version"] == "1.1"
    assert package["publisher"]["name"] == "陕西省乡村振兴局"
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert len(package["releases"]) == 3

    # The validator does reject what the standard forbids.
    broken = copy.deepcopy(package)
    broken["releases"][0]["contracts"][0]["value"]["currency"] = "RMB"
    del broken["releases"][1]["initiationType"]
    broken["releases"][2]["tag"] = ["accepted"]
    broken["publishedDate"] = "2025年10月"
    assert len(list(validator.iter_errors(broken))) == 4


def test_a_release_carries_buyer_supplier_items_origin_amounts_and_dates(
    client, programme, settled, ocds_settings
):
    client.force_login(StaffUserFactory())
    _, package = _get(client, period=OCTOBER.slug)
    october_a = programme["october_a"]
    october_a.refresh_from_db()
    by_ocid = {release["ocid"]: release for release in package["releases"]}
    release = by_ocid[f"ocds-t3st01-{october_a.number}"]
    unit = october_a.organisation
    producer = october_a.producer
    line = october_a.lines.get()

    assert release["tag"] == ["award", "contract", "implementation"]
    assert release["initiationType"] == "tender"
    assert release["buyer"] == {"id": f"CN-USCI-{unit.uscc}", "name": "柞水县农业农村局"}
    buyer, supplier = release["parties"]
    assert buyer["identifier"] == {"scheme": "CN-USCI", "id": unit.uscc, "legalName": unit.name}
    assert buyer["roles"] == ["buyer", "payer"]
    assert buyer["address"] == {"region": "陕西省", "countryName": "中国", "locality": "柞水县"}
    assert supplier["identifier"]["id"] == producer.uscc
    assert supplier["roles"] == ["supplier", "payee"]

    (award,) = release["awards"]
    (contract,) = release["contracts"]
    assert contract["awardID"] == award["id"] == october_a.order.number
    assert award["suppliers"] == [{"id": f"CN-USCI-{producer.uscc}", "name": producer.name}]
    (item,) = contract["items"]
    assert item["quantity"] == 10
    assert item["unit"]["value"] == {"amount": Decimal("39.90"), "currency": "CNY"}
    assert item["unit"]["id"] == "H87"
    assert item["additionalClassifications"] == [
        {"scheme": "GB/T 2260", "id": "611026", "description": "陕西省 商洛市 柞水县"}
    ]
    assert item["description"] == line.product.get_title()
    assert contract["value"] == {"amount": Decimal("399.00"), "currency": "CNY"}
    assert contract["status"] == "active"
    acceptance, payment = contract["implementation"]["milestones"]
    assert acceptance["type"] == "delivery" and acceptance["status"] == "met"
    assert acceptance["dateMet"] == f"{YEAR}-10-15T00:00:00+08:00"
    assert payment["type"] == "payment" and payment["status"] == "scheduled"
    assert payment["dueDate"] == contract["period"]["endDate"]
    assert payment["dueDate"] == f"{october_a.due_date.isoformat()}T00:00:00+08:00"
    assert contract["implementation"]["transactions"] == []
    assert contract["dateSigned"] == contract["period"]["startDate"]

    paid = by_ocid[f"ocds-t3st01-{settled.number}"]["contracts"][0]
    assert paid["status"] == "terminated"
    (transaction,) = paid["implementation"]["transactions"]
    assert transaction["value"] == {"amount": Decimal("159.60"), "currency": "CNY"}
    assert transaction["payer"]["id"] == f"CN-USCI-{unit.uscc}"
    assert paid["implementation"]["milestones"][1]["status"] == "met"


def test_the_contracts_add_up_to_the_agency_channel_of_the_overview(
    client, programme, settled, ocds_settings
):
    """The package and the figures count the same contracts and amounts."""
    client.force_login(StaffUserFactory())
    _, package = _get(client, period=OCTOBER.slug)
    accepted = sum(
        item["quantity"] * item["unit"]["value"]["amount"]
        for release in package["releases"]
        for item in release["contracts"][0]["items"]
    )
    assert accepted == money_total(scope=EVERYTHING, period=OCTOBER).agency == Decimal("1356.60")


def test_an_office_gets_its_regions_contracts_by_buyer_or_supplier_and_404_elsewhere(
    client, programme, ocds_settings
):
    shaanxi = programme["zhashui"].province
    chaoyang = county("110105")
    beijing = chaoyang.province
    beijing_unit = programme["units"][2]
    shaanxi_product = programme["october_a"].lines.get().product
    # A Beijing unit buying from 柞水: both offices see it.
    both = contract_in_state(
        beijing_unit, shaanxi_product, 2, ContractStatus.ACCEPTED,
        accepted_on=datetime.date(YEAR, 10, 9),
    )  # fmt: skip
    # A Beijing unit buying from a Beijing producer: Shaanxi does not.
    beijing_product = product_with_stock(stock=50, producer=ProducerFactory(county=chaoyang))
    local = contract_in_state(
        beijing_unit, beijing_product, 1, ContractStatus.ACCEPTED,
        accepted_on=datetime.date(YEAR, 10, 9),
    )  # fmt: skip

    def numbers(user, **params):
        client.force_login(user)
        response, package = _get(client, period=OCTOBER.slug, **params)
        assert response.status_code == 200, response.status_code
        return {release["contracts"][0]["id"] for release in package["releases"]}

    shaanxi_office = ProgrammeOfficeFactory(region=shaanxi).user
    beijing_office = ProgrammeOfficeFactory(region=beijing).user
    programme["october_a"].refresh_from_db()
    seen = numbers(shaanxi_office)
    assert both.number in seen and programme["october_a"].number in seen
    assert local.number not in seen
    assert numbers(beijing_office) == {both.number, local.number}
    assert numbers(beijing_office, region=beijing.pk) == {both.number, local.number}

    client.force_login(beijing_office)
    assert client.get(URL, {"period": OCTOBER.slug, "region": shaanxi.pk}).status_code == 404
    county_office = ProgrammeOfficeFactory(region=programme["ziyang"]).user
    client.force_login(county_office)
    assert client.get(URL, {"period": OCTOBER.slug, "region": shaanxi.pk}).status_code == 404
    client.force_login(UserFactory())
    assert client.get(URL, {"period": OCTOBER.slug}).status_code == 403
    client.logout()
    assert client.get(URL, {"period": OCTOBER.slug}).status_code == 302


def test_large_regions_are_paginated_with_a_next_link_and_constant_queries(
    client, programme, settled, ocds_settings, monkeypatch
):
    client.force_login(StaffUserFactory())

    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            response, package = _get(client, period=OCTOBER.slug, **params)
        return len(captured), response, package

    few, _, package = queries()
    assert len(package["releases"]) == 3 and "links" not in package
    u2 = programme["units"][1]
    product = programme["october_a"].lines.get().product
    for day in (3, 4, 5, 6):
        contract_in_state(
            u2, product, 1, ContractStatus.SETTLED, accepted_on=datetime.date(YEAR, 10, day)
        )
    many, _, package = queries()
    assert len(package["releases"]) == 7
    assert many == few

    monkeypatch.setattr(open_data, "PAGE_SIZE", 4)
    paged, response, first = queries()
    assert paged == few
    assert len(first["releases"]) == 4
    next_uri = first["links"]["next"]
    assert response["Link"] == f'<{next_uri}>; rel="next"'
    after = dict(part.split("=") for part in urlsplit(next_uri).query.split("&"))["after"]
    _, response, second = queries(after=after)
    assert len(second["releases"]) == 3 and "links" not in second
    assert "-after-" in response["Content-Disposition"]
    ocids = [r["ocid"] for r in first["releases"]] + [r["ocid"] for r in second["releases"]]
    assert len(set(ocids)) == 7
    assert _validator().is_valid(second)


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"period": f"{YEAR}-13"}, 400, "period_invalid"),
        ({"period": "十月"}, 400, "period_invalid"),
        ({"period": f"{YEAR}-10", "after": "-1"}, 400, "open_data_cursor_invalid"),
        ({"period": f"{YEAR}-10", "after": "abc"}, 400, "open_data_cursor_invalid"),
        # No contract accepted that month: a package needs one release at least.
        ({"period": f"{YEAR}-08"}, 404, "open_data_empty"),
    ],
)
def test_bad_requests_get_a_clear_message(client, programme, params, status, code):
    client.force_login(StaffUserFactory())
    response = client.get(URL, params)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_the_overview_links_to_the_open_data_of_its_region_and_period(client, programme):
    shaanxi = programme["zhashui"].province
    client.force_login(ProgrammeOfficeFactory(region=shaanxi).user)
    page = client.get(reverse("oversight:overview"), {"period": OCTOBER.slug}).content.decode()
    assert f"{URL}?region={shaanxi.pk}&amp;period={OCTOBER.slug}" in page


@pytest.mark.parametrize(
    ("prefix", "errors", "warnings"),
    [
        ("ocds-t3st01", [], []),
        ("ocds-xxxxxx", [], ["oversight.W001"]),
        ("OCDS-T3ST01", ["oversight.E001"], []),
        ("ocds-t3st01-", ["oversight.E001"], []),
        ("", ["oversight.E001"], []),
    ],
)
def test_the_ocid_prefix_is_checked_at_start_up(settings, prefix, errors, warnings):
    from oversight.checks import open_data_deploy_check, open_data_settings_check

    settings.OCDS_OCID_PREFIX = prefix
    assert [message.id for message in open_data_settings_check()] == errors
    if not errors:
        assert [message.id for message in open_data_deploy_check()] == warnings
