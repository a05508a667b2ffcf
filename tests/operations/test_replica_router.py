"""The read replica (issue 15, item 6): reports read from it inside
``reporting_reads()``, everything else from the primary, every write goes to
the primary. The ``replica`` alias of the test settings is a TEST MIRROR of the
test database: a second connection, which sees only committed rows, hence the
transactional tests."""

import datetime
import io

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common.db_routing import ReportingReplicaRouter, reporting_alias, reporting_reads
from marketplace.settings.base import replica_databases
from oversight import services as oversight_services
from oversight.models import Bulletin
from regions.models import Region
from tests.factories import ProducerFactory, county, place_order, product_with_stock
from tests.factories.procurement import producer_user
from tests.support.oversight import OCTOBER

BOTH = ["default", "replica"]


@pytest.fixture
def replica(settings):
    settings.REPORTING_DATABASE = "replica"
    return connections["replica"]


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]


def test_the_replica_alias_is_a_mirror_of_the_test_database():
    assert settings.DATABASES["replica"]["TEST"]["MIRROR"] == "default"
    assert (
        connections["replica"].settings_dict["NAME"] == connections["default"].settings_dict["NAME"]
    )


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_reads_go_to_the_replica_only_inside_the_reporting_context(replica):
    zhashui = county("611026")
    assert router.db_for_read(Region) == DEFAULT_DB_ALIAS
    with CaptureQueriesContext(replica) as on_replica:
        assert Region.objects.get(pk=zhashui.pk)._state.db == DEFAULT_DB_ALIAS
    assert len(on_replica) == 0

    with reporting_reads():
        assert router.db_for_read(Region) == "replica"
        with CaptureQueriesContext(replica) as on_replica:
            found = Region.objects.get(pk=zhashui.pk)
    assert found._state.db == "replica"
    assert len(on_replica) == 1
    # Back outside: the primary again.
    assert router.db_for_read(Region) == DEFAULT_DB_ALIAS


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_writes_and_row_locks_go_to_the_primary_inside_the_context_too(replica):
    zhashui = county("611026")
    with reporting_reads():
        assert router.db_for_write(Region) == DEFAULT_DB_ALIAS
        found = Region.objects.get(pk=zhashui.pk)
        found.name = "柞水县（改）"
        with (
            CaptureQueriesContext(replica) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            found.save(update_fields=["name"])
            with transaction.atomic():
                locked = Region.objects.select_for_update().get(pk=zhashui.pk)
    # (Receivers of the save may read, e.g. the products to re-index: reads may
    # go to the replica here; writes and locks never.)
    assert _writes(on_replica) == []
    assert not any("FOR UPDATE" in q["sql"] for q in on_replica)
    assert len(_writes(on_primary)) == 1
    assert locked._state.db == DEFAULT_DB_ALIAS
    assert Region.objects.get(pk=zhashui.pk).name == "柞水县（改）"


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_an_object_from_the_replica_reads_its_relations_from_the_primary_outside(replica):
    zhashui = county("611026")
    with reporting_reads():
        found = Region.objects.get(pk=zhashui.pk)
    with CaptureQueriesContext(replica) as on_replica:
        assert found.parent.pk == zhashui.parent_id
    assert len(on_replica) == 0
    assert found.parent._state.db == DEFAULT_DB_ALIAS


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_inside_an_open_transaction_reads_stay_on_the_primary(replica):
    """Read-your-writes: rows written in the open transaction are not on the
    replica (not even committed), so reads in it stay where they were written."""
    zhashui = county("611026")
    with transaction.atomic():
        Region.objects.filter(pk=zhashui.pk).update(name="未提交")
        with reporting_reads():
            assert reporting_alias() == DEFAULT_DB_ALIAS
            assert Region.objects.get(pk=zhashui.pk).name == "未提交"
        # What the replica connection would have answered: the committed row.
        with replica.cursor() as cursor:
            cursor.execute(f"SELECT name FROM {Region._meta.db_table} WHERE id = %s", [zhashui.pk])
            assert cursor.fetchone()[0] == "柞水县"


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_context_nests_and_works_as_a_decorator(replica):
    @reporting_reads()
    def report():
        return reporting_alias()

    assert report() == "replica"
    with reporting_reads():
        with reporting_reads():
            assert reporting_alias() == "replica"
        assert reporting_alias() == "replica"
    assert reporting_alias() == DEFAULT_DB_ALIAS


def test_without_a_replica_the_context_reads_the_primary(settings):
    settings.REPORTING_DATABASE = "default"
    with reporting_reads():
        assert reporting_alias() == DEFAULT_DB_ALIAS


def test_migrations_run_on_the_primary_only():
    routing = ReportingReplicaRouter()
    assert routing.allow_migrate("default", "catalogue") is True
    assert routing.allow_migrate("replica", "catalogue") is False


def test_the_replica_alias_is_added_only_when_its_url_is_set():
    databases = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "m"}}
    assert replica_databases(databases, "") == "default"
    assert set(databases) == {"default"}
    alias = replica_databases(
        databases, "postgres://reader:pw@10.0.0.6:5432/marketplace", conn_max_age=60
    )
    assert alias == "replica"
    assert databases["replica"]["HOST"] == "10.0.0.6"
    assert databases["replica"]["USER"] == "reader"
    assert databases["replica"]["CONN_MAX_AGE"] == 60


# --- The report paths read the replica ----------------------------------------


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_bulletin_generation_reads_its_figures_from_the_replica_and_writes_the_primary(replica):
    bulletin = Bulletin.objects.create(region=None, period_kind="month", period_key=OCTOBER.slug)
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        oversight_services.bulletin_generate(bulletin_id=bulletin.pk)
    assert len(on_replica) > 10
    assert _writes(on_replica) == []
    # The bulletin's own row: read, marked running, locked and saved on the primary.
    assert len(_writes(on_primary)) == 2
    bulletin.refresh_from_db()
    assert bulletin.generation == Bulletin.Generation.DONE


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_producer_sales_download_reads_the_replica(client, replica):
    product = product_with_stock(stock=50, producer=ProducerFactory(county=county("611026")))
    seller = producer_user(product.producer)
    year = timezone.localdate().year - 1
    order = place_order(product)  # 2 × 39.90
    type(order).objects.filter(pk=order.pk).update(
        status=settings.ORDER_STATUS_PAID,
        date_placed=timezone.make_aware(datetime.datetime(year, 5, 10, 10, 0)),
    )
    client.force_login(seller)
    url = reverse("procurement:supplier-sales", args=[product.producer.pk, year, "xlsx"])
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get(url)
    assert response.status_code == 200
    assert len(on_replica) > 0
    # Who may download was checked on the primary, never on the replica.
    assert not any("partner_partner_users" in q["sql"] for q in on_replica)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert any(row[0] == "5月" and float(row[1]) == pytest.approx(79.80) for row in rows)
