"""A unit's identity: its name is one line (a CR/LF in it went into invitation
e-mail subjects and silently stopped the mail, issue 10 item 9), and its credit
code is held only by units pending or active (issue 10 item 7)."""

import pytest
from django.urls import reverse

from procurement import services
from procurement.exceptions import (
    OrganisationNameInvalid,
    OrganisationNotWithdrawable,
    OrganisationUsccTaken,
    UsccContestAlreadyResolved,
    UsccContestDuplicate,
    UsccContestNoteRequired,
    UsccContestNotHeld,
    UsccContestOwnUnit,
)
from procurement.models import BuyerOrganisation, UsccContest
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
    assert "control_characters" in [
        e.code for e in response.context["form"].errors.as_data()["name"]
    ]
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
    assert "代码申诉" in str(excinfo.value)


# --- Withdrawn applications and contested codes (issue 10, item 7) -----------------------


def test_the_applicant_withdraws_a_pending_application_and_the_code_is_free_again(client):
    uscc = valid_uscc(905, prefix="11")
    applicant = UserFactory()
    organisation = _apply(uscc, applicant=applicant)
    client.force_login(applicant)

    response = client.post(reverse("procurement:withdraw", args=[organisation.pk]))

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == BuyerOrganisation.Status.WITHDRAWN
    assert _apply(uscc).status == BuyerOrganisation.Status.PENDING


def test_only_the_applicant_may_withdraw_and_only_while_pending(client):
    uscc = valid_uscc(906, prefix="11")
    organisation = _apply(uscc)
    client.force_login(UserFactory())
    assert client.post(reverse("procurement:withdraw", args=[organisation.pk])).status_code == 404
    assert client.get(reverse("procurement:withdraw", args=[organisation.pk])).status_code == 405
    services.buyer_organisation_review(
        organisation=organisation, actor=StaffUserFactory(), approve=True
    )
    with pytest.raises(OrganisationNotWithdrawable) as excinfo:
        services.buyer_organisation_withdraw(
            organisation=organisation, actor=organisation.applicant
        )
    assert excinfo.value.code == "organisation_not_withdrawable"
    organisation.refresh_from_db()
    assert organisation.status == BuyerOrganisation.Status.ACTIVE


