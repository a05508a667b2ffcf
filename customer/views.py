from django.shortcuts import get_object_or_404, redirect
from oscar.apps.customer import views
from oscar.core.loading import get_model

Order = get_model("order", "Order")


class OrderLineView(views.OrderLineView):
    """Oscar's "buy this line again": a POST target only. Oscar answers anything
    else (a GET, an unknown action) with a template it does not ship, and a
    missing line with an uncaught DoesNotExist; both were 500s."""

    def get_object(self, queryset=None):
        order = get_object_or_404(
            Order, user=self.request.user, number=self.kwargs["order_number"]
        )
        return get_object_or_404(order.lines, id=self.kwargs["line_id"])

    def get(self, request, *args, **kwargs):
        self.get_object()
        return redirect("customer:order", self.kwargs["order_number"])
