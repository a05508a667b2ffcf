"""The drill-down from the overview to one unit: its office reads the unit's
year (the unit's own dashboard is for its members), and nobody else's."""

import pytest
from django.urls import reverse

from tests.factories import StaffUserFactory, UserFactory
from tests.factories.oversight import ProgrammeOfficeFactory
from tests.support.oversight import OCTOBER

pytestmark = pytest.mark.django_db


def test_an_office_drills_down_from_the_overview_to_a_unit_of_its_region(client, programme):
    u1, _u2, u3, _soe = programme["units"]
    shaanxi = programme["zhashui"].province
    client.force_login(ProgrammeOfficeFactory(region=shaanxi).user)
    overview = client.get(
        reverse("oversight:overview"), {"region": shaanxi.pk, "period": OCTOBER.slug}
    ).content.decode()
    url = reverse("oversight:unit", args=[u1.organisation.pk])
    assert f'href="{url}?period={OCTOBER.slug}"' in overview
    page = client.get(url, {"period": OCTOBER.slug}).content.decode()
    assert "柞水县农业农村局" in page
    # 10 × 39.90 in October and 5 × 39.90 in September, against 10% of 10,000.
    assert 'data-figure="counted">¥598.50' in page
    assert 'data-figure="target">¥1,000.00' in page
    assert 'data-figure="percent">59.9%' in page

    assert client.get(reverse("oversight:unit", args=[u3.organisation.pk])).status_code == 404
    client.force_login(ProgrammeOfficeFactory(region=programme["ziyang"]).user)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(StaffUserFactory())
    assert client.get(reverse("oversight:unit", args=[u3.organisation.pk])).status_code == 200
