"""The base of every domain error: a stable machine-readable ``code`` and a
message for people (Saleor's error-code enums, one class per code here).

Each app's ``exceptions.py`` subclasses ``DomainError`` and sets ``code`` and a
default ``message``; services raise them, views show ``str(error)``, tests
assert ``error.code``.

A code names the rule that refused, so each rule has its own class with its
sentence; there is no per-raise code, and a raise passes a sentence only when it
comes from elsewhere (a validator's own words). ``params`` fill the message's
``%(name)s`` placeholders when it is shown, in the language active then. Every
class sets ``code`` in its own body; a subclass restates its parent's code only
on purpose (the same rule said in another context). ``tests/unit/
test_error_codes.py`` holds every class to this and renders each message in
Chinese and English.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code: str = "domain_error"
    message = _("操作未能完成。")

    def __init__(self, message=None, *, params: dict | None = None):
        self.params = params or {}
        if message is None:
            message = self.message
        self._message = message
        super().__init__(message)

    def __str__(self) -> str:
        text = str(self._message)
        return text % self.params if self.params else text
