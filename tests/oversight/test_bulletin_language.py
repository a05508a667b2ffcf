"""The bulletin in the reader's language: the summary sentences, correction
note and period labels are written again from the frozen figures in English
for an English reader (page, XLSX, PDF), while the Chinese text stays byte for
byte what was published, and the figures and the staff's commentary stay as
written in every language."""

import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from oversight import services
from oversight.bulletins import bulletin_sentences, bulletin_text
from oversight.models import Bulletin
from procurement.models import ContractStatus
from tests.factories import StaffUserFactory
from tests.factories.procurement import contract_in_state
from tests.support.oversight import GOLDEN_NATIONAL, NOVEMBER, OCTOBER, YEAR

pytestmark = pytest.mark.django_db

COMMENTARY = "总体进度偏慢，请各地加快。"

GOLDEN_ENGLISH = [
    "By the end of month 10, budget units in the whole country had bought CNY 0.17 "
    "ten-thousand, 53.0% of the annual target, against 83.3% of the year elapsed.",
    f"In 10/{YEAR}, assistance products sold CNY 0.26 ten-thousand: consumers 0.01, unit "
    "purchases 0.12, off-platform purchases 0.03, SOE helped sales 0.10; up 1191.6% on the "
    "previous period, nothing to compare with the same period last year.",
]


def _published(region, period, staff):
    bulletin = Bulletin.objects.create(
        region=region, period_kind=period.kind, period_key=period.slug, requested_by=staff
    )
    bulletin = services.bulletin_generate(bulletin_id=bulletin.pk)
    services.bulletin_commentary_save(bulletin=bulletin, commentary=COMMENTARY)
    return services.bulletin_publish(bulletin=bulletin, actor=staff)


def _reader(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _pdf_text(client, bulletin) -> str:
    response = client.get(reverse("oversight:bulletin-download", args=[bulletin.pk, "pdf"]))
    reader = PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages)


def _summary_sheet(client, bulletin) -> list[str]:
    response = client.get(reverse("oversight:bulletin-download", args=[bulletin.pk, "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    return [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_the_published_chinese_text_is_the_stored_text_byte_for_byte(client, programme):
    staff = StaffUserFactory()
    bulletin = _published(None, OCTOBER, staff)
    assert bulletin.figures["summary"] == GOLDEN_NATIONAL
    with translation.override("zh-hans"):
        text = bulletin_text(bulletin)
        assert text.summary is bulletin.figures["summary"]
        # Written again, the Chinese comes out the same.
        assert bulletin_sentences(bulletin.figures) == GOLDEN_NATIONAL
    client.force_login(staff)
    page = _reader(client, "zh-hans").get(reverse("oversight:bulletin", args=[bulletin.pk]))
    body = page.content.decode()
    for sentence in GOLDEN_NATIONAL:
        assert f"<p>{sentence}</p>" in body
    assert _summary_sheet(client, bulletin)[: len(GOLDEN_NATIONAL)] == GOLDEN_NATIONAL


def test_an_english_reader_gets_english_sentences_and_the_figures_and_commentary_as_written(
    client, programme
):
    staff = StaffUserFactory()
    bulletin = _published(None, OCTOBER, staff)
    frozen = dict(bulletin.figures)
    client.force_login(staff)
    english = _reader(client, "en")

    body = english.get(reverse("oversight:bulletin", args=[bulletin.pk])).content.decode()
    for sentence in GOLDEN_ENGLISH:
        assert sentence in body
    assert GOLDEN_NATIONAL[0] not in body
    assert COMMENTARY in body and "1696.50" in body
    assert f'<th scope="col">10/{YEAR}</th>' in body

    summary = _summary_sheet(english, bulletin)
    assert summary[:2] == GOLDEN_ENGLISH
    assert summary[-1] == COMMENTARY

    pdf = _pdf_text(english, bulletin)
    assert "By the end of month 10" in pdf
    assert "截至10月底" not in pdf
    assert COMMENTARY in pdf and "1696.50" in pdf

    bulletin.refresh_from_db()
    assert bulletin.figures == frozen
    assert bulletin.figures["summary"] == GOLDEN_NATIONAL


def test_the_correction_note_follows_the_reader_and_stays_stored_in_chinese(client, programme):
    staff = StaffUserFactory()
    _published(None, OCTOBER, staff)
    u1 = programme["units"][0]
    product = programme["october_a"].lines.get().product
    contract_in_state(
        u1, product, 3, ContractStatus.ACCEPTED, accepted_on=datetime.date(YEAR, 10, 25)
    )
    november = Bulletin.objects.create(
        region=None, period_kind="month", period_key=NOVEMBER.slug, requested_by=staff
    )
    november = services.bulletin_generate(bulletin_id=november.pk)
    stored = november.correction_note
    assert stored.startswith(f"更正说明：因补录数据，{YEAR}年10月预算单位完成采购由1696.50元")

    client.force_login(staff)
    url = reverse("oversight:bulletin", args=[november.pk])
    chinese = _reader(client, "zh-hans").get(url).content.decode()
    assert stored in chinese
    english = _reader(client, "en").get(url).content.decode()
    note = (
        f"Correction: after late records, budget units&#x27; purchases for 10/{YEAR} are "
        "corrected from CNY 1696.50 to CNY 1816.20"
    )
    assert note in english
    assert stored not in english
    november.refresh_from_db()
    assert november.correction_note == stored
