"""Staff editing a listing in Oscar's dashboard: the same listing rules as the
workspace and the import, and a review decision for a change to what it claims."""

from decimal import Decimal
from unittest import mock

import pytest
from django import forms
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.models import ProductReviewDecision, ReviewStatus
from catalogue.services import product_staff_edit_record
from tests.factories import (
    StaffUserFactory,
    bomb_png_bytes,
    png_bytes,
    producer_with_user,
    product_with_stock,
    upload,
)

StockRecord = get_model("partner", "StockRecord")
Action = ProductReviewDecision.Action

pytestmark = pytest.mark.django_db


def _post_value(bound_field):
    value = bound_field.value()
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [getattr(v, "pk", v) for v in value]
    return getattr(value, "pk", value)


def dashboard_post_data(context, **overrides) -> dict:
    """The product edit page's forms as the browser would post them unchanged."""
    all_forms = [context["form"]]
    data = {}
    for name in ("category_formset", "image_formset", "recommended_formset",
                 "stockrecord_formset"):  # fmt: skip
        formset = context[name]
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        all_forms.extend(formset.forms)
    for form in all_forms:
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                continue
            value = _post_value(form[name])
            if value is not None:
                data[form.add_prefix(name)] = value
                if field.show_hidden_initial:
                    data[form.add_initial_prefix(name)] = value
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def form_errors(response) -> dict:
    """Every error of a re-displayed product edit page, for assertion messages."""
    if response.context is None:
        return {}
    names = ("form", "category_formset", "image_formset", "recommended_formset",
             "stockrecord_formset")  # fmt: skip
    return {name: getattr(response.context[name], "errors", None) for name in names} | {
        f"{name}-non-form": response.context[name].non_form_errors() for name in names[1:]
    }


def edit_in_dashboard(client, product, **overrides):
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    page = client.get(url)
    return client.post(url, dashboard_post_data(page.context, **overrides))


def test_staff_edit_of_a_live_title_in_the_dashboard_leaves_a_decision(client):
    staff = StaffUserFactory()
    product = product_with_stock()
    client.force_login(staff)

    response = edit_in_dashboard(client, product, title="柞水黑木耳 平台改名")

    assert response.status_code == 302, form_errors(response)
    product.refresh_from_db()
    assert product.title == "柞水黑木耳 平台改名"
    assert product.review_status == ReviewStatus.APPROVED
    decision = product.review_decisions.get()
    assert (decision.action, decision.actor, decision.fields) == (
        Action.STAFF_EDIT,
        staff,
        ["title"],
    )


def test_a_dashboard_edit_of_price_only_leaves_no_decision(client):
    product = product_with_stock()
    client.force_login(StaffUserFactory())

    response = edit_in_dashboard(client, product, **{"stockrecords-0-price": "45.00"})

    assert response.status_code == 302, form_errors(response)
    assert StockRecord.objects.get(product=product).price == Decimal("45.00")
    assert not product.review_decisions.exists()


def test_the_dashboard_refuses_a_too_long_description_and_stock_above_the_ceiling(client):
    product = product_with_stock()
    client.force_login(StaffUserFactory())

    response = edit_in_dashboard(
        client,
        product,
        description="<p>" + "木" * 5001 + "</p>",
        **{"stockrecords-0-num_in_stock": "10000001"},
    )

    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert "num_in_stock" in response.context["stockrecord_formset"].forms[0].errors
    product.refresh_from_db()
    assert "木" * 100 not in product.description
    assert not product.review_decisions.exists()


def test_the_review_page_names_the_fields_staff_changed_and_the_description_limit(client):
    staff = StaffUserFactory()
    product = product_with_stock()
    client.force_login(staff)
    edit_in_dashboard(client, product, title="柞水黑木耳 平台改名")

    page = client.get(reverse("catalogue:review-detail", args=[product.pk])).content.decode()

    assert "平台修改 · 商品名称" in page
    assert "/ 5000 字" in page


def test_a_claim_change_by_anyone_but_staff_sends_a_live_listing_back_to_review():
    producer, user = producer_with_user()
    product = product_with_stock(producer=producer)

    decision = product_staff_edit_record(
        product=product, actor=user, changed=["description", "attr_spec", "is_public"]
    )

    product.refresh_from_db()
    assert product.review_status == ReviewStatus.PENDING
    assert (decision.action, decision.fields) == (Action.SUBMIT, ["description", "attributes"])


def test_markup_the_dashboard_editor_rewrote_is_no_change_of_description(client):
    product = product_with_stock()
    client.force_login(StaffUserFactory())
    same_text = "<p><span>产自秦岭南麓，椴木栽培，自然晾晒。请置于阴凉干燥处保存。</span></p>"

    response = edit_in_dashboard(client, product, description=same_text)

    assert response.status_code == 302, form_errors(response)
    assert not product.review_decisions.exists()


def test_the_dashboard_refuses_a_photo_of_too_many_pixels(client):
    product = product_with_stock()
    client.force_login(StaffUserFactory())

    response = edit_in_dashboard(
        client, product, **{"images-0-original": upload("big.png", bomb_png_bytes(7000, 5672))}
    )

    assert response.status_code == 200
    [error] = response.context["image_formset"].forms[0].errors.as_data()["original"]
    assert error.code == "too_many_pixels"
    assert not product.images.exists()


def test_a_photo_stored_in_the_dashboard_gets_its_thumbnails_on_commit(
    client, django_capture_on_commit_callbacks
):
    product = product_with_stock()
    client.force_login(StaffUserFactory())

    with mock.patch("catalogue.thumbnails.warm_product_image_thumbnails") as warm:
        with django_capture_on_commit_callbacks(execute=True):
            response = edit_in_dashboard(
                client, product, **{"images-0-original": upload("photo.png", png_bytes())}
            )

    assert response.status_code == 302, form_errors(response)
    image = product.images.get()
    assert "photo" not in image.original.name
    warm.assert_called_once_with(image)
