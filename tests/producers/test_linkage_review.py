"""Platform staff verify producers' benefit-linkage figures (联农带农) in the
dashboard, or send them back with a reason: a staff page, not the Django admin,
so staff who are not superusers can do it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from producers.exceptions import (
    LinkagePermissionDenied,
    LinkageReasonRequired,
    LinkageTransitionNotAllowed,
)
from producers.models import BenefitLinkage, BenefitLinkageDecision, LinkageStatus
from producers.services import (
    LinkageFigures,
    benefit_linkage_record,
    benefit_linkage_return,
    benefit_linkage_verify,
)
from tests.factories import CountyReviewerFactory, ProducerFactory, StaffUserFactory, county
from tests.factories.producers import BenefitLinkageFactory, producer_with_user

pytestmark = pytest.mark.django_db

QUEUE = reverse("producers:linkage-queue")


def staff_member():
    """Programme staff who are not superusers."""
    return StaffUserFactory(is_superuser=False)


def review_url(linkage):
    return reverse("producers:linkage-review", args=[linkage.pk])


def figures(**overrides) -> LinkageFigures:
    values = {
        "employment_households": 10,
        "employment_amount": Decimal("120000.00"),
        "asset_income_households": 12,
        "asset_income_amount": Decimal("18000.00"),
        "purchase_households": 20,
        "purchase_amount": Decimal("160000.00"),
        "total_households": 30,
    }
    return LinkageFigures(**(values | overrides))


def state(linkage):
    linkage.refresh_from_db()
    return (linkage.status, linkage.is_verified, linkage.verified_by_id, linkage.decisions.count())


# --- Services ---------------------------------------------------------------


def test_filing_figures_starts_their_log_and_waits_for_staff():
    producer, user = producer_with_user()
    linkage = benefit_linkage_record(producer=producer, actor=user, year=2025, figures=figures())
    assert linkage.status == LinkageStatus.SUBMITTED
    assert list(linkage.decisions.values_list("action", "actor")) == [("submit", user.pk)]


def test_verifying_records_who_and_when_on_the_figures_and_in_the_log():
    linkage, staff = BenefitLinkageFactory(), staff_member()
    benefit_linkage_verify(linkage=linkage, actor=staff)
    linkage.refresh_from_db()
    assert linkage.status == LinkageStatus.VERIFIED
    assert linkage.is_verified and linkage.verified_by == staff and linkage.verified_at
    decision = linkage.decisions.get()
    assert (decision.action, decision.actor, decision.to_status) == ("verify", staff, "verified")
    # Twice (a double click) changes and logs nothing more.
    benefit_linkage_verify(linkage=linkage, actor=staff)
    assert linkage.decisions.count() == 1


def test_sending_back_needs_a_reason_and_changes_nothing_without_one(mailoutbox):
    linkage = BenefitLinkageFactory()
    before = state(linkage)
    for reason in ("", "   "):
        with pytest.raises(LinkageReasonRequired) as excinfo:
            benefit_linkage_return(linkage=linkage, actor=staff_member(), reason=reason)
        assert excinfo.value.code == "linkage_reason_required"
    assert state(linkage) == before
    assert mailoutbox == []


def test_sending_back_logs_the_reason_and_mails_the_producer_a_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    producer, user = producer_with_user()
    linkage = BenefitLinkageFactory(producer=producer)
    staff = staff_member()
    with django_capture_on_commit_callbacks(execute=True):
        benefit_linkage_return(linkage=linkage, actor=staff, reason="订单收购户数与收购台账不符")
    linkage.refresh_from_db()
    assert (linkage.status, linkage.is_verified) == (LinkageStatus.RETURNED, False)
    decision = linkage.decisions.get()
    assert (decision.action, decision.actor, decision.reason) == (
        "return",
        staff,
        "订单收购户数与收购台账不符",
    )
    assert linkage.return_reason == "订单收购户数与收购台账不符"
    [mail] = mailoutbox
    assert mail.to == [user.email]
    assert "订单收购户数与收购台账不符" in mail.body
    link = reverse("producers:workspace-linkage", args=[producer.pk]) + "?year=2025"
    assert link in mail.body


@pytest.mark.parametrize("action", ["verify", "return"])
def test_only_platform_staff_verify_or_send_back(action):
    producer, user = producer_with_user()
    linkage = BenefitLinkageFactory(producer=producer)
    reviewer = CountyReviewerFactory(county=producer.county).user
    before = state(linkage)
    for outsider in (user, reviewer):
        with pytest.raises(LinkagePermissionDenied) as excinfo:
            if action == "verify":
                benefit_linkage_verify(linkage=linkage, actor=outsider)
            else:
                benefit_linkage_return(linkage=linkage, actor=outsider, reason="x")
        assert excinfo.value.code == "linkage_staff_only"
    assert state(linkage) == before


def test_figures_sent_back_cannot_be_verified_until_filed_again():
    producer, user = producer_with_user()
    linkage = BenefitLinkageFactory(producer=producer)
    staff = staff_member()
    benefit_linkage_return(linkage=linkage, actor=staff, reason="请补充")
    before = state(linkage)
    with pytest.raises(LinkageTransitionNotAllowed) as excinfo:
        benefit_linkage_verify(linkage=linkage, actor=staff)
    assert excinfo.value.code == "linkage_transition_not_allowed"
    assert "已退回修改" in str(excinfo.value)
    assert state(linkage) == before

    # The producer stands by its figures: saving them unchanged files them again.
    benefit_linkage_record(producer=producer, actor=user, year=2025, figures=figures())
    linkage.refresh_from_db()
    assert linkage.status == LinkageStatus.SUBMITTED
    assert list(linkage.decisions.values_list("action", flat=True)) == ["return", "resubmit"]
    benefit_linkage_verify(linkage=linkage, actor=staff)
    linkage.refresh_from_db()
    assert linkage.is_verified


def test_changing_verified_figures_puts_them_back_in_the_queue_with_a_log_row():
    producer, user = producer_with_user()
    linkage = benefit_linkage_record(producer=producer, actor=user, year=2025, figures=figures())
    benefit_linkage_verify(linkage=linkage, actor=staff_member())
    benefit_linkage_record(
        producer=producer, actor=user, year=2025, figures=figures(total_households=25)
    )
    linkage.refresh_from_db()
    assert (linkage.status, linkage.is_verified, linkage.total_households) == (
        LinkageStatus.SUBMITTED,
        False,
        25,
    )
    assert list(linkage.decisions.values_list("action", "from_status")) == [
        ("submit", ""),
        ("verify", "submitted"),
        ("resubmit", "verified"),
    ]


# --- Staff pages ------------------------------------------------------------


def test_a_staff_member_who_is_not_a_superuser_verifies_from_the_queue(client):
    waiting = BenefitLinkageFactory()
    verified = BenefitLinkageFactory(year=2024)
    benefit_linkage_verify(linkage=verified, actor=staff_member())
    staff = staff_member()
    client.force_login(staff)

    queue = client.get(QUEUE)
    assert queue.status_code == 200
    assert [row.pk for row in queue.context["page"]] == [waiting.pk]

    page = client.get(review_url(waiting)).content.decode()
    assert "核实无误" in page and "退回修改" in page and waiting.producer.uscc in page
    response = client.post(review_url(waiting), {"action": "verify"})
    assert response.status_code == 302 and response.url == QUEUE
    waiting.refresh_from_db()
    assert waiting.is_verified and waiting.verified_by == staff


def test_the_queue_filters_by_year_and_county_and_status(client):
    zhashui = BenefitLinkageFactory(producer=ProducerFactory(county=county("611026")))
    ziyang_2025 = BenefitLinkageFactory(producer=ProducerFactory(county=county("610924")))
    ziyang_2024 = BenefitLinkageFactory(producer=ziyang_2025.producer, year=2024)
    benefit_linkage_return(linkage=zhashui, actor=staff_member(), reason="请补充")
    client.force_login(staff_member())

    def shown(**params):
        return {row.pk for row in client.get(QUEUE, params).context["page"]}

    assert shown() == {ziyang_2025.pk, ziyang_2024.pk}
    assert shown(year=2024) == {ziyang_2024.pk}
    assert shown(county=county("611026").pk) == set()
    assert shown(county=county("611026").pk, status="returned") == {zhashui.pk}
    # Junk filters are ignored, never a 500.
    assert shown(year="x", county="<script>", status="nope") == {ziyang_2025.pk, ziyang_2024.pk}


def test_the_queue_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for n in range(6):
        BenefitLinkageFactory(producer=ProducerFactory(), year=2020 + n)
    client.force_login(staff_member())
    with django_assert_max_num_queries(15):
        assert client.get(QUEUE).status_code == 200


def test_sending_back_without_a_reason_shows_a_chinese_error_and_changes_nothing(
    client, mailoutbox
):
    linkage = BenefitLinkageFactory()
    before = state(linkage)
    client.force_login(staff_member())
    response = client.post(review_url(linkage), {"action": "return", "reason": " "})
    assert response.status_code == 200
    assert "退回时必须填写理由" in response.content.decode()
    assert state(linkage) == before
    assert mailoutbox == []


def test_sending_back_from_the_page_shows_the_reason_to_the_producer(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    producer, user = producer_with_user()
    linkage = BenefitLinkageFactory(producer=producer)
    client.force_login(staff_member())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            review_url(linkage), {"action": "return", "reason": "务工工资缺少发放凭证"}
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    client.force_login(user)
    form = client.get(
        reverse("producers:workspace-linkage", args=[producer.pk]), {"year": 2025}
    ).content.decode()
    assert "务工工资缺少发放凭证" in form
    assert "已退回修改" in client.get(reverse("producers:workspace-index")).content.decode()


def test_an_unknown_action_or_a_stale_step_is_a_message_not_a_change(client):
    linkage = BenefitLinkageFactory()
    client.force_login(staff_member())
    before = state(linkage)
    response = client.post(review_url(linkage), {"action": "approve"})
    assert response.status_code == 200 and "请选择核实或退回" in response.content.decode()
    assert state(linkage) == before
    benefit_linkage_return(linkage=linkage, actor=staff_member(), reason="请补充")
    before = state(linkage)
    response = client.post(review_url(linkage), {"action": "verify"}, follow=True)
    assert "不能执行此操作" in response.content.decode()
    assert state(linkage) == before


def test_unknown_ids_are_a_404(client):
    client.force_login(staff_member())
    missing = (BenefitLinkage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    assert client.get(reverse("producers:linkage-review", args=[missing])).status_code == 404
    assert (
        client.post(
            reverse("producers:linkage-review", args=[missing]), {"action": "verify"}
        ).status_code
        == 404
    )


def test_producers_and_county_reviewers_are_refused_the_staff_pages(client):
    producer, user = producer_with_user()
    linkage = BenefitLinkageFactory(producer=producer)
    reviewer = CountyReviewerFactory(county=producer.county).user
    for outsider in (user, reviewer):
        client.force_login(outsider)
        assert client.get(QUEUE).status_code == 403
        assert client.get(review_url(linkage)).status_code == 403
        assert client.post(review_url(linkage), {"action": "verify"}).status_code == 403
    assert not BenefitLinkageDecision.objects.exists()
    client.logout()
    assert client.get(QUEUE).status_code == 302
