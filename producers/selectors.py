import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Prefetch, QuerySet, When
from django.utils import timezone
from oscar.core.loading import get_model

from partner.selectors import partner_is_managed_by
from producers.models import (
    USCC_HOLDING_STATUSES,
    ApplicationStatus,
    BenefitLinkage,
    BenefitLinkageDecision,
    Certificate,
    CountyReviewer,
    InvoiceRequest,
    Producer,
    ProducerApplication,
    Shipment,
)
from regions.models import Region

Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")
Line = get_model("order", "Line")


def uscc_in_use(*, uscc: str, exclude_application_id: int | None = None) -> bool:
    """Whether a producer or an open application already holds this code."""
    if Producer.objects.filter(uscc=uscc).exists():
        return True
    applications = ProducerApplication.objects.filter(uscc=uscc, status__in=USCC_HOLDING_STATUSES)
    if exclude_application_id is not None:
        applications = applications.exclude(pk=exclude_application_id)
    return applications.exists()


def _applications():
    return ProducerApplication.objects.select_related(
        "county__parent__parent", "applicant", "producer"
    )


def applications_of_applicant(*, user) -> QuerySet[ProducerApplication]:
    return _applications().filter(applicant=user).prefetch_related("decisions__actor")


def reviewer_county_ids(*, user) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(CountyReviewer.objects.filter(user=user).values_list("county_id", flat=True))


def applications_for_county_reviewer(*, user) -> QuerySet[ProducerApplication]:
    """Every application of the reviewer's counties; nothing of any other county."""
    return _applications().filter(county_id__in=reviewer_county_ids(user=user))


def county_reviewers() -> QuerySet[CountyReviewer]:
    return CountyReviewer.objects.select_related("user", "county__parent__parent").order_by(
        "county__code", "user__email"
    )


def counties_waiting_without_reviewer() -> QuerySet[Region]:
    """Counties with applications waiting for a county recommendation and
    nobody to give it: the first reviewers to appoint."""
    return (
        Region.objects.filter(
            producer_applications__status=ApplicationStatus.SUBMITTED,
            reviewers__isnull=True,
        )
        .annotate(waiting=Count("producer_applications", distinct=True))
        .select_related("parent__parent")
        .order_by("code")
    )


def applications_for_platform_review() -> QuerySet[ProducerApplication]:
    return _applications()


def producers_managed_by(*, user) -> QuerySet[Producer]:
    """Producers whose Oscar partner lists the user; nothing for anyone else."""
    if not user.is_authenticated:
        return Producer.objects.none()
    return Producer.objects.filter(partner__users=user).select_related(
        "partner", "county__parent__parent"
    )


def producer_is_managed_by(*, producer: Producer, user) -> bool:
    return partner_is_managed_by(partner_id=producer.partner_id, user=user)


def producer_for_page(*, pk: int) -> Producer:
    """The producer with everything its public page shows about it; raises DoesNotExist."""
    return Producer.objects.select_related("partner", "county__parent__parent").get(pk=pk)


def certificates_valid_on(
    *, producer: Producer, day: datetime.date | None = None
) -> QuerySet[Certificate]:
    day = day or timezone.localdate()
    return producer.certificates.filter(valid_from__lte=day, valid_until__gte=day).order_by(
        "kind", "valid_until"
    )


def benefit_linkages_of(*, producer: Producer) -> QuerySet[BenefitLinkage]:
    return producer.benefit_linkages.order_by("-year")


def benefit_linkage_latest(*, producer: Producer) -> BenefitLinkage | None:
    """The most recent year's figures, verified or not (pages mark unverified ones)."""
    return benefit_linkages_of(producer=producer).first()


def benefit_linkages_for_review(
    *, status: str, year: int | None = None, county_id: int | None = None
) -> QuerySet[BenefitLinkage]:
    """The staff queue (联农带农核实): figures in ``status``, optionally of one
    year and one county, oldest filing first so nothing waits forever."""
    linkages = BenefitLinkage.objects.filter(status=status)
    if year is not None:
        linkages = linkages.filter(year=year)
    if county_id is not None:
        linkages = linkages.filter(producer__county_id=county_id)
    return linkages.select_related(
        "producer__partner", "producer__county__parent__parent"
    ).order_by("updated_at", "pk")


