import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from procurement.models import BuyerOrganisation
from tests.factories import county, valid_uscc
from tests.factories.procurement import BuyerOrganisationFactory

pytestmark = pytest.mark.django_db


def new_unit(**kwargs):
    return BuyerOrganisation(
        kind=kwargs.pop("kind", "agency"),
        name="新单位",
        uscc=valid_uscc(99_000_001, region_code="611026", prefix="11"),
        region=county("611026"),
        status="active",
        **kwargs,
    )


def test_a_new_child_unit_passes_full_validation_as_the_admin_would_run_it():
    parent = BuyerOrganisationFactory()
    unit = new_unit(parent=parent)
    unit.full_clean()
    unit.save()


def test_uscc_check_character_is_validated():
    unit = new_unit()
    unit.uscc = unit.uscc[:-1] + ("0" if unit.uscc[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位"):
        unit.full_clean()


def test_only_unions_attach_to_a_unit_in_clean_and_in_the_database():
    parent = BuyerOrganisationFactory()
    with pytest.raises(ValidationError):
        new_unit(union_of=parent).full_clean()
    with pytest.raises(IntegrityError):
        new_unit(union_of=parent).save()


def test_a_unit_cannot_sit_below_its_own_child():
    parent = BuyerOrganisationFactory()
    child = BuyerOrganisationFactory(parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError, match="上级单位"):
        parent.full_clean()
