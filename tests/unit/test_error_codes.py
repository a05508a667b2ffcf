"""Every error code the project can hand out, checked once each: the code is a
stable snake_case name of one rule, and its message reads in both languages."""

import importlib
import importlib.util
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

from catalogue.importers import ROW_ERROR_MESSAGES
from common.exceptions import DomainError

APPS_WITH_ERRORS = {
    "catalogue",
    "partner",
    "payments",
    "procurement",
    "oversight",
    "producers",
    "regions",
    "search",
}
# Import checks whose rule is a listing service's (or the region tree's) too,
# so the row error carries the same code as the domain error.
ROW_CODES_SHARED_WITH_SERVICES = {
    "origin_not_licensed",
    "region_not_county",
    "stock_below_allocated",
}
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
PLACEHOLDER = re.compile(r"%\((\w+)\)")


def _import_every_exceptions_module() -> set[str]:
    base = Path(settings.BASE_DIR).resolve()
    found = set()
    for config in apps.get_app_configs():
        if not Path(config.path).resolve().is_relative_to(base):
            continue
        if "site-packages" in Path(config.path).parts:
            continue
        if importlib.util.find_spec(f"{config.name}.exceptions") is not None:
            importlib.import_module(f"{config.name}.exceptions")
            found.add(config.label)
    return found


def _subclasses(cls) -> list[type]:
    result = []
    for sub in cls.__subclasses__():
        result.append(sub)
        result.extend(_subclasses(sub))
    return result


FOUND_APPS = _import_every_exceptions_module()
DOMAIN_ERRORS = sorted(set(_subclasses(DomainError)), key=lambda c: (c.__module__, c.__name__))


def _rendered(message) -> tuple[str, str]:
    with translation.override("zh-hans"):
        chinese = str(message)
    with translation.override("en"):
        english = str(message)
    return chinese, english


def _assert_reads_in_both_languages(message) -> None:
    chinese, english = _rendered(message)
    assert chinese.strip() and english.strip()
    assert re.search(r"[\u4e00-\u9fff]", chinese), chinese
    assert english != chinese, f"no English translation for {chinese!r}"
    assert set(PLACEHOLDER.findall(english)) == set(PLACEHOLDER.findall(chinese))


def test_every_app_with_domain_errors_is_walked():
    assert APPS_WITH_ERRORS <= FOUND_APPS


@pytest.mark.parametrize("error", DOMAIN_ERRORS, ids=lambda c: c.__name__)
def test_domain_error_has_its_own_code_and_a_message_in_chinese_and_english(error):
    # Set in the class body: an inherited code would silently name another rule.
    assert "code" in vars(error), f"{error.__name__} does not set its own code"
    assert SNAKE_CASE.fullmatch(error.code)
    _assert_reads_in_both_languages(error.message)


def test_no_two_rules_share_a_code():
    by_code = defaultdict(list)
    for error in [DomainError, *DOMAIN_ERRORS]:
        by_code[error.code].append(error)
    for code, classes in by_code.items():
        # Sharing is only on purpose: the same rule said in a subclass's context.
        root = min(classes, key=lambda c: len(c.__mro__))
        assert all(issubclass(c, root) for c in classes), (code, classes)


@pytest.mark.parametrize("code", sorted(ROW_ERROR_MESSAGES))
def test_import_row_error_code_has_a_message_in_chinese_and_english(code):
    assert SNAKE_CASE.fullmatch(code)
    _assert_reads_in_both_languages(ROW_ERROR_MESSAGES[code])


def test_import_row_codes_share_a_code_with_a_domain_error_only_for_the_same_rule():
    domain_codes = {error.code for error in DOMAIN_ERRORS}
    assert set(ROW_ERROR_MESSAGES) & domain_codes == ROW_CODES_SHARED_WITH_SERVICES
