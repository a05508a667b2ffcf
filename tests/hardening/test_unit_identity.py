"""A unit's identity: its name is one line (a CR/LF in it went into invitation
e-mail subjects and silently stopped the mail, issue 10 item 9), and its credit
code is held only by units pending or active (issue 10 item 7)."""

import pytest
from django.urls import reverse

from procurement import services
from procurement.exceptions import OrganisationNameInvalid, OrganisationUsccTaken
from procurement.models import BuyerOrganisation
from tests.factories import StaffUserFactory, UserFactory, county, valid_uscc

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


# --- No squatting on identity (issue 10, item 7) ----------------------------------------


def _apply(uscc, applicant=None):
    return services.buyer_organisation_apply(
        applicant=applicant or UserFactory(),
        kind=BuyerOrganisation.Kind.AGENCY,
        name="柞水县机关事务服务中心",
        uscc=uscc,
        region=county("611026"),
    )


def test_a_rejected_application_releases_the_credit_code_for_the_real_unit():
    uscc = valid_uscc(903, prefix="11")
    squatter = _apply(uscc)
    services.buyer_organisation_review(
        organisation=squatter, actor=StaffUserFactory(), approve=False
    )

    real = _apply(uscc)
    assert real.status == BuyerOrganisation.Status.PENDING
    assert BuyerOrganisation.objects.filter(uscc=uscc).count() == 2


def test_a_pending_or_active_unit_holds_its_code_and_the_refusal_says_whom_to_ask():
    uscc = valid_uscc(904, prefix="11")
    _apply(uscc)
    with pytest.raises(OrganisationUsccTaken) as excinfo:
        _apply(uscc)
    assert excinfo.value.code == "organisation_uscc_taken"
    assert "平台运营人员" in str(excinfo.value)
