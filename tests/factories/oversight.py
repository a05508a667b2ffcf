"""Programme offices (oversight)."""

import factory
from factory.django import DjangoModelFactory

from oversight.models import ProgrammeOffice
from tests.factories.users import UserFactory


class ProgrammeOfficeFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeOffice

    user = factory.SubFactory(UserFactory)
    region = None
