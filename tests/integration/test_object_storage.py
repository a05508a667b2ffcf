"""Public media and private documents in S3-compatible buckets, against a real
server on loopback (moto's standalone server, scripts/s3-server.sh), through
the code paths the site uses: the producer's photo page, the procurement
service that records evidence, the checked document view and /readyz.

Public media is readable by anyone at a plain URL and cacheable for a year;
private documents are readable by no one from the bucket, and the checked
view redirects those it lets in to a link signed for S3_SIGNED_URL_SECONDS."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from common.checks import private_media_check
from common.object_storage import PRIVATE_DOCUMENT_CACHE_CONTROL, PUBLIC_MEDIA_CACHE_CONTROL
from procurement import services
from tests.factories import png_bytes, product_with_stock, upload
from tests.factories.procurement import Team, evidence_file
from tests.factories.producers import producer_with_user

pytestmark = pytest.mark.django_db

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def public_grants(client, bucket, key):
    acl = client.get_object_acl(Bucket=bucket, Key=key)
    return {g["Permission"] for g in acl["Grants"] if g["Grantee"].get("URI") == ALL_USERS}


def test_a_product_photo_is_public_in_the_media_bucket_cached_for_a_year(client, s3_storages):
    s3, media_bucket, private_bucket = s3_storages
    producer, user = producer_with_user()
    product = product_with_stock(producer=producer)
    client.force_login(user)
    photo = png_bytes()

    response = client.post(
        reverse("producers:workspace-product-photos", args=[producer.pk, product.pk]),
        {"image": upload("a.png", photo)},
    )

    assert response.status_code == 302
    image = product.images.get()
    head = s3.head_object(Bucket=media_bucket, Key=image.original.name)
    assert head["CacheControl"] == PUBLIC_MEDIA_CACHE_CONTROL
    assert head["ContentType"] == "image/png"
    assert public_grants(s3, media_bucket, image.original.name) == {"READ"}
    assert s3.list_objects_v2(Bucket=private_bucket)["KeyCount"] == 0
    # The plain URL the pages show works for anyone, with no signature.
    url = image.original.url
    assert url.startswith(f"{s3.meta.endpoint_url}/{media_bucket}/")
    assert "Signature" not in url
    anonymous = requests.get(url, timeout=10)
    assert anonymous.status_code == 200
    assert anonymous.content == photo
    assert anonymous.headers["Cache-Control"] == PUBLIC_MEDIA_CACHE_CONTROL


def test_thumbnails_go_to_the_media_bucket_too(s3_storages):
    from catalogue.thumbnails import warm_product_image_thumbnails
    from producers.services import listing_photo_add

    s3, media_bucket, _ = s3_storages
    producer, user = producer_with_user()
    product = product_with_stock(producer=producer)
    image = listing_photo_add(
        producer=producer, product_id=product.pk, actor=user, image=upload("a.png", png_bytes())
    )

    warm_product_image_thumbnails(image)

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=media_bucket)["Contents"]]
    thumbnails = [key for key in keys if key != image.original.name]
    assert thumbnails
    for key in thumbnails:
        assert s3.head_object(Bucket=media_bucket, Key=key)["CacheControl"] == (
            PUBLIC_MEDIA_CACHE_CONTROL
        )


def test_a_story_image_uploaded_in_wagtail_and_its_rendition_are_public_media(client, s3_storages):
    from wagtail.images import get_image_model

    from tests.factories import StaffUserFactory, jpeg_bytes

    s3, media_bucket, _ = s3_storages
    client.force_login(StaffUserFactory(is_superuser=True))

    response = client.post(
        reverse("wagtailimages:add"), {"title": "木耳", "file": upload("a.jpg", jpeg_bytes(80, 60))}
    )

    assert response.status_code == 302
    image = get_image_model().objects.get()
    rendition = image.get_rendition("fill-40x30")
    for name in (image.file.name, rendition.file.name):
        head = s3.head_object(Bucket=media_bucket, Key=name)
        assert head["CacheControl"] == PUBLIC_MEDIA_CACHE_CONTROL
        assert public_grants(s3, media_bucket, name) == {"READ"}
    assert requests.get(rendition.url, timeout=10).status_code == 200


def _evidence_record(team):
    return services.off_platform_purchase_record(
        organisation=team.organisation,
        actor=team.purchaser,
        channel="direct",
        supplier_name="柞水县木耳合作社",
        origin_county=product_with_stock().producer.county,
        amount=100,
        purchased_on=timezone.localdate(),
        category="木耳",
        evidence=evidence_file(),
    )


def test_a_private_document_is_unreadable_in_its_bucket_and_the_checked_view_signs_a_link(
    client, s3_storages
):
    s3, media_bucket, private_bucket = s3_storages
    team = Team()
    record = _evidence_record(team)
    key = record.evidence.name
    url = reverse("procurement:off-platform-evidence", args=[record.pk])

    # Stored in the private bucket only, granted to no one else, with no URL.
    stored = s3.get_object(Bucket=private_bucket, Key=key)["Body"].read()
    assert stored.startswith(b"%PDF-")
    assert s3.list_objects_v2(Bucket=media_bucket)["KeyCount"] == 0
    assert public_grants(s3, private_bucket, key) == set()
    with pytest.raises(ValueError):
        record.evidence.url  # noqa: B018 - the attribute access is what raises
    anonymous = requests.get(f"{s3.meta.endpoint_url}/{private_bucket}/{key}", timeout=10)
    assert anonymous.status_code == 403

    # Someone the view turns away learns nothing, signed link included.
    client.force_login(Team().admin)
    refused = client.get(url)
    assert refused.status_code == 404
    assert "Location" not in refused
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("customer:login"))

    client.force_login(team.purchaser)
    response = client.get(url)
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    signed = response["Location"]
    assert signed.startswith(f"{s3.meta.endpoint_url}/{private_bucket}/{key}?")
    followed = requests.get(signed, timeout=10)
    assert followed.status_code == 200
    assert followed.content == stored
    assert followed.headers["Content-Type"] == "application/pdf"
    assert followed.headers["Content-Disposition"] == (
        f'inline; filename="off-platform-{record.pk}.pdf"'
    )
    assert followed.headers["Cache-Control"] == PRIVATE_DOCUMENT_CACHE_CONTROL


def test_signed_links_last_the_configured_seconds_and_a_missing_file_is_404(
    client, s3_storages, settings
):
    s3, _, private_bucket = s3_storages
    team = Team()
    record = _evidence_record(team)
    client.force_login(team.purchaser)
    url = reverse("procurement:off-platform-evidence", args=[record.pk])

    query = parse_qs(urlsplit(client.get(url)["Location"]).query)

    # moto serves a signed link whatever its age, so the expiry S3 enforces is
    # checked where it is decided: in the signature, 60 seconds from signing.
    assert query["X-Amz-Expires"] == ["60"]
    assert query["X-Amz-Signature"][0]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    signed_at = timezone.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
    assert abs((timezone.now().replace(tzinfo=None) - signed_at).total_seconds()) < 600

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {**settings.STORAGES["private"]["OPTIONS"], "querystring_expire": 15},
        },
    }
    query = parse_qs(urlsplit(client.get(url)["Location"]).query)
    assert query["X-Amz-Expires"] == ["15"]

    s3.delete_object(Bucket=private_bucket, Key=record.evidence.name)
    assert client.get(url).status_code == 404


def test_an_attachment_of_no_type_keeps_its_download_disposition(client, s3_storages):
    from django.core.files.base import ContentFile

    from common.storage import private_storage
    from procurement.models import OffPlatformPurchase

    team = Team()
    record = _evidence_record(team)
    legacy = f"procurement/offplatformpurchase/legacy-{record.pk}/receipt.html"
    private_storage().save(legacy, ContentFile(b"<html><script>alert(1)</script></html>"))
    OffPlatformPurchase.objects.filter(pk=record.pk).update(evidence=legacy)
    client.force_login(team.purchaser)

    response = client.get(reverse("procurement:off-platform-evidence", args=[record.pk]))

    followed = requests.get(response["Location"], timeout=10)
    assert followed.headers["Content-Type"] == "application/octet-stream"
    assert followed.headers["Content-Disposition"] == (
        f'attachment; filename="off-platform-{record.pk}.html"'
    )


def test_readyz_writes_to_both_buckets_and_fails_when_one_is_gone(client, s3_storages, settings):
    s3, media_bucket, private_bucket = s3_storages

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["storage"]["status"] == "ok"
    # The probe cleans up after itself.
    for bucket in (media_bucket, private_bucket):
        assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {**settings.STORAGES["private"]["OPTIONS"], "bucket_name": "no-such-bucket"},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "failed"


def test_readyz_fails_when_the_object_store_does_not_answer(client, s3_storages, settings):
    dead = "http://127.0.0.1:9"  # discard port: nothing listens there
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "endpoint_url": dead},
        },
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    storage = response.json()["checks"]["storage"]
    assert storage["status"] == "failed"
    assert storage["error"] == "EndpointConnectionError"


def test_private_documents_may_not_share_the_public_media_bucket(settings, tmp_path):
    from marketplace.settings.base import object_storages

    settings.PRIVATE_MEDIA_ROOT = settings.SENDFILE_ROOT = str(tmp_path / "private")
    settings.STORAGES = {
        **settings.STORAGES,
        **object_storages(media_bucket="shared", private_bucket="shared"),
    }
    assert [error.id for error in private_media_check()] == ["common.E003"]
    settings.STORAGES = {
        **settings.STORAGES,
        **object_storages(media_bucket="media", private_bucket="private"),
    }
    assert private_media_check() == []
