import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from producers.exceptions import (
    ApplicationPermissionDenied,
    IllegalApplicationTransition,
    ReasonRequired,
)
from producers.models import ApplicationDecision, Producer, ProducerApplication
from producers.services import (
    producer_application_approve,
    producer_application_recommend,
    producer_application_reject,
    producer_application_return,
)
from tests.factories import StaffUserFactory, UserFactory, county
from tests.factories.producers import (
    CountyReviewerFactory,
    ProducerApplicationFactory,
    application_post_data,
)

Partner = get_model("partner", "Partner")
Status = ProducerApplication.Status
Action = ApplicationDecision.Action

pytestmark = pytest.mark.django_db


def county_review_url(application):
    return reverse("producers:county-review", kwargs={"pk": application.pk})


def platform_review_url(application):
    return reverse("producers:platform-review", kwargs={"pk": application.pk})


def act(client, user, url, action, reason=""):
    client.force_login(user)
    return client.post(url, {"action": action, "reason": reason}, follow=True)


def test_submit_recommend_approve_creates_producer_and_links_applicant(client):
    applicant, reviewer, staff = UserFactory(), CountyReviewerFactory(), StaffUserFactory()
    client.force_login(applicant)
    response = client.post(reverse("producers:apply"), application_post_data())
    assert response.status_code == 302, response.context["form"].errors
    application = ProducerApplication.objects.get()

    client.force_login(reviewer.user)
    queue = client.get(reverse("producers:county-queue")).content.decode()
    assert application.name in queue
    act(client, reviewer.user, county_review_url(application), Action.RECOMMEND)
    application.refresh_from_db()
    assert application.status == Status.COUNTY_RECOMMENDED

    client.force_login(staff)
    assert application.name in client.get(reverse("producers:platform-queue")).content.decode()
    response = act(client, staff, platform_review_url(application), Action.APPROVE)
    assert "已办理" in response.content.decode()

    application.refresh_from_db()
    producer = Producer.objects.get()
    assert application.status == Status.APPROVED
    assert application.producer == producer
    assert (producer.name, producer.uscc, producer.county) == (
        application.name,
        application.uscc,
        application.county,
    )
    assert list(producer.partner.users.all()) == [applicant]
    log = list(application.decisions.values_list("action", "actor", "from_status", "to_status"))
    assert log == [
        (Action.SUBMIT, applicant.pk, "", Status.SUBMITTED),
        (Action.RECOMMEND, reviewer.user.pk, Status.SUBMITTED, Status.COUNTY_RECOMMENDED),
        (Action.APPROVE, staff.pk, Status.COUNTY_RECOMMENDED, Status.APPROVED),
    ]

    client.force_login(applicant)
    mine = client.get(reverse("producers:my-applications")).content.decode()
    assert "已通过" in mine and "平台审核通过" in mine


def test_double_approve_creates_one_producer(client):
    staff = StaffUserFactory()
    application = ProducerApplicationFactory(status=Status.COUNTY_RECOMMENDED)
    first = producer_application_approve(application=application, actor=staff)
    second = producer_application_approve(application=application, actor=staff)
    act(client, staff, platform_review_url(application), Action.APPROVE)
    assert first == second
    assert Producer.objects.count() == 1
    assert Partner.objects.count() == 1
    assert application.decisions.filter(action=Action.APPROVE).count() == 1


def test_rejection_reason_is_shown_to_applicant_who_can_resubmit(client):
    reviewer = CountyReviewerFactory()
    application = ProducerApplicationFactory()
    act(
        client,
        reviewer.user,
        county_review_url(application),
        Action.REJECT,
        "不属于脱贫地区经营主体",
    )
    application.refresh_from_db()
    assert application.status == Status.REJECTED

    client.force_login(application.applicant)
    page = client.get(reverse("producers:my-applications")).content.decode()
    assert "未通过" in page
    assert "不属于脱贫地区经营主体" in page
    assert reverse("producers:application-edit", kwargs={"pk": application.pk}) in page


def test_returned_application_is_corrected_and_resubmitted(
    client, private_root, django_capture_on_commit_callbacks
):
    reviewer = CountyReviewerFactory()
    application = ProducerApplicationFactory()
    old_licence = application.business_licence.name
    act(client, reviewer.user, county_review_url(application), Action.RETURN, "营业执照照片不清晰")

    client.force_login(application.applicant)
    edit_url = reverse("producers:application-edit", kwargs={"pk": application.pk})
    page = client.get(edit_url).content.decode()
    assert "营业执照照片不清晰" in page
    data = application_post_data(uscc=application.uscc, name="柞水县金米村木耳专业合作社（更正）")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.name == "柞水县金米村木耳专业合作社（更正）"
    assert application.business_licence.name != old_licence
    assert not (private_root / old_licence).exists()
    assert list(application.decisions.values_list("action", flat=True)) == [
        Action.SUBMIT,
        Action.RETURN,
        Action.RESUBMIT,
    ]
    act(client, reviewer.user, county_review_url(application), Action.RECOMMEND)
    application.refresh_from_db()
    assert application.status == Status.COUNTY_RECOMMENDED


