"""Validators for producer-onboarding identifiers, in the style of marketplace.validators."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
