"""Bulletins: figures frozen at generation, golden summary sentences, the
published bulletin that never changes, and the next bulletin's correction note."""

import datetime
from decimal import Decimal

import pytest

from oversight import services
from oversight.bulletins import bulletin_sentences
from oversight.exceptions import OversightError
from oversight.models import Bulletin
from procurement.models import ContractStatus
from tests.factories import StaffUserFactory
from tests.factories.procurement import contract_in_state
from tests.support.oversight import GOLDEN_NATIONAL, NOVEMBER, OCTOBER, YEAR

pytestmark = pytest.mark.django_db


def _generated(region, period, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = services.bulletin_request(actor=actor, region=region, period=period)
    bulletin.refresh_from_db()
    return bulletin


def test_generation_runs_as_a_task_and_freezes_the_figures_as_json(
    programme, django_capture_on_commit_callbacks
):
    staff = StaffUserFactory()
    bulletin = _generated(None, OCTOBER, staff, django_capture_on_commit_callbacks)
    assert bulletin.generation == Bulletin.Generation.DONE
    assert bulletin.status == Bulletin.Status.DRAFT
    figures = bulletin.figures
    assert figures["period"]["key"] == f"{YEAR}-10"
    assert figures["buyers"]["counted"] == "1696.50"
    assert figures["buyers"]["counted_previous"] == "199.50"
    assert figures["money"]["total"] == "2576.80"
    assert figures["money"]["previous_total"] == "199.50"
    assert figures["money"]["key_county_share"] == "49.5"
    assert [row["name"] for row in figures["money"]["places"]] == ["陕西省"]
    assert [row["name"] for row in figures["buyers"]["behind"]] == [
        "朝阳区某局",
        "柞水县农业农村局",
    ]
    assert figures["households"]["total"] > 0
    assert figures["correction"] is None
    assert figures["summary"] == bulletin_sentences(figures)


def test_golden_summary_sentences(programme, django_capture_on_commit_callbacks):
    staff = StaffUserFactory()
    province = programme["zhashui"].province
    national = _generated(None, OCTOBER, staff, django_capture_on_commit_callbacks)
    shaanxi = _generated(province, OCTOBER, staff, django_capture_on_commit_callbacks)
    assert national.figures["summary"] == GOLDEN_NATIONAL
    assert shaanxi.figures["summary"][0] == GOLDEN_SHAANXI_FIRST


def test_a_published_bulletin_never_changes_and_the_next_one_notes_the_correction(
    programme, django_capture_on_commit_callbacks
):
    staff = StaffUserFactory()
    october = _generated(None, OCTOBER, staff, django_capture_on_commit_callbacks)
    services.bulletin_commentary_save(bulletin=october, commentary="总体进度偏慢，请各地加快。")
    services.bulletin_publish(bulletin=october, actor=staff)
    frozen = dict(october.figures)

    # A contract accepted on 25 October, entered after the bulletin was published.
    u1 = programme["units"][0]
    product = programme["october_a"].lines.get().product
    contract_in_state(
        u1, product, 3, ContractStatus.ACCEPTED, accepted_on=datetime.date(YEAR, 10, 25)
    )

    october.refresh_from_db()
    assert october.figures == frozen
    assert october.commentary == "总体进度偏慢，请各地加快。"
    with pytest.raises(OversightError) as refused:
        services.bulletin_commentary_save(bulletin=october, commentary="改写")
    assert refused.value.code == "bulletin_frozen"
    with pytest.raises(OversightError) as refused:
        services.bulletin_publish(bulletin=october, actor=staff)
    assert refused.value.code == "bulletin_frozen"
    # Regenerating a published bulletin leaves it alone.
    services.bulletin_generate(bulletin_id=october.pk)
    october.refresh_from_db()
    assert october.figures == frozen

    november = _generated(None, NOVEMBER, staff, django_capture_on_commit_callbacks)
    correction = november.figures["correction"]
    assert november.supersedes == october
    assert correction["counted_frozen"] == "1696.50"
    assert correction["counted_now"] == str(Decimal("1696.50") + 3 * Decimal("39.90"))
    assert correction["money_difference"] == "119.70"
    assert november.correction_note.startswith(f"更正说明：因补录数据，{YEAR}年10月")
    assert november.correction_note in november.figures["summary"]

    # A second October bulletin may be drafted but not published.
    again = _generated(None, OCTOBER, staff, django_capture_on_commit_callbacks)
    with pytest.raises(OversightError) as refused:
        services.bulletin_publish(bulletin=again, actor=staff)
    assert refused.value.code == "bulletin_period_published"


def test_a_bulletin_not_yet_generated_cannot_be_published(programme):
    staff = StaffUserFactory()
    bulletin = Bulletin.objects.create(
        region=None, period_kind="month", period_key=OCTOBER.slug, requested_by=staff
    )
    with pytest.raises(OversightError) as refused:
        services.bulletin_publish(bulletin=bulletin, actor=staff)
    assert refused.value.code == "bulletin_not_ready"


def test_a_failed_generation_is_recorded(programme, monkeypatch):
    staff = StaffUserFactory()
    bulletin = Bulletin.objects.create(
        region=None, period_kind="month", period_key=OCTOBER.slug, requested_by=staff
    )

    def broken(**kwargs):
        raise RuntimeError("数据库不可用")

    monkeypatch.setattr(services, "bulletin_figures", broken)
    with pytest.raises(RuntimeError):
        services.bulletin_generate(bulletin_id=bulletin.pk)
    bulletin.refresh_from_db()
    assert bulletin.generation == Bulletin.Generation.FAILED
    assert "数据库不可用" in bulletin.generation_error


# Shaanxi's two units: 1696.50 against 2,200.
GOLDEN_SHAANXI_FIRST = (
    "截至10月底，全省预算单位完成采购0.17万元，占年度目标77.1%，时间进度为83.3%。"
)


def test_generation_query_count_does_not_grow_with_the_data(programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ProducerFactory, county, product_with_stock
    from tests.factories.procurement import AnnualPlanFactory, Team

    def generate():
        bulletin = Bulletin.objects.create(
            region=None, period_kind="month", period_key=OCTOBER.slug
        )
        with CaptureQueriesContext(connection) as queries:
            services.bulletin_generate(bulletin_id=bulletin.pk)
        return len(queries)

    before = generate()
    ankang = county("610902")
    for index in range(3):
        team = Team(region=ankang, name=f"汉滨区单位{index}")
        AnnualPlanFactory(organisation=team.organisation, year=YEAR)
        product = product_with_stock(stock=100, producer=ProducerFactory(county=ankang))
        contract_in_state(
            team, product, 2, ContractStatus.ACCEPTED, accepted_on=datetime.date(YEAR, 10, 9)
        )
    assert generate() == before
