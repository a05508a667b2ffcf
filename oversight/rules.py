"""Who sees which region's figures: the one home of the oversight scoping rule.

Platform staff (``common.roles.is_platform_staff``) see the whole country. A
programme office member (``ProgrammeOffice``) sees the regions of their offices
and everything below them: a province office its cities and counties, a county
office that county only, a national office (no region) everything. Everybody
else sees nothing. Every oversight view and selector narrows its rows with
``RegionScope.q`` and checks a region asked for with ``region_is_visible``.

The region tree is at most three deep (province → city → county; a
municipality's districts hang directly under it), so "at or below" is three
equality tests on the row's region and its parents, with no recursion.
"""

from dataclasses import dataclass

from django.db.models import Q

from common.roles import is_platform_staff


@dataclass(frozen=True)
class RegionScope:
    """The regions a user oversees: everything (``national``), or the subtrees
    under ``root_ids``. An empty, non-national scope sees nothing."""

    national: bool
    root_ids: frozenset[int]

    @property
    def is_empty(self) -> bool:
        return not self.national and not self.root_ids

    def covers(self, region) -> bool:
        """Whether ``region`` (None: the whole country) lies at or below a root."""
        if self.national:
            return True
        if region is None:
            return False
        return any(node.pk in self.root_ids for node in region.ancestors_and_self())

    def q(self, path: str) -> Q:
        """Rows whose region at ``path`` (e.g. "region", "producer__county")
        lies in the scope."""
        if self.national:
            return Q()
        if not self.root_ids:
            return Q(pk__in=[])
        roots = sorted(self.root_ids)
        return (
            Q(**{f"{path}__in": roots})
            | Q(**{f"{path}__parent__in": roots})
            | Q(**{f"{path}__parent__parent__in": roots})
        )

    def regions_q(self) -> Q:
        """Rows of ``Region`` itself that lie in the scope."""
        if self.national:
            return Q()
        roots = sorted(self.root_ids)
        return Q(pk__in=roots) | Q(parent__in=roots) | Q(parent__parent__in=roots)


NOTHING = RegionScope(national=False, root_ids=frozenset())
EVERYTHING = RegionScope(national=True, root_ids=frozenset())


def regions_visible_to(user) -> RegionScope:
    """The scope of ``user``'s oversight: one query for an office member."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if is_platform_staff(user):
        return EVERYTHING
    from oversight.models import ProgrammeOffice

    region_ids = list(ProgrammeOffice.objects.filter(user=user).values_list("region_id", flat=True))
    if not region_ids:
        return NOTHING
    if None in region_ids:
        return EVERYTHING
    return RegionScope(national=False, root_ids=frozenset(region_ids))


def region_is_visible(user, region) -> bool:
    """Whether ``user`` may see the figures of ``region`` (None: national)."""
    return regions_visible_to(user).covers(region)


def may_use_oversight(user) -> bool:
    """Platform staff and every programme office member open the oversight pages."""
    return not regions_visible_to(user).is_empty


def bulletin_is_visible(user, bulletin) -> bool:
    """Who opens, downloads, edits and publishes a bulletin: whoever oversees
    its region (staff everywhere, an office its region and below)."""
    return region_is_visible(user, bulletin.region)


def bulletin_check_editable(bulletin) -> None:
    """A published bulletin is frozen (``BulletinFrozen``)."""
    from oversight.exceptions import BulletinFrozen

    if bulletin.is_published:
        raise BulletinFrozen()
