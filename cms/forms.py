"""Admin page forms: they know the parent a new page goes under, which the
page itself does not yet, and apply the tree rules of cms.rules."""

from wagtail.admin.forms import WagtailAdminPageForm

from cms.exceptions import CmsRuleBroken
from cms.rules import county_page_check, region_index_check


class _TreeRuleForm(WagtailAdminPageForm):
    def _parent(self):
        if self.instance.pk:
            return self.instance.get_parent()
        return self.parent_page

    def _check(self, rule, region):
        try:
            rule(region=region, parent=self._parent())
        except CmsRuleBroken as error:
            self.add_error("region", str(error))


class RegionIndexPageForm(_TreeRuleForm):
    def clean(self):
        cleaned_data = super().clean()
        self._check(region_index_check, cleaned_data.get("region"))
        return cleaned_data


class CountyPageForm(_TreeRuleForm):
    def clean(self):
        cleaned_data = super().clean()
        self._check(county_page_check, cleaned_data.get("region"))
        return cleaned_data
