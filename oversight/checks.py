"""Start-up checks of the open-data settings: an ocid prefix that no one
registered would publish identifiers that may clash with another publisher's."""

import re

from django.conf import settings
from django.core import checks

# "ocds-" and six random lowercase letters or digits, as the Open Contracting
# Partnership assigns them.
OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")
UNREGISTERED = "ocds-xxxxxx"


def open_data_settings_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    prefix = settings.OCDS_OCID_PREFIX
    if not isinstance(prefix, str) or not OCID_PREFIX.match(prefix):
        return [
            checks.Error(
                f"OCDS_OCID_PREFIX is {prefix!r}; an OCID prefix is 'ocds-' and six lowercase "
                "letters or digits.",
                hint="Ask the Open Contracting Partnership (data@open-contracting.org) for one.",
                id="oversight.E001",
            )
        ]
    return []


def open_data_deploy_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.OCDS_OCID_PREFIX != UNREGISTERED:
        return []
    return [
        checks.Warning(
            f"OCDS_OCID_PREFIX is the unregistered default {UNREGISTERED!r}: the open-data "
            "packages' ocids are not globally unique.",
            hint="Register a prefix with the Open Contracting Partnership "
            "(data@open-contracting.org) and set OCDS_OCID_PREFIX.",
            id="oversight.W001",
        )
    ]