def benefit_linkage_review_filters() -> dict:
    """The years and counties the queue's filters offer: those with figures."""
    years = list(BenefitLinkage.objects.order_by("-year").values_list("year", flat=True).distinct())
    counties = list(
        Region.objects.filter(producers__benefit_linkages__isnull=False)
        .distinct()
        .select_related("parent__parent")
        .order_by("code")
    )
    return {"years": years, "counties": counties}


def benefit_linkage_for_review(*, pk: int) -> BenefitLinkage:
    """One year's figures with the producer, its other years and the decision
    log, as the staff review page shows them; raises DoesNotExist."""
    return (
        BenefitLinkage.objects.select_related(
            "producer__partner", "producer__county__parent__parent", "verified_by"
        )
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=BenefitLinkageDecision.objects.select_related("actor").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "producer__benefit_linkages",
                queryset=BenefitLinkage.objects.order_by("-year"),
                to_attr="all_years",
            ),
        )
        .get(pk=pk)
    )


# --- Producer self-service ------------------------------------------------------


def products_of_producer(*, producer: Producer) -> QuerySet:
    """The producer's own listings in every review state, with what the list shows."""
    return (
        Product.objects.filter(producer=producer, parent__isnull=True)
        .select_related("origin_county")
        .prefetch_related("stockrecords", "categories", "images")
        .order_by("-date_updated", "-pk")
    )


def certificates_of_producer(*, producer: Producer) -> QuerySet[Certificate]:
    return producer.certificates.prefetch_related("products").order_by("valid_until", "pk")


def orders_of_producer(*, producer: Producer) -> QuerySet:
    """Orders with at least one of the producer's lines; ``producer_lines`` and
    ``producer_shipments`` hold only this producer's part of each."""
    return (
        Order.objects.filter(lines__partner=producer.partner)
        .distinct()
        .select_related("shipping_address")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=Line.objects.filter(partner=producer.partner).order_by("pk"),
                to_attr="producer_lines",
            ),
            Prefetch(
                "shipments",
                queryset=Shipment.objects.filter(producer=producer),
                to_attr="producer_shipments",
            ),
        )
        .order_by("-date_placed", "-pk")
    )


@dataclass(frozen=True)
class ProducerSupported:
    producer: Producer
    verified_linkage: BenefitLinkage | None  # the latest verified year, or None


def producers_supported_by_order(*, order) -> list[ProducerSupported]:
    """The producers an order buys from (by its lines' partners), by name, each
    with its latest verified benefit linkage: what the buyer is told the
    purchase supported. Unverified figures are left out. Two queries."""
    producers = list(
        Producer.objects.filter(partner__order_lines__order=order)
        .distinct()
        .select_related("partner", "county__parent__parent")
        .order_by("partner__name", "pk")
    )
    verified: dict[int, BenefitLinkage] = {}
    if producers:
        # Newest year first; the first of each producer is kept (no DISTINCT ON: SQLite).
        for linkage in BenefitLinkage.objects.filter(
            producer__in=producers, is_verified=True
        ).order_by("producer_id", "-year"):
            verified.setdefault(linkage.producer_id, linkage)
    return [ProducerSupported(producer=p, verified_linkage=verified.get(p.pk)) for p in producers]


def certificates_expiring(*, day: datetime.date, within_days: int) -> QuerySet[Certificate]:
    """Certificates still valid on ``day`` that lapse within ``within_days`` days."""
    return (
        Certificate.objects.filter(
            valid_from__lte=day,
            valid_until__gte=day,
            valid_until__lte=day + datetime.timedelta(days=within_days),
        )
        .select_related("producer__partner")
        .prefetch_related("producer__partner__users", "products")
        .order_by("producer_id", "valid_until", "pk")
    )


def invoice_requests_of(*, producer: Producer) -> QuerySet:
    """The producer's invoice requests, those still to issue first, each with
    its order."""
    return (
        InvoiceRequest.objects.filter(producer=producer)
        .select_related("order")
        .order_by(
            Case(When(status=InvoiceRequest.Status.REQUESTED, then=0), default=1),
            "-created_at",
            "-pk",
        )
    )
