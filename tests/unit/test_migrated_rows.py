"""Transactional tests flush every table; the rows the migrations created come back."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.models import Site

from regions.selectors import region_shipping_country
from tests.support.database import is_transactional, restore_migrated_rows


def _migrated_rows():
    site = Site.objects.get(is_default_site=True)
    return {
        "country": region_shipping_country().pk,
        "home": site.root_page.specific_class.__name__,
        "content_types": ContentType.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_a_flush_with_post_migrate_is_undone_to_the_migrated_rows(django_db_blocker):
    before = _migrated_rows()
    call_command("flush", interactive=False, verbosity=0)  # as the test's own teardown does
    assert not Site.objects.exists()

    restore_migrated_rows(django_db_blocker)

    assert _migrated_rows() == before


@pytest.mark.django_db(transaction=True)
def test_rows_added_after_the_restore_take_fresh_ids(django_db_blocker):
    from wagtail.models import Page

    call_command("flush", interactive=False, verbosity=0)
    restore_migrated_rows(django_db_blocker)

    home = Site.objects.get(is_default_site=True).root_page
    home.add_child(instance=Page(title="新页面", slug="new-page"))
    assert Page.objects.filter(slug="new-page").exists()


class _Item:
    def __init__(self, marker=None, fixturenames=()):
        self.marker, self.fixturenames = marker, fixturenames

    def get_closest_marker(self, name):
        return self.marker if name == "django_db" else None


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (_Item(pytest.mark.django_db.mark), False),
        (_Item(fixturenames=("db",)), False),
        (_Item(pytest.mark.django_db(transaction=True).mark), True),
        (_Item(pytest.mark.django_db(True).mark), True),
        (_Item(pytest.mark.django_db(reset_sequences=True).mark), True),
        (_Item(fixturenames=("transactional_db",)), True),
        (_Item(fixturenames=("live_server",)), True),
    ],
)
def test_transactional_tests_are_told_from_the_rest(item, expected):
    assert is_transactional(item) is expected
