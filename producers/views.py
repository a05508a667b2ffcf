from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue.selectors import products_for_listing
from common.roles import require_platform_staff
from common.uploads import document_response
from producers import services
from producers.exceptions import ProducerError
from producers.forms import (
    ProducerApplicationForm,
    ReviewDecisionForm,
)
from producers.models import (
    ApplicationDecision,
    ApplicationStatus,
    Certificate,
    InvoiceRequest,
    Producer,
)
from producers.rules import invoice_pdf_readable_by
from producers.selectors import (
    applications_for_county_reviewer,
    applications_for_platform_review,
    applications_of_applicant,
    benefit_linkage_latest,
    certificates_valid_on,
    producer_for_page,
    reviewer_county_ids,
)
from producers.workflows import APPLICATION_WORKFLOW

Product = get_model("catalogue", "Product")

Action = ApplicationDecision.Action

COUNTY_ACTIONS = [
    (Action.RECOMMEND, gettext_lazy("推荐")),
    (Action.RETURN, gettext_lazy("退回修改")),
    (Action.REJECT, gettext_lazy("不予通过")),
]
PLATFORM_ACTIONS = [
    (Action.APPROVE, gettext_lazy("审核通过")),
    (Action.RETURN, gettext_lazy("退回修改")),
    (Action.REJECT, gettext_lazy("不予通过")),
]


@login_required
def application_create(request):
    form = ProducerApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.producer_application_submit(
                applicant=request.user, details=form.details(), **form.documents()
            )
        except ProducerError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("入驻申请已提交，请等待所在县审核推荐。"))
            return redirect("producers:my-applications")
    return render(request, "producers/application_form.html", {"form": form})


@login_required
def my_applications(request):
    return render(
        request,
        "producers/my_applications.html",
        {"applications": applications_of_applicant(user=request.user)},
    )


@login_required
def application_edit(request, pk: int):
    application = get_object_or_404(applications_of_applicant(user=request.user), pk=pk)
    if not application.is_correctable:
        messages.error(request, _("只有被退回或未通过的申请可以修改后重新提交。"))
        return redirect("producers:my-applications")
    form = ProducerApplicationForm(
        request.POST or None, request.FILES or None, application=application
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.producer_application_resubmit(
                application=application,
                actor=request.user,
                details=form.details(),
                **form.documents(),
            )
        except ProducerError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("申请已修改并重新提交。"))
            return redirect("producers:my-applications")
    return render(
        request, "producers/application_form.html", {"form": form, "application": application}
    )


def _visible_application(user, pk):
    """The application if the user applied for it or may review it; 404 otherwise."""
    if user.is_staff:
        return get_object_or_404(applications_for_platform_review(), pk=pk)
    for queryset in (
        applications_of_applicant(user=user),
        applications_for_county_reviewer(user=user),
    ):
        application = queryset.filter(pk=pk).first()
        if application is not None:
            return application
    raise Http404


@login_required
def application_document(request, pk: int, document: str):
    # Licences carry personal data: they are served only to the applicant and
    # reviewers, never as public media URLs.
    if document not in ("business_licence", "food_licence_file"):
        raise Http404
    return document_response(
        request, getattr(_visible_application(request.user, pk), document), name=document
    )


def _decide(request, application, action, reason):
    handlers = {
        Action.RECOMMEND: lambda: services.producer_application_recommend(
            application=application, actor=request.user
        ),
        Action.APPROVE: lambda: services.producer_application_approve(
            application=application, actor=request.user
        ),
        Action.RETURN: lambda: services.producer_application_return(
            application=application, actor=request.user, reason=reason
        ),
        Action.REJECT: lambda: services.producer_application_reject(
            application=application, actor=request.user, reason=reason
        ),
    }
    try:
        handlers[action]()
    except ProducerError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, _("已办理：%(action)s。") % {"action": Action(action).label})
    return True


def _review_detail(request, application, *, actions, template_ctx):
    form = ReviewDecisionForm(request.POST or None, actions=actions)
    # This page's buttons, of those the workflow lets this user take now.
    available = APPLICATION_WORKFLOW.available_transitions(application, request.user)
    buttons = [(value, label) for value, label in actions if value in available]
    if request.method == "POST":
        if form.is_valid():
            _decide(request, application, form.cleaned_data["action"], form.cleaned_data["reason"])
        else:
            messages.error(request, _("请选择要办理的操作。"))
        return redirect(request.path)
    return render(
        request,
        "producers/review_detail.html",
        {
            "application": application,
            "decisions": application.decisions.select_related("actor"),
            "actions": buttons,
            "can_decide": bool(buttons),
            "form": form,
            **template_ctx,
        },
    )


def _require_county_reviewer(user):
    if not reviewer_county_ids(user=user):
        raise PermissionDenied


@login_required
def county_queue(request):
    _require_county_reviewer(request.user)
    return render(
        request,
        "producers/review_queue.html",
        {
            "applications": applications_for_county_reviewer(user=request.user),
            "pending_status": ApplicationStatus.SUBMITTED,
            "title": _("县级推荐"),
            "detail_url_name": "producers:county-review",
        },
    )


@login_required
def county_review(request, pk: int):
    _require_county_reviewer(request.user)
    application = get_object_or_404(applications_for_county_reviewer(user=request.user), pk=pk)
    return _review_detail(
        request,
        application,
        actions=COUNTY_ACTIONS,
        template_ctx={"title": _("县级推荐"), "queue_url_name": "producers:county-queue"},
    )


@login_required
def platform_queue(request):
    require_platform_staff(request.user)
    return render(
        request,
        "producers/review_queue.html",
        {
            "applications": applications_for_platform_review(),
            "pending_status": ApplicationStatus.COUNTY_RECOMMENDED,
            "title": _("平台审核"),
            "detail_url_name": "producers:platform-review",
        },
    )


@login_required
def platform_review(request, pk: int):
    require_platform_staff(request.user)
    application = get_object_or_404(applications_for_platform_review(), pk=pk)
    return _review_detail(
        request,
        application,
        actions=PLATFORM_ACTIONS,
        template_ctx={"title": _("平台审核"), "queue_url_name": "producers:platform-queue"},
    )


PRODUCTS_PER_PAGE = 24


def producer_detail(request, pk: int):
    """The public producer page: who they are, their certificates, whom they support, what they sell."""
    try:
        producer = producer_for_page(pk=pk)
    except Producer.DoesNotExist:
        raise Http404 from None
    products = Paginator(
        products_for_listing().filter(producer=producer).order_by("-date_created", "-pk"),
        PRODUCTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "producers/producer_detail.html",
        {
            "producer": producer,
            "certificates": certificates_valid_on(producer=producer),
            "linkage": benefit_linkage_latest(producer=producer),
            "page_obj": products,
            "products": products.object_list,
        },
    )


@login_required
def certificate_scan(request, certificate_pk: int):
    """Staff read any certificate scan while reviewing listings."""
    require_platform_staff(request.user)
    certificate = get_object_or_404(Certificate, pk=certificate_pk)
    return document_response(request, certificate.scan, name=f"certificate-{certificate.pk}")


@login_required
def invoice_pdf(request, invoice_pk: int):
    """An issued invoice's PDF, to those ``producers.rules.invoice_pdf_readable_by``
    lets read it; a 404 for everyone else, as for an invoice that does not exist."""
    invoice = get_object_or_404(
        InvoiceRequest.objects.select_related("order", "producer"), pk=invoice_pk
    )
    if not invoice_pdf_readable_by(invoice=invoice, user=request.user):
        raise Http404
    return document_response(request, invoice.pdf, name=f"invoice-{invoice.invoice_number}")