def test_resubmit_keeps_stored_documents_when_none_are_uploaded(client):
    reviewer = CountyReviewerFactory()
    application = ProducerApplicationFactory()
    licence = application.business_licence.name
    producer_application_return(
        application=application, actor=reviewer.user, reason="联系人电话有误"
    )
    client.force_login(application.applicant)
    data = application_post_data(
        uscc=application.uscc,
        sells_food="",
        food_licence_number="",
        food_licence_file=None,
        business_licence=None,
        contact_mobile="13900139000",
    )
    response = client.post(
        reverse("producers:application-edit", kwargs={"pk": application.pk}), data
    )
    assert response.status_code == 302, response.context["form"].errors
    application.refresh_from_db()
    assert application.business_licence.name == licence
    assert application.contact_mobile == "13900139000"


@pytest.mark.parametrize(
    ("status", "service"),
    [
        (Status.SUBMITTED, producer_application_approve),
        (Status.RETURNED, producer_application_approve),
        (Status.REJECTED, producer_application_approve),
    ],
)
def test_approval_only_after_county_recommendation(status, service):
    application = ProducerApplicationFactory(status=status)
    with pytest.raises(IllegalApplicationTransition):
        service(application=application, actor=StaffUserFactory())
    assert not Producer.objects.exists()


def test_recommend_twice_is_refused():
    reviewer = CountyReviewerFactory()
    application = ProducerApplicationFactory()
    producer_application_recommend(application=application, actor=reviewer.user)
    with pytest.raises(IllegalApplicationTransition):
        producer_application_recommend(application=application, actor=reviewer.user)


def test_approved_application_cannot_be_rejected():
    staff = StaffUserFactory()
    application = ProducerApplicationFactory(status=Status.COUNTY_RECOMMENDED)
    producer_application_approve(application=application, actor=staff)
    with pytest.raises(IllegalApplicationTransition):
        producer_application_reject(application=application, actor=staff, reason="重复")


def test_illegal_transition_is_shown_as_message(client):
    reviewer = CountyReviewerFactory()
    application = ProducerApplicationFactory(status=Status.COUNTY_RECOMMENDED)
    client.force_login(reviewer.user)
    response = client.post(
        county_review_url(application), {"action": Action.RECOMMEND}, follow=True
    )
    assert "不能执行此操作" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.COUNTY_RECOMMENDED


def test_return_and_reject_need_a_reason(client):
    reviewer = CountyReviewerFactory()
    application = ProducerApplicationFactory()
    with pytest.raises(ReasonRequired):
        producer_application_reject(application=application, actor=reviewer.user, reason="  ")
    response = act(client, reviewer.user, county_review_url(application), Action.RETURN)
    assert "必须填写理由" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_staff_cannot_skip_county_recommendation():
    application = ProducerApplicationFactory()
    with pytest.raises(ApplicationPermissionDenied) as excinfo:
        producer_application_recommend(application=application, actor=StaffUserFactory())
    assert excinfo.value.code == "application_county_reviewer_only"


def test_reviewer_of_another_county_gets_404_and_changes_nothing(client):
    application = ProducerApplicationFactory()
    outsider = CountyReviewerFactory(county=county("610924"))
    client.force_login(outsider.user)
    assert application.name not in client.get(reverse("producers:county-queue")).content.decode()
    assert client.get(county_review_url(application)).status_code == 404
    response = client.post(county_review_url(application), {"action": Action.RECOMMEND})
    assert response.status_code == 404
    document = reverse(
        "producers:application-document",
        kwargs={"pk": application.pk, "document": "business_licence"},
    )
    assert client.get(document).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.decisions.count() == 1
    with pytest.raises(ApplicationPermissionDenied) as excinfo:
        producer_application_recommend(application=application, actor=outsider.user)
    assert excinfo.value.code == "application_county_reviewer_only"


def test_non_staff_user_cannot_approve(client):
    application = ProducerApplicationFactory(status=Status.COUNTY_RECOMMENDED)
    reviewer = CountyReviewerFactory()
    for user in (application.applicant, reviewer.user):
        client.force_login(user)
        assert client.get(reverse("producers:platform-queue")).status_code == 403
        response = client.post(platform_review_url(application), {"action": Action.APPROVE})
        assert response.status_code == 403
        with pytest.raises(ApplicationPermissionDenied) as excinfo:
            producer_application_approve(application=application, actor=user)
        assert excinfo.value.code == "application_staff_only"
    application.refresh_from_db()
    assert application.status == Status.COUNTY_RECOMMENDED
    assert not Producer.objects.exists()


def test_user_without_reviewer_role_cannot_open_county_queue(client):
    client.force_login(UserFactory())
    assert client.get(reverse("producers:county-queue")).status_code == 403


def test_documents_are_served_to_applicant_and_reviewer_only(client):
    application = ProducerApplicationFactory()
    url = reverse(
        "producers:application-document",
        kwargs={"pk": application.pk, "document": "business_licence"},
    )
    for user in (application.applicant, CountyReviewerFactory().user, StaffUserFactory()):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Content-Security-Policy"] == "sandbox"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_review_pages_show_application_and_decision_buttons(client):
    application = ProducerApplicationFactory()
    reviewer = CountyReviewerFactory()
    client.force_login(reviewer.user)
    page = client.get(county_review_url(application)).content.decode()
    assert application.uscc in page
    assert "推荐" in page and "退回修改" in page and "不予通过" in page
    producer_application_recommend(application=application, actor=reviewer.user)
    client.force_login(StaffUserFactory())
    page = client.get(platform_review_url(application)).content.decode()
    assert "审核通过" in page and "县级推荐" in page
