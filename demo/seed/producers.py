"""Regions, the sample producers — each joining through onboarding — their
certificates and benefit linkage, and the applications of 柞水县 in every
review state (demo/data/producers.toml, onboarding.toml)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from catalogue.models import ReviewStatus
from common.uploads import document_check, document_rename
from demo.data import load
from demo.seed import pictures
from demo.seed.accounts import account
from demo.seed.identifiers import county, uscc
from demo.seed.tally import Tally
from producers import services
from producers.models import (
    ApplicationStatus,
    BenefitLinkage,
    Certificate,
    CountyReviewer,
    Producer,
    ProducerApplication,
)
from regions.services import region_set_key_assistance, regions_load_from_dataset


def seed_regions() -> dict[str, Tally]:
    loaded = regions_load_from_dataset()
    codes = load("producers")["key_assistance_counties"]
    flagged = 0
    for code in codes:
        region = county(code)
        if not region.is_key_assistance_county:
            region_set_key_assistance(region=region, flag=True)
            flagged += 1
    return {
        "regions": Tally(loaded["created"], loaded["total"]),
        "key_assistance_counties": Tally(flagged, len(codes)),
    }


def seed_county_reviewers() -> dict[str, object]:
    """The reviewer of each demo county, by county code."""
    reviewers = {}
    for entry in load("producers")["county_reviewers"]:
        user, _created = account(entry["email"])
        # Staff assign county reviewers in the Django admin; no service owns it.
        CountyReviewer.objects.get_or_create(user=user, county=county(entry["county"]))
        reviewers[entry["county"]] = user
    return reviewers


def _checked(upload):
    # What the application form does with every upload before the service sees it.
    document_rename(upload, document_check(upload))
    return upload


def _details(spec: dict, *, credit_code: str) -> services.ApplicationDetails:
    food_licence = spec.get("food_licence_number", "")
    return services.ApplicationDetails(
        kind=spec["kind"],
        name=spec["name"],
        uscc=credit_code,
        county=county(spec["county"]),
        legal_representative=spec["legal_representative"],
        contact_name=spec["contact_name"],
        contact_mobile=spec["contact_mobile"],
        bank_account_name=spec["name"],
        bank_name=spec["bank_name"],
        bank_account_number=spec["bank_account_number"],
        sells_food=bool(food_licence),
        food_licence_number=food_licence,
    )


def _credit_code(spec: dict, sequence: int) -> str:
    prefix = load("producers")["uscc"]["prefix"][spec["kind"]]
    return uscc(prefix=prefix, region_code=spec["county"], sequence=sequence)


def _apply(*, applicant, details: services.ApplicationDetails) -> ProducerApplication:
    return services.producer_application_submit(
        applicant=applicant,
        details=details,
        business_licence=_checked(pictures.licence_scan()),
        food_licence_file=_checked(pictures.licence_scan("#2a6")) if details.sells_food else None,
    )


def _review(application, *, state: str, reason: str, reviewer, staff) -> None:
    """Take a submitted application to ``state`` the way the county and staff would."""
    if state == ApplicationStatus.SUBMITTED:
        return
    if state == ApplicationStatus.RETURNED:
        services.producer_application_return(application=application, actor=reviewer, reason=reason)
        return
    services.producer_application_recommend(application=application, actor=reviewer)
    if state == ApplicationStatus.REJECTED:
        services.producer_application_reject(application=application, actor=staff, reason=reason)
    elif state == ApplicationStatus.APPROVED:
        services.producer_application_approve(application=application, actor=staff)


def seed_producers(*, staff, reviewers) -> tuple[dict[str, Producer], dict[str, object], Tally]:
    """The sample producers and, for each, the login that manages it (its applicant),
    both by the producer's key in producers.toml."""
    data = load("producers")
    producers, operators, created = {}, {}, 0
    for sequence, spec in enumerate(data["producers"], start=data["uscc"]["sequence_start"]):
        credit_code = _credit_code(spec, sequence)
        applicant, _created = account(spec["applicant"])
        producer = Producer.objects.filter(uscc=credit_code).first()
        if producer is None:
            application = _apply(
                applicant=applicant, details=_details(spec, credit_code=credit_code)
            )
            services.producer_application_recommend(
                application=application, actor=reviewers[spec["county"]]
            )
            producer = services.producer_application_approve(application=application, actor=staff)
            # Staff write the introduction and the sample mark in the Django admin;
            # no service owns them.
            producer.introduction = spec["introduction"]
            producer.is_sample = True
            producer.save(update_fields=["introduction", "is_sample"])
            created += 1
        elif not producer.partner.users.filter(pk=applicant.pk).exists():
            # A database seeded before the demo joined through onboarding has the
            # producer without its applicant's login.
            producer.partner.users.add(applicant)
        producers[spec["key"]] = producer
        operators[spec["key"]] = applicant
    return producers, operators, Tally(created, len(producers))


