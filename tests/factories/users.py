import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

DEFAULT_PASSWORD = "pass1234!"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    # Oscar signs people in by email; the full address keeps usernames unique too.
    username = factory.SelfAttribute("email")
    password = Password(DEFAULT_PASSWORD)
    first_name = ""
    last_name = ""


class StaffUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class UserMobileFactory(DjangoModelFactory):
    """A verified mobile number bound to a (new) account."""

    class Meta:
        model = "customer.UserMobile"

    user = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: f"139{n:08d}")
    verified_at = factory.LazyFunction(timezone.now)
