"""The oversight pages: the overview of a region and period, the drill-down to
a county's producers, and staff's list of programme offices. Every page narrows
by ``oversight.rules.regions_visible_to``; a region outside it is a 404."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.db_routing import reporting_reads
from common.http import posted_pk
from common.roles import require_platform_staff
from oversight import services
from oversight.bulletins import (
    bulletin_channels_chart,
    bulletin_places_chart,
    bulletin_text,
    bulletin_trend_chart,
)
from oversight.charts import overview_charts
from oversight.downloads import bulletin_pdf, bulletin_xlsx
from oversight.exceptions import OpenDataCursorInvalid, OpenDataEmpty, OversightError
from oversight.forms import BulletinCommentaryForm, BulletinRequestForm, OfficeForm
from oversight.models import Bulletin, ProgrammeOffice
from oversight.open_data import (
    open_contracts_latest_change,
    open_contracts_page,
    package_json_chunks,
    release_package,
)
from oversight.periods import PeriodKind, period_default, period_parse
from oversight.rules import regions_visible_to
from oversight.selectors import (
    buyer_figures,
    buyers_counted_total,
    change_percent,
    compared,
    household_figures,
    money_to_places,
    money_to_producers,
    money_total,
    money_trend,
    pairings_in_scope,
    payment_figures,
    scope_for_region,
    units_in_scope,
)
from procurement.selectors import unit_progress
from regions.models import Region

BULLETINS_SHOWN = 200


def oversight_page(view):
    """Signed-in programme staff and office members; 403 for everyone else."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        scope = regions_visible_to(request.user)
        if scope.is_empty:
            raise PermissionDenied
        return view(request, scope, *args, **kwargs)

    return wrapped


def _period(request):
    """The period asked for, or this month with a message saying why not."""
    value = request.GET.get("period", "")
    if not value:
        return period_default()
    try:
        return period_parse(value)
    except OversightError as exc:
        messages.error(request, str(exc))
        return period_default()


def _region(request, scope):
    """The region asked for (None: the viewer's whole scope); 404 outside it."""
    value = request.GET.get("region", "")
    if not value:
        if scope.national or len(scope.root_ids) != 1:
            return None
        return Region.objects.select_related("parent__parent").get(pk=next(iter(scope.root_ids)))
    if not value.isascii() or not value.isdigit():
        raise Http404
    region = get_object_or_404(Region.objects.select_related("parent__parent"), pk=int(value))
    if not scope.covers(region):
        raise Http404
    return region


def _trail(scope, region):
    """The region's ancestors the viewer may open, for the breadcrumb."""
    if region is None:
        return []
    return [node for node in region.ancestors_and_self() if scope.covers(node)]


@oversight_page
def overview(request, scope):
    period = _period(request)
    region = _region(request, scope)
    narrowed = scope_for_region(scope, region)
    buyers = buyer_figures(scope=narrowed, period=period)
    counted = compared(buyers_counted_total, scope=narrowed, period=period, current=buyers.counted)
    places = money_to_places(scope=narrowed, period=period, region=region)
    money = compared(money_total, scope=narrowed, period=period, current=places.totals)
    households = compared(household_figures, scope=narrowed, period=period)
    payments = payment_figures(scope=narrowed, period=period)
    trend = money_trend(scope=narrowed, period=period)
    pairings = pairings_in_scope(scope=narrowed, period=period)
    roots = (
        list(Region.objects.filter(pk__in=scope.root_ids).order_by("code"))
        if not scope.national
        else list(Region.objects.provinces().order_by("code"))
    )
    return render(
        request,
        "oversight/overview.html",
        {
            "period": period,
            "period_kinds": PeriodKind.CHOICES,
            "region": region,
            "trail": _trail(scope, region),
            "national": scope.national,
            "roots": roots,
            "buyers": buyers,
            "counted": counted,
            "counted_change": (
                change_percent(counted.current, counted.previous),
                change_percent(counted.current, counted.last_year),
            ),
            "money": money,
            "money_change": (
                change_percent(money.current.total, money.previous.total),
                change_percent(money.current.total, money.last_year.total),
            ),
            "places": places,
            "households": households,
            "payments": payments,
            "trend": trend,
            "pairings": pairings,
            "charts": overview_charts(
                period=period,
                region=region,
                national=scope.national,
                trend=trend,
                buyers=buyers,
                places=places,
            ),
        },
    )


@oversight_page
def county_producers(request, scope, county_pk: int):
    county = get_object_or_404(
        Region.objects.counties().select_related("parent__parent"), pk=county_pk
    )
    if not scope.covers(county):
        raise Http404
    period = _period(request)
    return render(
        request,
        "oversight/county_producers.html",
        {
            "county": county,
            "period": period,
            "trail": _trail(scope, county),
            "rows": money_to_producers(county=county, period=period),
        },
    )


