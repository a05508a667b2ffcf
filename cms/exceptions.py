from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError


class CmsError(DomainError):
    """Base class for content errors."""

    code = "cms_error"


class CmsRuleBroken(CmsError):
    """A page breaks a rule of the page tree or of its content."""

    code = "cms_rule_broken"
    message = _("页面内容不符合规则。")


class StoryPicksOtherProducer(CmsRuleBroken):
    """A story's product picks may only name its own producer's products."""

    code = "story_pick_not_own_product"
    message = _("故事中只能推荐本生产主体的商品：%(titles)s 不是本生产主体的商品。")


class RegionIndexRootHasRegion(CmsRuleBroken):
    """The 县域馆 root page lists provinces; it has no region of its own."""

    code = "region_index_root_has_region"
    message = _("县域馆总页不选择省份。")


class RegionIndexNeedsProvince(CmsRuleBroken):
    """A page under the 县域馆 root is one province's page."""

    code = "region_index_needs_province"
    message = _("请选择本页对应的省份。")


class CountyPageOutsideProvince(CmsRuleBroken):
    """A county page sits under the page of the province the county belongs to."""

    code = "county_page_outside_province"
    message = _("%(county)s 不属于 %(province)s，请在所属省份下创建县域馆。")


class PageExistsInLanguage(CmsRuleBroken):
    """A producer has one story, a county or province one page, per language;
    the other languages' pages are its translations."""

    code = "page_exists_in_language"
    message = _("该语言下已有这个生产主体的故事或这个地区的页面，请翻译原页面。")
