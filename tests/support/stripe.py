"""Talking to localstripe as Stripe.js and as Stripe would: card tokens made
from card numbers, 3-D Secure answers, and webhook payloads signed with
Stripe's scheme (``t=<timestamp>,v1=<HMAC-SHA256 of "t.payload">``)."""

import hashlib
import hmac
import json
import os
import time
import uuid

import pytest
import requests
from django.conf import settings


def localstripe_unavailable(message):
    """Under CI a missing Stripe stand-in fails the test, never passes silently."""
    if os.environ.get("CI") or os.environ.get("STRIPE_TEST_REQUIRED"):
        pytest.fail(message, pytrace=False)
    pytest.skip("!!! STRIPE TESTS SKIPPED !!! " + message)


# localstripe's test cards (and Stripe's).
CARD_OK = "4242424242424242"
CARD_DECLINED = "4000000000000341"  # accepted, then declined when charged
CARD_3DS = "4000002760003184"  # asks for 3-D Secure


def card_token(number: str) -> str:
    """What Stripe.js's createToken does in the browser."""
    response = requests.post(
        f"{settings.STRIPE_API_BASE}/v1/tokens",
        data={
            "card[number]": number,
            "card[exp_month]": "12",
            "card[exp_year]": "2034",
            "card[cvc]": "123",
            "key": settings.STRIPE_PUBLISHABLE_KEY,
        },
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["id"]


def authenticate(*, intent_id: str, client_secret: str, success: bool) -> dict:
    """The buyer passes (or fails) 3-D Secure, as localstripe's Stripe.js does."""
    response = requests.post(
        f"{settings.STRIPE_API_BASE}/v1/payment_intents/{intent_id}/_authenticate"
        f"?success={'true' if success else 'false'}",
        json={"key": settings.STRIPE_PUBLISHABLE_KEY, "client_secret": client_secret},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def intent(intent_id: str) -> dict:
    response = requests.get(
        f"{settings.STRIPE_API_BASE}/v1/payment_intents/{intent_id}",
        auth=(settings.STRIPE_SECRET_KEY, ""),
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def charge(intent_id: str, number: str = CARD_OK) -> dict:
    """Confirm the intent with a card straight at Stripe, as the page and
    our server would together; our database hears nothing of it."""
    auth = (settings.STRIPE_SECRET_KEY, "")
    base = f"{settings.STRIPE_API_BASE}/v1"
    token = requests.get(f"{base}/tokens/{card_token(number)}", auth=auth, timeout=10).json()
    requests.post(
        f"{base}/payment_intents/{intent_id}",
        data={"payment_method": token["card"]["id"]},
        auth=auth,
        timeout=10,
    ).raise_for_status()
    requests.post(f"{base}/payment_intents/{intent_id}/confirm", auth=auth, timeout=10)
    return intent(intent_id)


def refunds_of(intent_id: str) -> list[dict]:
    response = requests.get(
        f"{settings.STRIPE_API_BASE}/v1/refunds",
        params={"payment_intent": intent_id},
        auth=(settings.STRIPE_SECRET_KEY, ""),
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["data"]


def event(event_type: str, obj: dict, *, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "data": {"object": obj},
    }


def signed(payload: dict, *, secret: str | None = None, timestamp: int | None = None):
    """The body and Stripe-Signature header Stripe would send."""
    body = json.dumps(payload).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(
        (secret or settings.STRIPE_WEBHOOK_SECRET).encode(),
        f"{timestamp}.".encode() + body,
        hashlib.sha256,
    ).hexdigest()
    return body, f"t={timestamp},v1={mac}"


def post_webhook(client, payload: dict, **kwargs):
    from django.urls import reverse

    body, header = signed(payload, **kwargs)
    return client.post(
        reverse("payments:stripe-webhook"),
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
