from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("单位采购")

    def ready(self):
        # Registers the order and contract workflows (templates and log labels look them up).
        from procurement import workflows  # noqa: F401

        # Imported here: the check reads the models' limits, loaded only by now.
        from procurement.checks import procurement_settings_check

        checks.register(procurement_settings_check)

        # cms shows this figure on county pages but may not import procurement.
        from common.figures import COUNTY_AGENCY_SALES, figure_register
        from procurement.selectors import county_agency_sales

        figure_register(COUNTY_AGENCY_SALES, county_agency_sales)
