"""schema.org descriptions (JSON-LD) of a listing and of its producer, so a
search engine shows price, stock and origin, and knows who grows it."""

import json

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from common.sites import site_url

SCHEMA = "https://schema.org"
IN_STOCK = f"{SCHEMA}/InStock"
OUT_OF_STOCK = f"{SCHEMA}/OutOfStock"

# The characters that could end a <script> element or open a comment, escaped
# inside JSON strings (as django.utils.html.json_script does).
_SCRIPT_SAFE = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """A ``<script type="application/ld+json">`` data block. Browsers never run
    it, so the Content-Security-Policy has nothing to allow."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def product_image_urls(product) -> list[str]:
    """The listing's photos (a variant's own, or its parent's), in display order."""
    return [image.original.url for image in product.get_all_images() if image.original]


def producer_data(producer) -> dict:
    data = {
        "@context": SCHEMA,
        "@type": "Organization",
        "name": producer.name,
        "url": site_url(reverse("producers:producer-detail", args=[producer.pk])),
    }
    if producer.introduction:
        data["description"] = producer.introduction
    if producer.county_id:
        county = producer.county
        data["address"] = {
            "@type": "PostalAddress",
            "addressCountry": "CN",
            "addressRegion": county.province.name,
            "addressLocality": county.name,
        }
    return data


def product_data(product, *, price=None, available: bool = False, image_urls=()) -> dict:
    """A Product with its offer in CNY (when the listing has a price), its
    origin county and its producer as manufacturer."""
    data = {
        "@context": SCHEMA,
        "@type": "Product",
        "name": product.get_title(),
        "url": site_url(product.get_absolute_url()),
        "countryOfOrigin": {"@type": "Country", "name": "CN"},
    }
    description = strip_tags(product.get_meta_description() or "").strip()
    if description:
        data["description"] = description
    if image_urls:
        data["image"] = [site_url(url) for url in image_urls]
    county = product.get_origin_county()
    if county is not None:
        data["additionalProperty"] = [
            {"@type": "PropertyValue", "name": "产地", "value": county.full_name}
        ]
    producer = product.get_producer()
    if producer is not None:
        organisation = {
            key: value for key, value in producer_data(producer).items() if key != "@context"
        }
        data["manufacturer"] = organisation
        data["brand"] = {"@type": "Brand", "name": producer.name}
    if price is not None:
        data["offers"] = {
            "@type": "Offer",
            "price": f"{price:.2f}",
            "priceCurrency": "CNY",
            "availability": IN_STOCK if available else OUT_OF_STOCK,
            "url": data["url"],
        }
        if producer is not None:
            data["offers"]["seller"] = {"@type": "Organization", "name": producer.name}
    return data