def staff_page(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_platform_staff(request.user)
        return view(request, *args, **kwargs)

    return wrapped


@staff_page
def offices(request):
    form = OfficeForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("remove"):
            office = get_object_or_404(ProgrammeOffice, pk=posted_pk(request, "remove"))
            services.programme_office_remove(office=office)
            messages.success(request, _("已移出工作专班。"))
            return redirect("oversight:offices")
        if form.is_valid():
            try:
                services.programme_office_appoint(
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    region=form.cleaned_data["region_code"],
                )
            except OversightError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已加入工作专班。"))
                return redirect("oversight:offices")
    return render(
        request,
        "oversight/offices.html",
        {
            "form": form,
            "offices": ProgrammeOffice.objects.select_related(
                "user", "region__parent__parent", "appointed_by"
            ),
        },
    )


# --- bulletins --------------------------------------------------------------------


def _bulletin(scope, pk: int) -> Bulletin:
    """The bulletin if the viewer oversees its region (``bulletin_is_visible``'s
    rule, as a filter); 404 otherwise."""
    return get_object_or_404(
        Bulletin.objects.filter(scope.q("region")).select_related(
            "region", "published_by", "supersedes"
        ),
        pk=pk,
    )


@oversight_page
def bulletins(request, scope):
    form = BulletinRequestForm(
        request.POST or None, scope=scope, initial={"period": period_default().slug}
    )
    if request.method == "POST" and form.is_valid():
        bulletin = services.bulletin_request(
            actor=request.user,
            region=form.cleaned_data["region_code"],
            period=form.cleaned_data["period"],
        )
        messages.success(request, _("通报已提交生成，完成后即可查看和编辑。"))
        return redirect("oversight:bulletin", bulletin.pk)
    return render(
        request,
        "oversight/bulletins.html",
        {
            "form": form,
            "bulletins": Bulletin.objects.filter(scope.q("region")).select_related(
                "region", "published_by"
            )[:BULLETINS_SHOWN],
        },
    )


@oversight_page
def bulletin(request, scope, pk: int):
    bulletin = _bulletin(scope, pk)
    form = BulletinCommentaryForm(request.POST or None, initial={"commentary": bulletin.commentary})
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["commentary"].strip() != bulletin.commentary:
                services.bulletin_commentary_save(
                    bulletin=bulletin, commentary=form.cleaned_data["commentary"]
                )
                messages.success(request, _("评述已保存。"))
            if "publish" in request.POST:
                services.bulletin_publish(bulletin=bulletin, actor=request.user)
                messages.success(request, _("通报已发布，此后内容不再变化。"))
        except OversightError as exc:
            messages.error(request, str(exc))
        return redirect("oversight:bulletin", bulletin.pk)
    return render(
        request,
        "oversight/bulletin.html",
        {
            "bulletin": bulletin,
            "figures": bulletin.figures,
            "form": form,
            "chart": bulletin_places_chart(bulletin.figures) if bulletin.is_ready else None,
            "text": bulletin_text(bulletin) if bulletin.is_ready else None,
            "channels_chart": (
                bulletin_channels_chart(bulletin.figures) if bulletin.is_ready else None
            ),
            "trend_chart": bulletin_trend_chart(bulletin.figures) if bulletin.is_ready else None,
        },
    )


@oversight_page
def bulletin_status(request, scope, pk: int):
    """What the bulletin page polls while the figures are being generated."""
    bulletin = _bulletin(scope, pk)
    return JsonResponse(
        {
            "generation": bulletin.generation,
            "generation_label": str(bulletin.get_generation_display()),
            "status": bulletin.status,
            "ready": bulletin.is_ready,
        }
    )


@oversight_page
def bulletin_download(request, scope, pk: int, fmt: str):
    """The bulletin as XLSX or PDF, from its frozen figures."""
    bulletin = _bulletin(scope, pk)
    if not bulletin.is_ready or fmt not in ("xlsx", "pdf"):
        raise Http404
    with reporting_reads():
        exported = bulletin_xlsx(bulletin) if fmt == "xlsx" else bulletin_pdf(bulletin)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


# --- open data ----------------------------------------------------------------------


@oversight_page
def open_contracts(request, scope):
    """The region's accepted contracts of the period as an OCDS 1.1 release
    package (``oversight.open_data``), a page of ``PAGE_SIZE`` contracts at a
    time: the package and the Link header point to the next page. For the
    offices and staff only, like every oversight page: a unit's purchases are
    published by the programme office, not by the platform on its own."""
    try:
        period = period_parse(request.GET.get("period") or period_default().slug)
        after = request.GET.get("after", "0")
        if not (after.isascii() and after.isdigit()):
            raise OpenDataCursorInvalid()
    except OversightError as exc:
        return JsonResponse({"code": exc.code, "message": str(exc)}, status=400)
    region = _region(request, scope)
    narrowed = scope_for_region(scope, region)
    page = open_contracts_page(scope=narrowed, period=period, after=int(after))
    if not page.contracts:
        empty = OpenDataEmpty()
        return JsonResponse({"code": empty.code, "message": str(empty)}, status=404)
    query = {"period": period.slug}
    if region is not None:
        query["region"] = region.pk
    base = request.build_absolute_uri(reverse("oversight:open-contracts"))
    next_uri = (
        f"{base}?{urlencode({**query, 'after': page.next_after})}" if page.next_after else None
    )
    package = release_package(
        page=page,
        uri=request.build_absolute_uri(),
        published=open_contracts_latest_change(scope=narrowed, period=period),
        publisher_uri=request.build_absolute_uri("/"),
        next_uri=next_uri,
    )
    response = StreamingHttpResponse(
        package_json_chunks(package), content_type="application/json; charset=utf-8"
    )
    code = region.code if region is not None else "000000"
    suffix = f"-after-{after}" if after != "0" else ""
    response["Content-Disposition"] = (
        f'attachment; filename="ocds-contracts-{code}-{period.slug}{suffix}.json"'
    )
    if next_uri:
        response["Link"] = f'<{next_uri}>; rel="next"'
    return response


# --- a unit -------------------------------------------------------------------------


@oversight_page
def unit(request, scope, unit_pk: int):
    """The drill-down to one unit of the region: its year's progress (the
    unit's own dashboard is for its members; an office reads it here)."""
    organisation = get_object_or_404(
        units_in_scope(scope=scope).select_related("region__parent__parent"), pk=unit_pk
    )
    period = _period(request)
    return render(
        request,
        "oversight/unit.html",
        {
            "unit": organisation,
            "period": period,
            "trail": _trail(scope, organisation.region),
            "progress": unit_progress(unit=organisation, year=period.last_day.year),
        },
    )
