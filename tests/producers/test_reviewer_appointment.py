"""Staff appoint county reviewers in the staff area, not the Django admin
(issue 11, platform staff): before one is appointed no application of that
county can move."""

import pytest
from django.urls import reverse

from producers import services
from producers.exceptions import ReviewerAlreadyAppointed, ReviewerNotCounty, ReviewerStaffOnly
from producers.models import ApplicationStatus, CountyReviewer
from tests.factories import StaffUserFactory, UserFactory, county
from tests.factories.producers import DEFAULT_COUNTY_CODE, ProducerApplicationFactory

pytestmark = pytest.mark.django_db


def _appoint(client, email, region):
    return client.post(
        reverse("producers:reviewers"),
        {
            "action": "appoint",
            "email": email,
            "province": region.parent.parent_id,
            "city": region.parent_id,
            "county": region.pk,
        },
    )


def test_staff_appoint_a_reviewer_who_can_then_recommend_that_countys_applications(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    application = ProducerApplicationFactory()
    zhashui = county(DEFAULT_COUNTY_CODE)
    client.force_login(StaffUserFactory())
    page = client.get(reverse("producers:reviewers"))
    assert [c.pk for c in page.context["waiting"]] == [zhashui.pk]

    with django_capture_on_commit_callbacks(execute=True):
        response = _appoint(client, "Official@Zhashui.gov.cn", zhashui)

    assert response.status_code == 302
    reviewer = CountyReviewer.objects.get()
    assert (reviewer.county, reviewer.user.email) == (zhashui, "Official@zhashui.gov.cn")
    assert not reviewer.user.has_usable_password()
    (mail,) = mailoutbox
    assert mail.to == ["Official@zhashui.gov.cn"] and "/producers/review/county/" in mail.body
    assert not client.get(reverse("producers:reviewers")).context["waiting"]

    client.force_login(reviewer.user)
    client.post(reverse("producers:county-review", args=[application.pk]), {"action": "recommend"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COUNTY_RECOMMENDED


def test_an_existing_account_is_appointed_and_a_second_appointment_is_refused(client):
    official = UserFactory()
    zhashui = county(DEFAULT_COUNTY_CODE)
    client.force_login(StaffUserFactory())
    _appoint(client, official.email.upper(), zhashui)
    assert CountyReviewer.objects.get().user == official

    response = _appoint(client, official.email, zhashui)
    assert response.status_code == 200
    assert "已是" in response.content.decode()
    assert CountyReviewer.objects.count() == 1
    with pytest.raises(ReviewerAlreadyAppointed) as excinfo:
        services.county_reviewer_appoint(
            actor=StaffUserFactory(), email=official.email, county=zhashui
        )
    assert excinfo.value.code == "reviewer_already_appointed"


def test_only_counties_take_reviewers():
    with pytest.raises(ReviewerNotCounty) as excinfo:
        services.county_reviewer_appoint(
            actor=StaffUserFactory(),
            email="x@example.com",
            county=county(DEFAULT_COUNTY_CODE).parent,
        )
    assert excinfo.value.code == "reviewer_not_county"


def test_staff_remove_a_reviewer(client):
    zhashui = county(DEFAULT_COUNTY_CODE)
    reviewer = services.county_reviewer_appoint(
        actor=StaffUserFactory(), email="a@example.com", county=zhashui
    )
    client.force_login(StaffUserFactory())
    response = client.post(
        reverse("producers:reviewers"), {"action": "remove", "reviewer": reviewer.pk}
    )
    assert response.status_code == 302
    assert not CountyReviewer.objects.exists()
    assert (
        client.post(
            reverse("producers:reviewers"), {"action": "remove", "reviewer": "abc"}
        ).status_code
        == 404
    )


def test_nobody_but_staff_appoints_or_removes(client):
    zhashui = county(DEFAULT_COUNTY_CODE)
    reviewer = services.county_reviewer_appoint(
        actor=StaffUserFactory(), email="a@example.com", county=zhashui
    )
    client.force_login(reviewer.user)
    assert client.get(reverse("producers:reviewers")).status_code == 403
    assert _appoint(client, "b@example.com", zhashui).status_code == 403
    assert CountyReviewer.objects.count() == 1
    with pytest.raises(ReviewerStaffOnly) as excinfo:
        services.county_reviewer_appoint(actor=reviewer.user, email="c@example.com", county=zhashui)
    assert excinfo.value.code == "reviewer_staff_only"
