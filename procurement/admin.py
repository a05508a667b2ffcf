from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import document_link
from procurement.models import (
    AnnualPlan,
    BuyerOrganisation,
    Contract,
    ContractAmendment,
    ContractCancellation,
    Membership,
    OffPlatformPurchase,
    PlanRevision,
    ReserveRatioRule,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(BuyerOrganisation)
class BuyerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "uscc", "region", "parent", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "uscc"]
    list_select_related = ["region", "parent"]
    autocomplete_fields = ["region"]
    raw_id_fields = ["parent", "union_of", "applicant"]
    inlines = [MembershipInline]


@admin.register(ReserveRatioRule)
class ReserveRatioRuleAdmin(admin.ModelAdmin):
    list_display = ["year", "province", "minimum_ratio"]
    list_filter = ["year"]
    autocomplete_fields = ["province"]


class PlanRevisionInline(admin.TabularInline):
    model = PlanRevision
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in PlanRevision._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    # Plans change only through filing (which keeps each revision), never here.
    list_display = ["organisation", "year", "canteen_status", "canteen_budget", "reserve_ratio"]
    list_filter = ["year", "canteen_status"]
    search_fields = ["organisation__name"]
    inlines = [PlanRevisionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class ContractAmendmentInline(admin.TabularInline):
    # Amendments are asked for and decided on the contract page, never here.
    model = ContractAmendment
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in ContractAmendment._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


class ContractCancellationInline(admin.TabularInline):
    # Cancellations are proposed and answered on the contract page, never here.
    model = ContractCancellation
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in ContractCancellation._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["number", "organisation", "producer", "status", "goods_amount", "due_date"]
    list_filter = ["status"]
    search_fields = ["number", "organisation__name", "producer__partner__name"]
    list_select_related = ["organisation", "producer__partner"]
    inlines = [ContractAmendmentInline, ContractCancellationInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(OffPlatformPurchase)
class OffPlatformPurchaseAdmin(admin.ModelAdmin):
    list_display = ["organisation", "supplier_name", "amount", "purchased_on", "status"]
    list_filter = ["status", "channel"]
    list_select_related = ["organisation"]
    exclude = ["evidence"]
    readonly_fields = ["evidence_link"]

    @admin.display(description=_("凭证扫描件"))
    def evidence_link(self, record):
        return document_link(record.evidence, "procurement:review-evidence", record.pk)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
