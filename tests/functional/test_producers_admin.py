import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from producers.models import Producer
from tests.factories import StaffUserFactory, county, valid_uscc

Partner = get_model("partner", "Partner")

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffUserFactory())
    return client


def producer_form(**overrides):
    data = {
        "partner": Partner.objects.create(name="柞水县金米村木耳专业合作社").pk,
        "kind": Producer.Kind.COOPERATIVE,
        "uscc": valid_uscc(1),
        "county": county("611026").pk,
        "introduction": "",
    }
    data.update(overrides)
    return data


def test_staff_can_register_a_producer_with_a_valid_credit_code(staff_client):
    response = staff_client.post(reverse("admin:producers_producer_add"), producer_form())
    assert response.status_code == 302
    assert Producer.objects.get().county.name == "柞水县"


def test_a_wrong_credit_code_check_character_is_a_form_error_not_a_crash(staff_client):
    good = valid_uscc(1)
    bad = good[:17] + ("0" if good[17] != "0" else "1")

    response = staff_client.post(reverse("admin:producers_producer_add"), producer_form(uscc=bad))

    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确" in response.content.decode()
    assert Producer.objects.count() == 0


def test_a_city_is_not_accepted_as_a_producer_county(staff_client):
    city = county("611026").parent
    response = staff_client.post(
        reverse("admin:producers_producer_add"), producer_form(county=city.pk)
    )
    assert response.status_code == 200
    assert Producer.objects.count() == 0


def test_programme_staff_flag_a_key_assistance_county(staff_client):
    # On the staff page, which logs the change; the Django admin shows the flag read-only.
    congjiang = county("522633")
    response = staff_client.post(
        reverse("region-key-county-toggle"), {"county": congjiang.pk, "flag": "1"}
    )
    assert response.status_code == 302
    congjiang.refresh_from_db()
    assert congjiang.is_key_assistance_county is True
