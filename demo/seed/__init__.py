"""Seeds the demo of ``demo/data/`` through the apps' services, so every object
is in a state the application itself produces: producers joined through
onboarding, listings approved through review with their decisions, contracts
walked by their parties. Each step finds what an earlier run made by a natural
key (credit code, SKU, name), so running the seed again adds only what is missing."""

from django.db import transaction

from demo.data import load
from demo.seed import catalogue, procurement, producers, stories
from demo.seed.accounts import account, staff_account
from demo.seed.tally import Tally

__all__ = ["Tally", "seed_demo"]


def _seed_logins() -> Tally:
    logins = load("people")["logins"]
    created = sum(account(entry["email"])[1] for entry in logins)
    return Tally(created, len(logins))


@transaction.atomic
def seed_demo(*, stdout=None) -> dict[str, Tally]:
    """Create whatever part of the demo is missing; returns a tally per kind of object."""

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    say("行政区划 / regions …")
    counts = producers.seed_regions()
    counts["users"] = _seed_logins()
    staff = staff_account()
    reviewers = producers.seed_county_reviewers()
    say("生产主体 / producers …")
    sample_producers, operators, counts["producers"] = producers.seed_producers(
        staff=staff, reviewers=reviewers
    )
    say("商品与图片 / products and pictures …")
    featured, catalogue_counts = catalogue.seed_catalogue(
        producers=sample_producers, operators=operators, staff=staff
    )
    counts.update(catalogue_counts)
    counts["multi_spec_listings"] = catalogue.seed_multi_spec_listings(
        producers=sample_producers, operators=operators, staff=staff
    )
    counts["certificates"] = producers.seed_certificates(
        producers=sample_producers, operators=operators
    )
    counts["benefit_linkages"] = producers.seed_benefit_linkages(
        producers=sample_producers, operators=operators, staff=staff
    )
    say("首页推荐 / home page …")
    counts["featured_products"] = catalogue.seed_featured(featured)
    say("入驻申请与商品审核 / onboarding and listing review …")
    counts["applications"] = producers.seed_applications(staff=staff, reviewers=reviewers)
    counts["listings_in_review"] = catalogue.seed_listings_in_review(
        producers=sample_producers, operators=operators, staff=staff
    )
    counts["expiring_certificates"] = producers.seed_expiring_certificate(
        producers=sample_producers, operators=operators
    )
    say("生产者故事 / producer stories …")
    counts.update(stories.seed_stories(producers=sample_producers, operators=operators))
    say("单位采购 / procurement …")
    counts.update(procurement.seed_procurement(staff=staff, producers=sample_producers))
    return counts
