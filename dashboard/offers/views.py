from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.apps.dashboard.offers import views


class OfferDetailView(views.OfferDetailView):
    """Oscar's offer page. Its POST knows two actions and returned None for
    anything else, a 500; now that goes back to the page with Oscar's message."""

    def post(self, request, *args, **kwargs):
        if "suspend" in request.POST or "unsuspend" in request.POST:
            return super().post(request, *args, **kwargs)
        messages.error(request, _("Invalid form submission"))
        return redirect("dashboard:offer-detail", pk=self.offer.pk)
