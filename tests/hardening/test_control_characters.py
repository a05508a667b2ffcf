"""A unit name is one line: a CR/LF in it went into invitation e-mail subjects
and silently stopped the mail (issue 10, item 9)."""

import pytest
from django.urls import reverse

from procurement import services
from procurement.exceptions import OrganisationNameInvalid
from procurement.models import BuyerOrganisation
from tests.factories import UserFactory, county, valid_uscc

pytestmark = pytest.mark.django_db

NAMES_WITH_CONTROLS = ["商洛市\r\nBcc: x@example.com", "机关\n食堂", "单位\x00名称", "单位\t名称"]


@pytest.mark.parametrize("name", NAMES_WITH_CONTROLS)
def test_the_service_refuses_a_unit_name_with_control_characters(name):
    with pytest.raises(OrganisationNameInvalid) as excinfo:
        services.buyer_organisation_apply(
            applicant=UserFactory(),
            kind=BuyerOrganisation.Kind.AGENCY,
            name=name,
            uscc=valid_uscc(901, prefix="11"),
            region=county("611026"),
        )
    assert excinfo.value.code == "organisation_name_invalid"
    assert not BuyerOrganisation.objects.exists()


def test_the_application_form_says_why_and_creates_nothing(client):
    client.force_login(UserFactory())
    zhashui = county("611026")
    response = client.post(
        reverse("procurement:apply"),
        {
            "kind": BuyerOrganisation.Kind.AGENCY,
            "name": "柞水县机关\r\n事务服务中心",
            "uscc": valid_uscc(902, prefix="11"),
            "province": zhashui.parent.parent_id,
            "city": zhashui.parent_id,
            "county": zhashui.pk,
        },
    )
    assert response.status_code == 200
    assert "control_characters" in [e.code for e in response.context["form"].errors.as_data()["name"]]
    assert not BuyerOrganisation.objects.exists()
