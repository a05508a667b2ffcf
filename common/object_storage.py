"""Public media and private documents in S3-compatible buckets (django-storages).

Settings choose these backends only when buckets are configured
(``marketplace.settings.base.object_storages``); otherwise files stay on the
local disk (``common.storage``). Imported only then, so boto3 costs nothing to
a process that keeps local files.

Public media (product photos, story images, their thumbnails and renditions):
readable by anyone at the bucket's (or S3_MEDIA_CUSTOM_DOMAIN's) plain URL, and
cacheable for a year as immutable, which holds because a stored name is never
overwritten: a second upload under a taken name gets a new one, and thumbnails
and renditions are named after their source file and options.

Private documents (licences, certificate scans, invoices, evidence): never
readable without a signature, and with no ``url()`` at all, like the local
private storage. The checked view (``common.uploads.document_response``), once
it has decided who may see a document, redirects to ``signed_url``: a link valid
for S3_SIGNED_URL_SECONDS (60 by default) that also fixes the answer's type and
file name.
"""

from botocore.config import Config
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage

# A year, the longest a cache keeps anything; immutable: a browser does not
# even revalidate on reload.
PUBLIC_MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"
# No shared cache keeps a copy of a private document fetched by a signed link.
PRIVATE_DOCUMENT_CACHE_CONTROL = "private, no-store"


# A store that does not answer fails a request (and /readyz) within seconds,
# not after botocore's default minute per attempt.
CLIENT_TIMEOUTS = Config(
    connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
)


class _BoundedS3Storage(S3Storage):
    def __init__(self, **settings):
        super().__init__(**settings)
        # After S3Storage built its Config from the options (addressing style,
        # signature version), before any client exists.
        self.client_config = self.client_config.merge(CLIENT_TIMEOUTS)


@deconstructible(path="common.object_storage.PublicMediaStorage")
class PublicMediaStorage(_BoundedS3Storage):
    default_acl = "public-read"
    querystring_auth = False
    file_overwrite = False
    object_parameters = {"CacheControl": PUBLIC_MEDIA_CACHE_CONTROL}


@deconstructible(path="common.object_storage.PrivateDocumentStorage")
class PrivateDocumentStorage(_BoundedS3Storage):
    # No ACL header: objects are private to the bucket owner unless a bucket
    # policy says otherwise (and the private bucket must have none granting
    # public reads); providers with ACLs disabled refuse most ACL headers.
    default_acl = None
    querystring_auth = True
    querystring_expire = 60
    file_overwrite = False
    custom_domain = None
    object_parameters = {"CacheControl": PRIVATE_DOCUMENT_CACHE_CONTROL}
    # common.uploads.document_response redirects to signed_url() for storages
    # that say so, and hands the file to django-sendfile otherwise.
    signs_urls = True

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("A private document has no URL; link to the view that checks access.")

    def signed_url(self, name: str, *, content_type: str, content_disposition: str) -> str:
        """A GET link to ``name`` valid for ``querystring_expire`` seconds, whose
        answer carries the given Content-Type and Content-Disposition whatever
        the object was stored with."""
        return super().url(
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": content_disposition,
                "ResponseCacheControl": PRIVATE_DOCUMENT_CACHE_CONTROL,
            },
            expire=self.querystring_expire,
        )
