import pytest
from django.core.exceptions import ValidationError

from common.validators import (
    normalise_mainland_mobile,
    uscc_check_character,
    validate_mainland_mobile,
    validate_uscc,
)

# Published example codes whose check characters are known.
KNOWN_VALID_USCC = ["91350100M000100Y43", "91110000600037341L", "91440300192185379H"]


@pytest.mark.parametrize("code", KNOWN_VALID_USCC)
def test_known_uscc_codes_pass_the_gb32100_check(code):
    validate_uscc(code)
    assert uscc_check_character(code[:17]) == code[17]


def test_lowercase_uscc_is_accepted_after_normalisation():
    validate_uscc("91350100m000100y43")


@pytest.mark.parametrize(
    "code, error_code",
    [
        ("91350100M000100Y44", "uscc_check"),
        ("91350100M000100Y4", "uscc_length"),
        ("", "uscc_length"),
        ("91350100M00010OY43", "uscc_characters"),  # letter O is not allowed
        ("913501X0M000100Y43", "uscc_characters"),  # region part must be digits
    ],
)
def test_bad_uscc_is_rejected_with_a_specific_message(code, error_code):
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert excinfo.value.code == error_code


@pytest.mark.parametrize("number", ["13800138000", "+86 139-1234-5678", "008619912345678"])
def test_mainland_mobile_numbers_are_accepted(number):
    validate_mainland_mobile(number)


@pytest.mark.parametrize(
    "number", ["12800138000", "1380013800", "010-12345678", "+85291234567", "abc"]
)
def test_non_mainland_mobile_numbers_are_rejected(number):
    with pytest.raises(ValidationError):
        validate_mainland_mobile(number)


def test_mobile_normalisation_strips_country_code_and_separators():
    assert normalise_mainland_mobile("+86 139-1234-5678") == "13912345678"
