"""The demo `make run` seeds: every state a reviewer, producer or buyer unit
meets, each reached through the services, and safe to seed again."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils.html import escape
from oscar.core.loading import get_model
from wagtail.images import get_image_model
from wagtail.models import Page

from catalogue.models import ProductReviewDecision, ReviewStatus
from cms.models import CountyPage, CountyReviewTask, NewsPage, ProducerStoryPage
from demo.data import load
from demo.seed import seed_demo
from demo.seed.accounts import login
from procurement.models import (
    AmendmentStatus,
    BuyerOrganisation,
    Contract,
    ContractAmendment,
    ContractStatus,
    HelpedSale,
    OffPlatformPurchase,
    PurchaseOrder,
)
from producers.models import (
    ApplicationStatus,
    BenefitLinkage,
    Certificate,
    Producer,
    ProducerApplication,
)
from producers.services import certificates_expiry_report

Product = get_model("catalogue", "Product")
Action = ProductReviewDecision.Action

pytestmark = pytest.mark.django_db

DEMO_SKUS = [p["sku"] for c in load("catalogue")["categories"] for p in c["products"]]
COUNTED = (
    Producer,
    ProducerApplication,
    Product,
    ProductReviewDecision,
    Certificate,
    BenefitLinkage,
    BuyerOrganisation,
    PurchaseOrder,
    Contract,
    ContractAmendment,
    OffPlatformPurchase,
    HelpedSale,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_demo_seed_reaches_every_state_through_the_services_and_seeds_again_without_duplicates():
    seed_demo()

    listings = Product.objects.filter(stockrecords__partner_sku__in=DEMO_SKUS)
    assert listings.filter(review_status=ReviewStatus.APPROVED).count() == len(DEMO_SKUS) == 80
    # Filed by the producer's login, approved by staff: the only way to "approved".
    approvals = ProductReviewDecision.objects.filter(action=Action.APPROVE, actor__is_staff=True)
    assert not Product.objects.filter(review_status=ReviewStatus.APPROVED).exclude(
        pk__in=approvals.values("product")
    )
    assert set(
        ProductReviewDecision.objects.filter(product__in=listings).values_list("action", flat=True)
    ) == {Action.SUBMIT, Action.APPROVE}
    assert set(Product.objects.values_list("review_status", flat=True)) == set(ReviewStatus.values)

    samples = Producer.objects.filter(is_sample=True)
    assert samples.count() == len(load("producers")["producers"])
    # Every sample producer joined through an approved application.
    assert not samples.exclude(application__status=ApplicationStatus.APPROVED)
    assert set(ProducerApplication.objects.values_list("status", flat=True)) == set(
        ApplicationStatus.values
    )
    stories = ProducerStoryPage.objects.filter(
        producer__in=samples, locale__language_code="zh-hans"
    )
    assert stories.count() == samples.count()
    assert all(len(story.get_latest_revision_as_object().body) for story in stories)
    approved = ProducerApplication.objects.filter(status=ApplicationStatus.APPROVED)
    for application in approved:
        assert application.producer.partner.users.filter(pk=application.applicant_id).exists()
    report = certificates_expiry_report(day=datetime.date.today(), within_days=30)
    assert report.certificates >= 1

    assert set(BuyerOrganisation.objects.values_list("kind", flat=True)) == set(
        BuyerOrganisation.Kind.values
    )
    assert set(Contract.objects.values_list("status", flat=True)) == set(ContractStatus.values)
    # Freight asked for by the supplier: agreed by the purchaser, and one still waiting.
    assert set(ContractAmendment.objects.values_list("status", flat=True)) == {
        AmendmentStatus.ACCEPTED,
        AmendmentStatus.PENDING,
    }
    assert set(PurchaseOrder.objects.values_list("status", flat=True)) >= {
        "draft",
        "submitted",
        "approved",
    }
    assert OffPlatformPurchase.objects.filter(corrects__isnull=False).exists()
    assert HelpedSale.objects.exists()
    assert mail.outbox

    counts = _counts()
    again = seed_demo()
    assert {key: tally.created for key, tally in again.items() if tally.created} == {}
    assert _counts() == counts


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seed_command_prints_every_login_and_sends_no_mail_to_sample_addresses(settings, capsys):
    """Committed for real: the services' emails go out in on-commit callbacks."""
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("demo_seed")
    out = capsys.readouterr().out
    assert "demo logins" in out
    for entry in load("people")["logins"]:
        assert entry["email"] in out and entry["password"] in out
    assert "Subject:" not in out


def test_the_demo_has_stories_pavilions_news_a_story_under_review_and_one_in_english(client):
    seed_demo()
    data = load("stories")
    chinese = ProducerStoryPage.objects.filter(
        locale__language_code="zh-hans", producer__is_sample=True
    )
    live = chinese.live()
    assert live.count() >= 6 and live.count() == chinese.count() - 1
    for story in live:
        kinds = {block.block_type for block in story.body}
        assert {"image", "quote", "key_facts", "product_picks", "benefit_linkage"} <= kinds
        image = next(block.value["image"] for block in story.body if block.block_type == "image")
        assert image.renditions.count() >= 3

    # Submitted by its producer's login; waiting for county@example.com.
    waiting = chinese.get(live=False)
    assert waiting.producer.partner.users.filter(email=login("producer")["email"]).exists()
    task = waiting.current_workflow_task.specific
    assert isinstance(task, CountyReviewTask)
    reviewer = get_user_model().objects.get(email=login("county_reviewer")["email"])
    assert task.get_task_states_user_can_moderate(reviewer).count() == 1

    english = ProducerStoryPage.objects.get(locale__language_code="en")
    assert english.live and english.title == data["stories"][data["translated"]]["title_en"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    intro = escape(data["stories"][data["translated"]]["intro_en"])
    assert intro in client.get(english.url).content.decode()

    assert CountyPage.objects.exclude(introduction="").count() == 3
    assert NewsPage.objects.live().count() == 2
    editor = get_user_model().objects.get(email=login("story_editor")["email"])
    assert editor.groups.filter(name="Moderators").exists()

    before = Page.objects.count(), get_image_model().objects.count()
    seed_demo()
    assert (Page.objects.count(), get_image_model().objects.count()) == before


def test_the_demo_has_multi_spec_listings_with_specs_and_photos():
    seed_demo()
    parents = Product.objects.filter(structure=Product.PARENT, review_status=ReviewStatus.APPROVED)
    assert parents.count() == len(load("catalogue")["multi_spec"]) >= 2
    for parent in parents:
        assert 2 <= parent.children.count() <= 3
        assert parent.images.count() >= 2
        assert all(child.stockrecords.get().price > 0 for child in parent.children.all())
