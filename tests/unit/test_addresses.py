"""Addresses print in Chinese order: regions from the province down, the
detailed address, then the recipient and the mobile as people write it."""

from types import SimpleNamespace

import pytest

from common.addresses import address_lines, mobile_display


def address(**fields):
    blank = dict(state="", line4="", line3="", line1="", line2="", first_name="", last_name="")
    return SimpleNamespace(**{**blank, "phone_number": "", **fields})


def test_an_ordinary_province_prints_province_city_county_then_detail_recipient_mobile():
    lines = address_lines(
        address(
            state="陕西省",
            line4="商洛市",
            line3="柞水县",
            line1="乾佑街道 幸福小区 3 号楼",
            last_name="王小明",
            phone_number="+8613800138000",
        )
    )
    assert lines == ["陕西省 商洛市 柞水县 乾佑街道 幸福小区 3 号楼", "王小明", "138 0013 8000"]


def test_a_municipality_is_named_once():
    lines = address_lines(
        address(
            state="北京市",
            line4="北京市",
            line3="海淀区",
            line1="中关村大街 1 号",
            last_name="李雷",
        )
    )
    assert lines[0] == "北京市 海淀区 中关村大街 1 号"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+8613800138000", "138 0013 8000"),
        ("13912345678", "139 1234 5678"),
        ("+86 139-1234-5678", "139 1234 5678"),
        ("+442079460000", "+442079460000"),
        ("", ""),
    ],
)
def test_a_mainland_mobile_prints_in_groups_of_three_four_four(stored, shown):
    assert mobile_display(stored) == shown


def test_no_address_prints_nothing():
    assert address_lines(None) == []