def test_the_refused_application_page_leads_to_a_claim(client):
    uscc = valid_uscc(907, prefix="11")
    _apply(uscc)
    zhashui = county("611026")
    client.force_login(UserFactory())
    response = client.post(
        reverse("procurement:apply"),
        {
            "kind": BuyerOrganisation.Kind.AGENCY,
            "name": "柞水县机关事务服务中心",
            "uscc": uscc,
            "province": zhashui.parent.parent_id,
            "city": zhashui.parent_id,
            "county": zhashui.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["contest_url"].startswith(reverse("procurement:uscc-contest"))
    assert uscc in response.context["contest_url"]
    assert BuyerOrganisation.objects.filter(uscc=uscc).count() == 1


def _claim(client, uscc, **overrides):
    data = {
        "uscc": uscc,
        "claimant_unit_name": "柞水县机关事务服务中心",
        "statement": "本人为办公室主任，电话 0914-1234567。",
    }
    data.update(overrides)
    return client.post(reverse("procurement:uscc-contest"), data)


def test_a_claim_is_filed_once_and_staff_are_told(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    uscc = valid_uscc(908, prefix="11")
    _apply(uscc)
    StaffUserFactory(email="office@example.com")
    claimant = UserFactory()
    client.force_login(claimant)

    with django_capture_on_commit_callbacks(execute=True):
        assert _claim(client, uscc).status_code == 302
    contest = UsccContest.objects.get()
    assert (contest.claimant, contest.status) == (claimant, UsccContest.Status.OPEN)
    assert any("office@example.com" in mail.to for mail in mailoutbox)

    response = _claim(client, uscc)
    assert response.status_code == 200
    assert UsccContest.objects.count() == 1
    with pytest.raises(UsccContestDuplicate) as excinfo:
        services.uscc_contest_file(
            claimant=claimant, uscc=uscc, claimant_unit_name="x", statement="again"
        )
    assert excinfo.value.code == "uscc_contest_duplicate"


@pytest.mark.parametrize("case", ["free", "own"])
def test_a_claim_on_a_free_code_or_on_ones_own_unit_is_refused(case):
    uscc = valid_uscc(909, prefix="11")
    claimant = UserFactory()
    if case == "own":
        _apply(uscc, applicant=claimant)
    with pytest.raises(UsccContestNotHeld if case == "free" else UsccContestOwnUnit) as excinfo:
        services.uscc_contest_file(
            claimant=claimant, uscc=uscc, claimant_unit_name="单位", statement="说明"
        )
    assert excinfo.value.code == (
        "uscc_contest_not_held" if case == "free" else "uscc_contest_own_unit"
    )
    assert not UsccContest.objects.exists()


@pytest.mark.parametrize("holder_status", ["pending", "active"])
def test_staff_uphold_a_claim_the_holder_is_rejected_and_the_real_unit_can_apply(
    client, mailoutbox, django_capture_on_commit_callbacks, holder_status
):
    uscc = valid_uscc(910, prefix="11")
    squatter = _apply(uscc)
    staff = StaffUserFactory()
    if holder_status == "active":
        services.buyer_organisation_review(organisation=squatter, actor=staff, approve=True)
    claimant = UserFactory()
    contest = services.uscc_contest_file(
        claimant=claimant, uscc=uscc, claimant_unit_name="柞水县机关事务服务中心", statement="说明"
    )
    mailoutbox.clear()
    client.force_login(staff)
    page = client.get(reverse("procurement:review-contests"))
    assert page.status_code == 200
    assert squatter.name in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("procurement:review-contests"),
            {
                "contest": contest.pk,
                "decision": "uphold",
                "note": "经核实营业执照，代码属申诉单位。",
            },
        )

    assert response.status_code == 302
    contest.refresh_from_db()
    squatter.refresh_from_db()
    assert contest.status == UsccContest.Status.UPHELD
    assert contest.resolved_by == staff
    assert squatter.status == BuyerOrganisation.Status.REJECTED
    recipients = {address for mail in mailoutbox for address in mail.to}
    assert claimant.email in recipients and squatter.applicant.email in recipients
    assert _apply(uscc, applicant=claimant).status == BuyerOrganisation.Status.PENDING


def test_staff_dismiss_a_claim_with_a_note_and_nothing_else_changes(client):
    uscc = valid_uscc(911, prefix="11")
    holder = _apply(uscc)
    contest = services.uscc_contest_file(
        claimant=UserFactory(), uscc=uscc, claimant_unit_name="某单位", statement="说明"
    )
    client.force_login(StaffUserFactory())

    # No note: refused, the claim stays open.
    client.post(
        reverse("procurement:review-contests"),
        {"contest": contest.pk, "decision": "dismiss", "note": " "},
    )
    contest.refresh_from_db()
    assert contest.status == UsccContest.Status.OPEN
    with pytest.raises(UsccContestNoteRequired):
        services.uscc_contest_resolve(
            contest=contest, actor=StaffUserFactory(), uphold=False, note="  "
        )

    client.post(
        reverse("procurement:review-contests"),
        {"contest": contest.pk, "decision": "dismiss", "note": "占用方为该代码的合法单位。"},
    )
    contest.refresh_from_db()
    holder.refresh_from_db()
    assert contest.status == UsccContest.Status.DISMISSED
    assert holder.status == BuyerOrganisation.Status.PENDING
    with pytest.raises(UsccContestAlreadyResolved) as excinfo:
        services.uscc_contest_resolve(
            contest=contest, actor=StaffUserFactory(), uphold=True, note="x"
        )
    assert excinfo.value.code == "uscc_contest_already_resolved"


def test_only_staff_see_or_decide_contested_codes(client):
    uscc = valid_uscc(912, prefix="11")
    _apply(uscc)
    contest = services.uscc_contest_file(
        claimant=UserFactory(), uscc=uscc, claimant_unit_name="某单位", statement="说明"
    )
    client.force_login(UserFactory())
    assert client.get(reverse("procurement:review-contests")).status_code == 403
    response = client.post(
        reverse("procurement:review-contests"),
        {"contest": contest.pk, "decision": "uphold", "note": "x"},
    )
    assert response.status_code == 403
    contest.refresh_from_db()
    assert contest.status == UsccContest.Status.OPEN


def test_the_review_page_shows_a_codes_earlier_applications(client):
    uscc = valid_uscc(913, prefix="11")
    first = _apply(uscc)
    staff = StaffUserFactory()
    services.buyer_organisation_review(organisation=first, actor=staff, approve=False)
    _apply(uscc)
    client.force_login(staff)
    response = client.get(reverse("procurement:review-units"))
    pending = response.context["organisations"]
    assert [other.pk for other in pending[0].uscc_history] == [first.pk]
