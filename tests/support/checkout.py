"""Walking a shopper through Oscar's checkout in the test client."""

from django.urls import reverse

from tests.factories import county


def address_data(**overrides):
    zhashui = county("611026")
    data = {
        "last_name": "王小明",
        "phone_number": "13800138000",
        "province": zhashui.parent.parent.pk,
        "city": zhashui.parent.pk,
        "county": zhashui.pk,
        "line1": "乾佑街道 幸福小区 3 号楼 2 单元 501",
        "postcode": "711400",
        "notes": "",
    }
    data.update(overrides)
    return data


def add_to_basket(client, product, quantity=1):
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
    assert response.status_code == 302


def place_with(client, method, guest_email="guest@example.com"):
    """A guest's checkout of the basket, paying with ``method``."""
    client.post(reverse("checkout:index"), {"username": guest_email, "options": "anonymous"})
    response = client.post(reverse("checkout:shipping-address"), address_data())
    assert response.status_code == 302
    client.get(reverse("checkout:shipping-method"), follow=True)
    response = client.post(reverse("checkout:preview"), {"payment_method": method})
    assert response.status_code == 200
    return client.post(reverse("checkout:preview"), {"action": "place_order"})


def checkout_to_preview(client, *, guest_email=None, address=None):
    if guest_email:
        response = client.post(
            reverse("checkout:index"), {"username": guest_email, "options": "anonymous"}
        )
        assert response.status_code == 302
    response = client.post(reverse("checkout:shipping-address"), address or address_data())
    assert response.status_code == 302, response.context["form"].errors
    response = client.get(reverse("checkout:shipping-method"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:payment-details")
    assert "银行转账" in response.content.decode()
    response = client.get(reverse("checkout:preview"))
    assert response.status_code == 200


def checkout_to_order(client, **kwargs):
    checkout_to_preview(client, **kwargs)
    return client.post(reverse("checkout:preview"), {"action": "place_order"})
