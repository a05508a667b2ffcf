"""The demo `make run` seeds shows every state a reviewer or producer meets."""

import datetime

import pytest
from django.core import mail
from oscar.core.loading import get_model

from catalogue.models import ReviewStatus
from marketplace.demo import seed_demo
from producers.models import ApplicationStatus, ProducerApplication, Shipment
from producers.services import certificates_expiry_report

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def test_demo_has_applications_and_listings_in_every_review_state_and_is_idempotent():
    seed_demo()
    assert set(ProducerApplication.objects.values_list("status", flat=True)) == set(
        ApplicationStatus.values
    )
    assert set(Product.objects.values_list("review_status", flat=True)) == set(ReviewStatus.values)
    approved = ProducerApplication.objects.get(status=ApplicationStatus.APPROVED)
    assert approved.producer.partner.users.filter(pk=approved.applicant_id).exists()
    report = certificates_expiry_report(day=datetime.date.today(), within_days=30)
    assert report.certificates >= 1
    assert mail.outbox

    counts = {
        "applications": ProducerApplication.objects.count(),
        "products": Product.objects.count(),
        "shipments": Shipment.objects.count(),
    }
    seed_demo()
    assert counts == {
        "applications": ProducerApplication.objects.count(),
        "products": Product.objects.count(),
        "shipments": Shipment.objects.count(),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seed_command_sends_no_mail_to_sample_addresses(settings, capsys):
    """Committed for real: the services' emails go out in on-commit callbacks."""
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("marketplace_seed_demo")
    out = capsys.readouterr().out
    assert "demo logins" in out
    assert "Subject:" not in out
