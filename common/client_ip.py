"""The client's IP address for login throttling, trusting ``X-Forwarded-For``
only as far as the deployment says (``DJANGO_TRUSTED_PROXY_COUNT``): behind N
proxies the client is the N-th address from the right; with none, a forged
header changes nothing."""

from django.conf import settings


def client_ip(request) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
