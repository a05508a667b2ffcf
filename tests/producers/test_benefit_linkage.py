"""Benefit linkage (联农带农): figures a producer records per year, staff verify."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import resolve_url
from django.urls import reverse

from producers.exceptions import LinkagePermissionDenied
from producers.models import BenefitLinkage
from producers.services import LinkageFigures, benefit_linkage_record, benefit_linkage_verify
from tests.factories import ProducerFactory, StaffUserFactory, UserFactory
from tests.factories.producers import BenefitLinkageFactory, producer_with_user

pytestmark = pytest.mark.django_db


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
    values.update(overrides)
    return LinkageFigures(**values)


def form_data(**overrides) -> dict:
    data = {"year": 2025, **{k: str(v) for k, v in vars(figures()).items()}}
    data.update(overrides)
    return data


# --- Validation -------------------------------------------------------------


@pytest.mark.parametrize("total", [19, 43])
def test_total_households_outside_largest_mechanism_and_sum_is_invalid(total):
    linkage = BenefitLinkageFactory.build(producer=ProducerFactory(), total_households=total)
    with pytest.raises(ValidationError) as excinfo:
        linkage.full_clean()
    assert "total_households" in excinfo.value.message_dict


@pytest.mark.parametrize("total", [20, 42])
def test_total_households_at_the_bounds_is_valid(total):
    linkage = BenefitLinkageFactory.build(producer=ProducerFactory(), total_households=total)
    linkage.full_clean()


@pytest.mark.parametrize(
    ("total", "constraint"),
    [
        (19, "benefit_linkage_total_at_least_largest_mechanism"),
        (43, "benefit_linkage_total_at_most_sum"),
    ],
)
def test_database_rejects_total_households_outside_the_bounds(total, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        BenefitLinkageFactory(total_households=total)


def test_database_rejects_a_second_row_for_the_same_producer_and_year():
    linkage = BenefitLinkageFactory()
    BenefitLinkageFactory(producer=linkage.producer, year=2024)
    with (
        pytest.raises(IntegrityError, match="benefit_linkage_unique_per_year"),
        transaction.atomic(),
    ):
        BenefitLinkageFactory(producer=linkage.producer, year=2025)


def test_database_rejects_verified_figures_without_verifier():
    with (
        pytest.raises(IntegrityError, match="benefit_linkage_verified_by_and_at_iff_verified"),
        transaction.atomic(),
    ):
        BenefitLinkageFactory(is_verified=True)


# --- Services ---------------------------------------------------------------


def test_producer_user_records_figures_unverified():
    producer, user = producer_with_user()
    linkage = benefit_linkage_record(producer=producer, actor=user, year=2025, figures=figures())
    assert (linkage.total_households, linkage.purchase_amount) == (30, Decimal("160000.00"))
    assert not linkage.is_verified


def test_recording_twice_for_a_year_updates_the_same_row():
    producer, user = producer_with_user()
    benefit_linkage_record(producer=producer, actor=user, year=2025, figures=figures())
    benefit_linkage_record(
        producer=producer, actor=user, year=2025, figures=figures(total_households=25)
    )
    assert BenefitLinkage.objects.get().total_households == 25


def test_changing_verified_figures_resets_verification():
    producer, user = producer_with_user()
    linkage = benefit_linkage_record(producer=producer, actor=user, year=2025, figures=figures())
    benefit_linkage_verify(linkage=linkage, actor=StaffUserFactory())

    benefit_linkage_record(
        producer=producer, actor=user, year=2025, figures=figures(purchase_households=22)
    )

    linkage.refresh_from_db()
    assert (linkage.is_verified, linkage.verified_by, linkage.verified_at) == (False, None, None)


def test_resubmitting_unchanged_figures_keeps_verification():
    producer, user = producer_with_user()
    linkage = benefit_linkage_record(producer=producer, actor=user, year=2025, figures=figures())
    benefit_linkage_verify(linkage=linkage, actor=StaffUserFactory())
    benefit_linkage_record(producer=producer, actor=user, year=2025, figures=figures())
    linkage.refresh_from_db()
    assert linkage.is_verified


def test_service_rejects_out_of_bounds_total():
    producer, user = producer_with_user()
    with pytest.raises(ValidationError):
        benefit_linkage_record(
            producer=producer, actor=user, year=2025, figures=figures(total_households=50)
        )
    assert not BenefitLinkage.objects.exists()


def test_only_the_producers_own_users_may_record():
    producer, _ = producer_with_user()
    for outsider in (UserFactory(), StaffUserFactory()):
        with pytest.raises(LinkagePermissionDenied) as excinfo:
            benefit_linkage_record(producer=producer, actor=outsider, year=2025, figures=figures())
        assert excinfo.value.code == "linkage_permission_denied"
    assert not BenefitLinkage.objects.exists()


def test_staff_verify_records_who_and_when():
    linkage, staff = BenefitLinkageFactory(), StaffUserFactory()
    benefit_linkage_verify(linkage=linkage, actor=staff)
    linkage.refresh_from_db()
    assert linkage.is_verified and linkage.verified_by == staff and linkage.verified_at


def test_verify_needs_staff():
    producer, user = producer_with_user()
    linkage = BenefitLinkageFactory(producer=producer)
    with pytest.raises(LinkagePermissionDenied) as excinfo:
        benefit_linkage_verify(linkage=linkage, actor=user)
    assert excinfo.value.code == "linkage_staff_only"
    linkage.refresh_from_db()
    assert not linkage.is_verified


def test_admin_action_verifies_selected_figures(client):
    chosen, other = BenefitLinkageFactory(), BenefitLinkageFactory()
    staff = StaffUserFactory()
    client.force_login(staff)
    response = client.post(
        reverse("admin:producers_benefitlinkage_changelist"),
        {"action": "verify_selected", "_selected_action": [chosen.pk]},
        follow=True,
    )
    assert response.status_code == 200
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert chosen.is_verified and chosen.verified_by == staff
    assert not other.is_verified


# --- Producer self-service page ---------------------------------------------


def linkage_url(producer):
    return reverse("producers:workspace-linkage", kwargs={"pk": producer.pk})


def test_producer_user_records_figures_through_the_form(client):
    producer, user = producer_with_user()
    client.force_login(user)
    response = client.post(linkage_url(producer), form_data())
    assert response.status_code == 302
    linkage = BenefitLinkage.objects.get()
    assert (linkage.producer, linkage.year, linkage.total_households) == (producer, 2025, 30)
    page = client.get(reverse("producers:workspace-index")).content.decode()
    assert producer.name in page and "未核实" in page


def test_form_shows_the_bounds_error_and_saves_nothing(client):
    producer, user = producer_with_user()
    client.force_login(user)
    response = client.post(linkage_url(producer), form_data(total_households=50))
    assert response.status_code == 200
    assert "不能多于各带动方式户数之和" in response.content.decode()
    assert not BenefitLinkage.objects.exists()


def test_editing_an_existing_year_through_the_form_resets_verification(client):
    producer, user = producer_with_user()
    linkage = BenefitLinkageFactory(producer=producer)
    benefit_linkage_verify(linkage=linkage, actor=StaffUserFactory())
    client.force_login(user)
    page = client.get(linkage_url(producer), {"year": 2025}).content.decode()
    assert "已经平台核实" in page
    response = client.post(linkage_url(producer), form_data(total_households=28))
    assert response.status_code == 302
    linkage.refresh_from_db()
    assert (linkage.total_households, linkage.is_verified) == (28, False)


def test_another_producers_figures_are_a_404_and_stay_unchanged(client):
    mine, user = producer_with_user()
    theirs = ProducerFactory()
    their_linkage = BenefitLinkageFactory(producer=theirs)
    client.force_login(user)

    assert client.get(linkage_url(theirs)).status_code == 404
    assert client.get(linkage_url(theirs), {"year": 2025}).status_code == 404
    response = client.post(linkage_url(theirs), form_data(total_households=20))
    assert response.status_code == 404
    # A smuggled producer field is ignored: the producer comes from the URL.
    client.post(linkage_url(mine), form_data(producer=theirs.pk, total_households=20))

    their_linkage.refresh_from_db()
    assert their_linkage.total_households == 30
    assert list(BenefitLinkage.objects.filter(producer=mine).values_list("year", flat=True)) == [
        2025
    ]
    assert theirs.name not in client.get(reverse("producers:workspace-index")).content.decode()


def test_linkage_pages_need_login(client):
    producer, _ = producer_with_user()
    response = client.get(linkage_url(producer))
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))