def _certificate(*, producer, operator, details: services.CertificateDetails) -> bool:
    """Record the certificate over the producer's approved listings, unless it exists."""
    if Certificate.objects.filter(
        producer=producer, kind=details.kind, number=details.number
    ).exists():
        return False
    services.certificate_save(
        producer=producer,
        actor=operator,
        details=details,
        product_ids=list(
            producer.products.filter(review_status=ReviewStatus.APPROVED).values_list(
                "pk", flat=True
            )
        ),
    )
    return True


def seed_certificates(*, producers, operators) -> Tally:
    specs = load("producers")["certificates"]
    created = 0
    for spec in specs:
        created += _certificate(
            producer=producers[spec["producer"]],
            operator=operators[spec["producer"]],
            details=services.CertificateDetails(
                kind=spec["kind"],
                number=spec["number"],
                issuer=spec["issuer"],
                valid_from=spec["valid_from"],
                valid_until=spec["valid_until"],
            ),
        )
    return Tally(created, len(specs))


def seed_expiring_certificate(*, producers, operators) -> Tally:
    """One certificate lapsing within the warning window, whatever day the demo is seeded."""
    spec = load("onboarding")["expiring_certificate"]
    today = timezone.localdate()
    created = _certificate(
        producer=producers[spec["producer"]],
        operator=operators[spec["producer"]],
        details=services.CertificateDetails(
            kind=spec["kind"],
            number=spec["number"],
            issuer=spec["issuer"],
            valid_from=today - datetime.timedelta(days=spec["valid_from_days_ago"]),
            valid_until=today + datetime.timedelta(days=spec["valid_until_in_days"]),
        ),
    )
    return Tally(int(created), 1)


def seed_benefit_linkages(*, producers, operators, staff) -> Tally:
    """Each producer files its figures; staff verify those marked verified. Rows
    that exist are left alone: staff may have reviewed them since."""
    specs = load("producers")["benefit_linkages"]
    created = 0
    for spec in specs:
        producer = producers[spec["producer"]]
        if BenefitLinkage.objects.filter(producer=producer, year=spec["year"]).exists():
            continue
        linkage = services.benefit_linkage_record(
            producer=producer,
            actor=operators[spec["producer"]],
            year=spec["year"],
            figures=services.LinkageFigures(
                employment_households=spec["employment"]["households"],
                employment_amount=Decimal(spec["employment"]["amount"]),
                asset_income_households=spec["asset_income"]["households"],
                asset_income_amount=Decimal(spec["asset_income"]["amount"]),
                purchase_households=spec["purchase"]["households"],
                purchase_amount=Decimal(spec["purchase"]["amount"]),
                total_households=spec["total_households"],
            ),
        )
        if spec["verified"]:
            services.benefit_linkage_verify(linkage=linkage, actor=staff)
        created += 1
    return Tally(created, len(specs))


def seed_applications(*, staff, reviewers) -> Tally:
    """Applications found again by organisation name; each is walked to its state."""
    data = load("onboarding")
    password = load("people")["applicants"]["password"]
    created = 0
    for sequence, spec in enumerate(data["applications"], start=data["uscc_sequence_start"]):
        if ProducerApplication.objects.filter(name=spec["name"]).exists():
            continue
        applicant, _created = account(spec["applicant"], password=password)
        application = _apply(
            applicant=applicant,
            details=_details(spec, credit_code=_credit_code(spec, sequence)),
        )
        _review(
            application,
            state=spec["state"],
            reason=spec.get("reason", ""),
            reviewer=reviewers[spec["county"]],
            staff=staff,
        )
        created += 1
    return Tally(created, len(data["applications"]))
