"""Validators for Chinese identifiers that have real check rules: 统一社会信用代码
(GB 32100), mainland mobile numbers, 食品生产许可证 numbers and bank account numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 统一社会信用代码 uses digits and upper-case letters except I, O, S, V, Z.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# 中国大陆手机号: 11 digits starting 13–19.
_MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def uscc_check_character(first17: str) -> str:
    """Return the check character for the first 17 characters of a USCC."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(value: str) -> str:
    return (value or "").strip().upper()


def validate_uscc(value: str) -> None:
    code = normalise_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为 18 位，当前为 %(length)d 位。"),
            code="uscc_length",
            params={"length": len(code)},
        )
    if not _USCC_SHAPE.match(code):
        raise ValidationError(
            _(
                "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z），第 3–8 位应为行政区划码。"
            ),
            code="uscc_characters",
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对后重新输入。"),
            code="uscc_check",
        )


def normalise_mainland_mobile(value: str) -> str:
    digits = re.sub(r"[\s\-]", "", str(value or ""))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def validate_mainland_mobile(value: str) -> None:
    if not _MAINLAND_MOBILE.match(normalise_mainland_mobile(value)):
        raise ValidationError(
            _("请输入有效的中国大陆手机号（11 位，以 1 开头）。"),
            code="mobile",
        )


# 食品生产许可证编号: "SC" followed by 14 digits (《食品生产许可管理办法》).
_FOOD_PRODUCTION_LICENCE = re.compile(r"^SC\d{14}$")
_BANK_ACCOUNT_NUMBER = re.compile(r"^\d{8,30}$")


def normalise_food_production_licence(value: str) -> str:
    return re.sub(r"\s", "", str(value or "")).upper()


def validate_food_production_licence(value: str) -> None:
    if not _FOOD_PRODUCTION_LICENCE.match(normalise_food_production_licence(value)):
        raise ValidationError(
            _("食品生产许可证编号应为“SC”加 14 位数字，例如 SC10661102600012。"),
            code="food_licence",
        )


def normalise_bank_account_number(value: str) -> str:
    # Bank cards are printed in groups of four; people type the spaces too.
    return re.sub(r"[\s\-]", "", str(value or ""))


def validate_bank_account_number(value: str) -> None:
    if not _BANK_ACCOUNT_NUMBER.match(normalise_bank_account_number(value)):
        raise ValidationError(_("银行账号应为 8–30 位数字。"), code="bank_account")


# C0 controls and DEL: a line break in a name ends up in e-mail headers (an
# invitation's subject) and silently stops the mail.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_CHARACTERS_MESSAGE = _("名称中不能含有换行符或其他控制字符。")


def validate_single_line(value: str) -> None:
    if _CONTROL_CHARACTERS.search(str(value or "")):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")
