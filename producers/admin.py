from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.admin import document_link
from producers.models import (
    ApplicationDecision,
    BenefitLinkage,
    Certificate,
    CountyReviewer,
    Producer,
    ProducerApplication,
)
from producers.services import benefit_linkage_verify


@admin.register(Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "uscc", "county", "is_sample"]
    list_filter = ["kind", "is_sample"]
    search_fields = ["partner__name", "uscc"]
    list_select_related = ["partner", "county"]
    autocomplete_fields = ["county"]
    raw_id_fields = ["partner"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "producer", "issuer", "valid_from", "valid_until"]
    list_filter = ["kind"]
    search_fields = ["number", "producer__partner__name"]
    list_select_related = ["producer__partner"]
    raw_id_fields = ["producer"]
    filter_horizontal = ["products"]
    exclude = ["scan"]
    readonly_fields = ["scan_link"]

    @admin.display(description=gettext_lazy("证书扫描件"))
    def scan_link(self, certificate):
        return document_link(certificate.scan, "producers:certificate-scan", certificate.pk)


@admin.register(CountyReviewer)
class CountyReviewerAdmin(admin.ModelAdmin):
    list_display = ["user", "county", "created_at"]
    search_fields = ["user__email", "county__name", "county__code"]
    list_select_related = ["user", "county"]
    autocomplete_fields = ["county"]
    raw_id_fields = ["user"]


class ApplicationDecisionInline(admin.TabularInline):
    model = ApplicationDecision
    extra = 0
    fields = ["created_at", "actor", "action", "from_status", "to_status", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProducerApplication)
class ProducerApplicationAdmin(admin.ModelAdmin):
    """Read-only: decisions go through the review pages so that every one is logged."""

    list_display = ["name", "uscc", "county", "status", "applicant", "created_at"]
    list_filter = ["status", "kind", "sells_food"]
    search_fields = ["name", "uscc", "applicant__email"]
    list_select_related = ["county", "applicant"]
    inlines = [ApplicationDecisionInline]
    exclude = ["business_licence", "food_licence_file"]
    readonly_fields = ["business_licence_link", "food_licence_file_link"]

    @admin.display(description=gettext_lazy("营业执照"))
    def business_licence_link(self, application):
        return document_link(
            application.business_licence,
            "producers:application-document",
            application.pk,
            "business_licence",
        )

    @admin.display(description=gettext_lazy("食品生产许可证"))
    def food_licence_file_link(self, application):
        return document_link(
            application.food_licence_file,
            "producers:application-document",
            application.pk,
            "food_licence_file",
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BenefitLinkage)
class BenefitLinkageAdmin(admin.ModelAdmin):
    """Staff only verify here; producers record figures on their own page, so
    every change goes through the service that resets verification."""

    list_display = [
        "producer",
        "year",
        "total_households",
        "employment_households",
        "asset_income_households",
        "purchase_households",
        "status",
        "verified_by",
        "verified_at",
    ]
    list_filter = ["status", "year"]
    search_fields = ["producer__partner__name", "producer__uscc"]
    list_select_related = ["producer__partner", "verified_by"]
    actions = ["verify_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("核实所选数据"))
    def verify_selected(self, request, queryset):
        linkages = list(queryset.order_by("pk"))
        for linkage in linkages:
            benefit_linkage_verify(linkage=linkage, actor=request.user)
        self.message_user(
            request,
            _("已核实 %(count)s 条联农带农数据。") % {"count": len(linkages)},
            messages.SUCCESS,
        )
