import pytest

from procurement.demo import procurement_seed_demo
from procurement.models import (
    BuyerOrganisation,
    Contract,
    ContractStatus,
    HelpedSale,
    OffPlatformPurchase,
    PurchaseOrder,
)
from tests.factories import ProducerFactory, StaffUserFactory, product_with_stock

pytestmark = pytest.mark.django_db


def test_demo_has_every_unit_kind_and_contract_state_and_runs_again_without_duplicates():
    for n in range(2):
        producer = ProducerFactory()
        for i in range(2):
            product_with_stock(stock=300, producer=producer, upc=f"DEMO-T{n}{i}")
    StaffUserFactory()

    first = procurement_seed_demo()
    second = procurement_seed_demo()

    assert set(BuyerOrganisation.objects.values_list("kind", flat=True)) == set(
        BuyerOrganisation.Kind.values
    )
    assert set(Contract.objects.values_list("status", flat=True)) == set(ContractStatus.values)
    assert set(PurchaseOrder.objects.values_list("status", flat=True)) >= {
        "draft",
        "submitted",
        "approved",
    }
    assert OffPlatformPurchase.objects.filter(corrects__isnull=False).exists()
    assert HelpedSale.objects.exists()
    assert first["contracts_created"] > 0 and second["contracts_created"] == 0
    assert Contract.objects.count() == first["contracts_created"]
