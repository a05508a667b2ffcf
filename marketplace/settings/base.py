"""Settings shared by every environment.

Every integration sits behind an environment variable; ``production.py`` only
tightens what is here. The README lists every variable.
"""

from datetime import timedelta
from decimal import Decimal

from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from oscar.defaults import *  # noqa: F403

from common.uploads import MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS
from dashboard import menu_access
from marketplace.env import BASE_DIR, env
from oversight import menu_access as oversight_menu_access

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])


def sqlite_for_concurrent_writes(database: dict) -> dict:
    """SQLite (make run's embedded database) with WAL, so readers never wait for
    a writer, and transactions that take the write lock when they begin and
    wait up to 20 s for it: concurrent requests queue instead of failing with
    "database is locked". Production runs on PostgreSQL."""
    if database.get("ENGINE") != "django.db.backends.sqlite3":
        return database
    options = database.setdefault("OPTIONS", {})
    options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", 20)
    return database


# The planner's cost of reading a page out of order, for every PostgreSQL
# connection the application opens (a start-up option, no extra round trip).
# PostgreSQL's default, 4, prices a spinning disk; with the tables in memory
# or on SSD it makes a full scan look cheaper than the text index, and a broad
# text search then runs the match over every entry (陕西 at 100,000 products:
# 392 ms by sequential scan, 85 ms through the GIN index). 0 keeps the
# server's own setting.
DATABASE_RANDOM_PAGE_COST = env.float("DATABASE_RANDOM_PAGE_COST", default=1.1)


def postgresql_planner_costs(database: dict) -> dict:
    """``database`` with DATABASE_RANDOM_PAGE_COST set for its sessions when
    it is PostgreSQL, and JIT compilation off: it cost 80 ms on a facet query
    over 100,000 search entries that runs in 300, and no query of the
    application runs long enough to repay it."""
    if "postgresql" not in database.get("ENGINE", ""):
        return database
    settings = ["-c jit=off"]
    if DATABASE_RANDOM_PAGE_COST:
        settings.append(f"-c random_page_cost={DATABASE_RANDOM_PAGE_COST:g}")
    options = database.setdefault("OPTIONS", {})
    options["options"] = " ".join([options.get("options", ""), *settings]).strip()
    return database


DATABASES = {
    "default": postgresql_planner_costs(
        sqlite_for_concurrent_writes(
            env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
        )
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False


def replica_databases(databases: dict, replica_url: str, *, conn_max_age: int = 0) -> str:
    """Add the read replica (a streaming replica of the primary, for reports)
    as the ``replica`` alias when ``replica_url`` is set, and return the alias
    reports read from (common.db_routing): ``replica``, or ``default``."""
    if not replica_url:
        return "default"
    databases["replica"] = postgresql_planner_costs(
        {**env.db_url_config(replica_url), "CONN_MAX_AGE": conn_max_age}
    )
    return "replica"


# Reports (bulletin figures, XLSX/PDF downloads) read from DATABASE_REPLICA_URL
# inside common.db_routing.reporting_reads(); all else stays on the primary.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
REPORTING_DATABASE = replica_databases(DATABASES, DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["common.db_routing.ReportingReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SITE_ID = 1
# The public address and name of the site, for links in e-mails; written into
# the django.contrib.sites row after every migrate (common.sites.site_sync).
SITE_DOMAIN = env("SITE_DOMAIN", default="127.0.0.1:8000")
SITE_NAME = env("SITE_NAME", default="消费帮扶商城")
OSCAR_URL_SCHEMA = env("SITE_URL_SCHEME", default="http")

INSTALLED_APPS = [
    "marketplace.admin_site.SuperuserAdminConfig",  # django.contrib.admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "marketplace.config.MarketplaceShop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "customer.apps.CustomerConfig",
    "search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "wishlists.apps.WishlistsConfig",
    "dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "dashboard.orders.apps.OrdersDashboardConfig",
    "dashboard.catalogue.apps.CatalogueDashboardConfig",
    "dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    # Wagtail indexes images, documents and pages as they are saved (its own
    # database index, WAGTAILSEARCH_BACKENDS' default); without it every image
    # upload in /cms/ failed with a server error.
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Ours
    "common.apps.CommonConfig",
    "regions.apps.RegionsConfig",
    "producers.apps.ProducersConfig",
    "cms.apps.CmsConfig",
    "payments.apps.PaymentsConfig",
    "aftersales.apps.AftersalesConfig",
    "procurement.apps.ProcurementConfig",
    "oversight.apps.OversightConfig",
    # The top layer: demo data for `make run`; it imports the apps above, none imports it.
    "demo.apps.DemoConfig",
    "axes",
    "csp",
]

WHITENOISE_MIDDLEWARE = "whitenoise.middleware.WhiteNoiseMiddleware"
GZIP_MIDDLEWARE = "django.middleware.gzip.GZipMiddleware"

MIDDLEWARE = [
    # First: every log line of the request carries its id.
    "common.request_id.RequestIdMiddleware",
    # /healthz and /readyz answer here, before host checks, HTTPS redirects,
    # sessions and the rest (marketplace.health).
    "marketplace.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    WHITENOISE_MIDDLEWARE,
    "marketplace.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "marketplace.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "marketplace.middleware.NulInPathMiddleware",
    "marketplace.middleware.StillReferencedMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a locked-out login into the lockout page (django-axes).
    "axes.middleware.AxesMiddleware",
]


def production_middleware(middleware: list[str]) -> list[str]:
    """Production's middleware (marketplace/settings/production.py, and the
    page-weight test that serves the site as production does): HTML and other
    dynamic responses gzipped, right after WhiteNoise, which answers for static
    files itself with its precompressed .br/.gz copies (so GZip never re-packs
    an image). BREACH: Django masks the CSRF token anew in every response and
    GZipMiddleware pads each body with random bytes (README, "Compression")."""
    middleware = list(middleware)
    if GZIP_MIDDLEWARE not in middleware:
        middleware.insert(middleware.index(WHITENOISE_MIDDLEWARE) + 1, GZIP_MIDDLEWARE)
    return middleware


ROOT_URLCONF = "marketplace.urls"
# benchmarks/load.py only: the site plus one bare view (marketplace/bench_urls.py).
if env.bool("BENCH_BARE_VIEW", default=False):
    ROOT_URLCONF = "marketplace.bench_urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "marketplace.context_processors.marketplace",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    # First: refuses every login form (storefront, dashboard, Wagtail, Django
    # admin) while an account or an address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "customer.auth_backends.EmailBackend",
    # A mainland mobile number and a one-time code sent to it by SMS.
    "customer.auth_backends.MobileCodeBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "customer:login"
LOGIN_REDIRECT_URL = "customer:summary"

# Language, time and money: Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "static_collected")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Licences, certificate scans, invoices and evidence: never under MEDIA_ROOT,
# served only by views that check who asks (common.storage, common.uploads).
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
LOCAL_FILE_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # At PRIVATE_MEDIA_ROOT, without URLs.
    "private": {"BACKEND": "common.storage.PrivateFileSystemStorage"},
}
STORAGES = {
    **LOCAL_FILE_STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# How a checked view hands a private document over: the simple backend streams
# it from Django; behind nginx, django_sendfile.backends.nginx answers with an
# X-Accel-Redirect to SENDFILE_URL, an `internal` location serving SENDFILE_ROOT.
SENDFILE_BACKEND = env("DJANGO_SENDFILE_BACKEND", default="django_sendfile.backends.simple")
SENDFILE_ROOT = PRIVATE_MEDIA_ROOT
SENDFILE_URL = env("DJANGO_SENDFILE_URL", default="/private-media")


def object_storages(
    *,
    media_bucket: str,
    private_bucket: str,
    endpoint_url: str = "",
    access_key: str = "",
    secret_key: str = "",
    region: str = "",
    addressing_style: str = "",
    media_custom_domain: str = "",
    media_acl: str = "public-read",
    signed_url_seconds: int = 60,
) -> dict:
    """The STORAGES entries that put public media (``default``) and private
    documents (``private``) in S3-compatible buckets through django-storages;
    an empty bucket name leaves that entry out (local files stay). Empty keys
    fall back to boto3's own chain (environment, instance role)."""
    connection = {
        "endpoint_url": endpoint_url or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "addressing_style": addressing_style or None,
        # Signature version 4 everywhere: the only one newer regions and most
        # S3-compatible services accept, and the one whose links carry an expiry
        # (X-Amz-Expires) inside what is signed.
        "signature_version": "s3v4",
    }
    entries = {}
    if media_bucket:
        entries["default"] = {
            "BACKEND": "common.object_storage.PublicMediaStorage",
            "OPTIONS": {
                **connection,
                "bucket_name": media_bucket,
                "custom_domain": media_custom_domain or None,
                "default_acl": media_acl or None,
            },
        }
    if private_bucket:
        entries["private"] = {
            "BACKEND": "common.object_storage.PrivateDocumentStorage",
            "OPTIONS": {
                **connection,
                "bucket_name": private_bucket,
                "querystring_expire": signed_url_seconds,
            },
        }
    return entries


# S3-compatible object storage (django-storages) for web nodes that share no
# disk: S3_MEDIA_BUCKET moves public media there, S3_PRIVATE_BUCKET private
# documents; unset, both stay on local files (make run changes nothing).
S3_MEDIA_BUCKET = env("S3_MEDIA_BUCKET", default="")
S3_PRIVATE_BUCKET = env("S3_PRIVATE_BUCKET", default="")
# How long the signed link a checked view redirects to stays valid.
S3_SIGNED_URL_SECONDS = env.int("S3_SIGNED_URL_SECONDS", default=60)
STORAGES.update(
    object_storages(
        media_bucket=S3_MEDIA_BUCKET,
        private_bucket=S3_PRIVATE_BUCKET,
        endpoint_url=env("S3_ENDPOINT_URL", default=""),
        access_key=env("S3_ACCESS_KEY_ID", default=""),
        secret_key=env("S3_SECRET_ACCESS_KEY", default=""),
        region=env("S3_REGION_NAME", default=""),
        addressing_style=env("S3_ADDRESSING_STYLE", default=""),
        media_custom_domain=env("S3_MEDIA_CUSTOM_DOMAIN", default=""),
        media_acl=env("S3_MEDIA_ACL", default="public-read"),
        signed_url_seconds=S3_SIGNED_URL_SECONDS,
    )
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="消费帮扶商城 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


# Logs: one line per record on stderr, each with the id of the request or task
# it belongs to (common.request_id). LOG_FORMAT=json writes JSON objects
# (python-json-logger) for a log collector; production's default.
LOG_FORMATS = ("text", "json")


def logging_config(log_format: str) -> dict:
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "sell_out_is_information": {"()": "partner.log_filters.SellOutIsInformation"},
            "request_id": {"()": "common.request_id.RequestIdFilter"},
        },
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
        "loggers": {
            "oscar": {"level": "WARNING"},
            "oscar.checkout": {"level": "WARNING", "filters": ["sell_out_is_information"]},
            "wagtail": {"level": "WARNING"},
            "django_tasks": {"level": "WARNING"},
        },
    }


LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = logging_config(LOG_FORMAT)

# Task queue (Celery, marketplace/celery.py) with Redis as broker and result
# backend. Without a broker (make run) every task runs eagerly, inside the
# process that queues it; with REDIS_URL set, a worker runs them and beat
# queues the periodic ones below.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL) or "memory://localhost/"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL) or None
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL.startswith("memory://")
)
# An eager task fails as a worker's would: logged (common.task_signals), its
# caller goes on; result.get() raises the error for a caller that waits.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TIMEZONE = TIME_ZONE
# Django's LOGGING (request ids, JSON) applies in workers too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = timedelta(days=1)


def caches_for(redis_cache_url: str) -> dict:
    """The cache: Redis, shared by every web node and worker, when
    REDIS_CACHE_URL is set; this process's memory otherwise (make run)."""
    if not redis_cache_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_cache_url,
            "KEY_PREFIX": "marketplace",
        }
    }


# A Redis database of its own (not the broker's): clearing the cache empties
# its whole database. Sessions then read through the cache and stay in the
# database, so a cache flush logs nobody out.
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default="")
CACHES = caches_for(REDIS_CACHE_URL)
if REDIS_CACHE_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Rendered storefront blocks (listing results, category tree, product page body,
# home page blocks) are kept in the cache under the catalogue version
# (catalogue.cache), which every change they show bumps; this bounds how long
# one lives when nothing changes, and so any staleness a bump cannot see.
STOREFRONT_CACHE_SECONDS = env.int("STOREFRONT_CACHE_SECONDS", default=600)

# The periodic jobs, one line each: name -> (task, when[, arguments]), in
# Beijing time (CELERY_TIMEZONE). A job that is a management command needs no
# task of its own: ("common.management_command", crontab(...), ["<command>"]).
PERIODIC_TASKS = {
    # Cancels card orders unpaid after STRIPE_PAYMENT_TIMEOUT_MINUTES.
    "payments-expire-unpaid": ("payments.expire_unpaid", crontab(minute="*/5")),
    # Product page views counted in Redis, written to Oscar's ProductRecord
    # (catalogue.product_views): the page itself writes nothing.
    "catalogue-flush-product-views": ("catalogue.flush_product_views", crontab(minute="*")),
    # Search index work left in the outbox by an outage or a crash (search.outbox);
    # each commit that writes some queues a run at once too.
    "search-apply-outbox": ("search.apply_outbox", crontab(minute="*")),
    # Certificates start and lapse at midnight; the certificate filter follows.
    "search-refresh-certificates": ("search.refresh_certificates", crontab(hour=0, minute=5)),
    # Mails producers and staff the certificates lapsing within 30 days.
    "producers-report-expiring-certificates": (
        "producers.report_expiring_certificates",
        crontab(hour=8, minute=0),
    ),
    # Confirms receipt of orders shipped ORDER_AUTO_CONFIRM_DAYS ago.
    "orders-auto-confirm-receipt": (
        "common.management_command",
        crontab(hour=3, minute=0),
        ["orders_auto_confirm_receipt"],
    ),
    # Hands after-sales requests unanswered for AFTERSALES_RESPONSE_HOURS to staff.
    "aftersales-escalate-overdue": (
        "common.management_command",
        crontab(minute="*/15"),
        ["aftersales_escalate_overdue"],
    ),
}
CELERY_BEAT_SCHEDULE = {
    name: {"task": task, "schedule": when, "args": tuple(args[0]) if args else ()}
    for name, (task, when, *args) in PERIODIC_TASKS.items()
}

# Oscar's search app still expects a haystack connection; our search views use
# the ORM (and, later, Elasticsearch) and never query haystack.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# Oscar
OSCAR_SHOP_NAME = _("消费帮扶商城")
OSCAR_SHOP_TAGLINE = _("买脱贫地区好物，助乡村振兴")
OSCAR_HOMEPAGE = reverse_lazy("home")
# Reviews come only from signed-in customers who received the product
# and confirmed receipt (catalogue.rules.product_reviewable_by).
OSCAR_ALLOW_ANON_REVIEWS = False
OSCAR_DEFAULT_CURRENCY = "CNY"
OSCAR_CURRENCY_FORMAT = {"CNY": {"currency_digits": False, "format": "¥#,##0.00"}}
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_SLUG_ALLOW_UNICODE = True
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
OSCAR_REQUIRED_ADDRESS_FIELDS = (
    "last_name",
    "line1",
    "line3",
    "line4",
    "state",
    "country",
    "phone_number",
)

# Order statuses are stored as these strings (our source language is Chinese);
# templates we own show them through {% trans %} so English users see English.
# Order and line statuses are stored as ASCII codes (payments/migrations/0001
# moved the old Chinese words); people see ORDER_STATUS_LABELS, translated, through
# the order_status_label template filter and the dashboard's status forms.
ORDER_STATUS_PENDING_PAYMENT = "pending_payment"
ORDER_STATUS_PAID = "paid"
ORDER_STATUS_SHIPPED = "shipped"
ORDER_STATUS_COMPLETE = "complete"
ORDER_STATUS_CANCELLED = "cancelled"
ORDER_STATUS_LABELS = {
    ORDER_STATUS_PENDING_PAYMENT: gettext_noop("待付款"),
    ORDER_STATUS_PAID: gettext_noop("已付款"),
    ORDER_STATUS_SHIPPED: gettext_noop("已发货"),
    ORDER_STATUS_COMPLETE: gettext_noop("已完成"),
    ORDER_STATUS_CANCELLED: gettext_noop("已取消"),
}
OSCAR_INITIAL_ORDER_STATUS = ORDER_STATUS_PENDING_PAYMENT
OSCAR_INITIAL_LINE_STATUS = ORDER_STATUS_PENDING_PAYMENT
OSCAR_ORDER_STATUS_PIPELINE = {
    ORDER_STATUS_PENDING_PAYMENT: (ORDER_STATUS_PAID, ORDER_STATUS_CANCELLED),
    ORDER_STATUS_PAID: (ORDER_STATUS_SHIPPED, ORDER_STATUS_CANCELLED),
    ORDER_STATUS_SHIPPED: (ORDER_STATUS_COMPLETE,),
    ORDER_STATUS_COMPLETE: (),
    ORDER_STATUS_CANCELLED: (),
}
OSCAR_LINE_STATUS_PIPELINE = OSCAR_ORDER_STATUS_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = {
    ORDER_STATUS_PAID: ORDER_STATUS_PAID,
    ORDER_STATUS_SHIPPED: ORDER_STATUS_SHIPPED,
    ORDER_STATUS_COMPLETE: ORDER_STATUS_COMPLETE,
    ORDER_STATUS_CANCELLED: ORDER_STATUS_CANCELLED,
}


# One menu for every staff page: Oscar's dashboard, then the review and
# oversight pages (all in the dashboard layout, templates/dashboard/staff_base.html),
# then the content and superuser admin sites. Each entry shows only to the role
# that may open it (dashboard.menu_access); a county reviewer sees its queue only.
OSCAR_DASHBOARD_NAVIGATION = [
    *OSCAR_DASHBOARD_NAVIGATION,  # noqa: F405
    {
        "label": _("生产主体"),
        "icon": "fas fa-seedling",
        "children": [
            {
                "label": _("县级推荐"),
                "url_name": "producers:county-queue",
                "access_fn": menu_access.county_reviewer,
            },
            {
                "label": _("入驻审核"),
                "url_name": "producers:platform-queue",
                "access_fn": menu_access.platform_staff,
            },
            {
                "label": _("县级审核人"),
                "url_name": "producers:reviewers",
                "access_fn": menu_access.platform_staff,
            },
            {
                "label": _("商品审核"),
                "url_name": "catalogue:review-queue",
                "access_fn": menu_access.platform_staff,
            },
            {
                "label": _("价格监测"),
                "url_name": "catalogue:price-watch",
                "access_fn": menu_access.platform_staff,
            },
            {
                "label": _("无结果搜索"),
                "url_name": "search:zero-results",
                "access_fn": menu_access.platform_staff,
            },
            {
                "label": _("搜索同义词"),
                "url_name": "search:synonyms",
                "access_fn": menu_access.platform_staff,
            },
            {
                "label": _("类目申请"),
                "url_name": "producers:category-proposals-review",
                "access_fn": menu_access.category_editor,
            },
            {
                "label": _("联农带农核实"),
                "url_name": "producers:linkage-queue",
                "access_fn": menu_access.platform_staff,
            },
            {
                "label": _("重点帮扶县名单"),
                "url_name": "region-key-counties",
                "access_fn": menu_access.platform_staff,
            },
        ],
    },
    {
        "label": _("单位采购"),
        "icon": "fas fa-building",
        "children": [
            {
                "label": _("采购单位审核"),
                "url_name": "procurement:review-units",
                "access_fn": menu_access.platform_staff,
            },
            {
                "label": _("信用代码争议"),
                "url_name": "procurement:review-contests",
                "access_fn": menu_access.platform_staff,
            },
            {
                "label": _("采购进度"),
                "url_name": "procurement:review-progress",
                "access_fn": menu_access.platform_staff,
            },
            {
                "label": _("场外采购核实"),
                "url_name": "procurement:review-off-platform",
                "access_fn": menu_access.platform_staff,
            },
            {
                "label": _("预留比例规则"),
                "url_name": "procurement:ratio-rules",
                "access_fn": menu_access.platform_staff,
            },
            {
                "label": _("结对帮扶"),
                "url_name": "procurement:pairings",
                "access_fn": menu_access.platform_staff,
            },
        ],
    },
    {
        "label": _("统计监测"),
        "icon": "fas fa-chart-bar",
        "children": [
            {
                "label": _("监测总览"),
                "url_name": "oversight:overview",
                "access_fn": oversight_menu_access.programme_office,
            },
            {
                "label": _("工作专班"),
                "url_name": "oversight:offices",
                "access_fn": menu_access.platform_staff,
            },
        ],
    },
    {
        "label": _("售后"),
        "icon": "fas fa-undo",
        "children": [
            {
                "label": _("售后仲裁"),
                "url_name": "aftersales:staff-cases",
                "access_fn": menu_access.platform_staff,
            },
        ],
    },
    {
        "label": _("管理站点"),
        "icon": "fas fa-tools",
        "children": [
            {
                "label": _("内容管理（Wagtail）"),
                "url_name": "wagtailadmin_home",
                "access_fn": menu_access.content_editor,
            },
            {
                "label": _("Django 管理后台（超级管理员）"),
                "url_name": "admin:index",
                "access_fn": menu_access.superuser,
            },
        ],
    },
]

# producers_report_expiring_certificates warns this many days before a certificate lapses.
CERTIFICATE_EXPIRY_WARNING_DAYS = 30

# Bank transfer (对公转账) details shown to buyers who pay offline.
BANK_TRANSFER_ACCOUNT_NAME = env(
    "BANK_TRANSFER_ACCOUNT_NAME", default="消费帮扶商城运营有限公司（示例）"
)
BANK_TRANSFER_BANK = env("BANK_TRANSFER_BANK", default="中国农业银行西安分行（示例）")
BANK_TRANSFER_ACCOUNT_NUMBER = env(
    "BANK_TRANSFER_ACCOUNT_NUMBER", default="6228 0000 0000 0000 000"
)
BANK_TRANSFER_DUE_DAYS = env.int("BANK_TRANSFER_DUE_DAYS", default=7)

# Card payments through Stripe PaymentIntents (payments.stripe_gateway). The
# card method is offered only when both keys are set; bank transfer stays.
# Stripe calls POST /payments/stripe/webhook/ with events signed by
# STRIPE_WEBHOOK_SECRET. STRIPE_API_BASE points the API client elsewhere
# (localstripe in the tests); STRIPE_JS_URL is the Stripe.js script, loaded on
# the card payment page only, whose origin that page's CSP alone allows.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
STRIPE_JS_URL = env("STRIPE_JS_URL", default="https://js.stripe.com/v3/")
# The methods a PaymentIntent accepts (Stripe's payment_method_types): card,
# and alipay / wechat_pay where the Stripe account enables them; the payment
# page offers a button for each (payments.rules.stripe_payment_methods).
STRIPE_PAYMENT_METHODS = env.list("STRIPE_PAYMENT_METHODS", default=["card"])
# Stripe's own default: a signed event older than this is refused (replays).
STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300
# Orders awaiting card payment longer than this are cancelled and their stock
# released by `manage.py payments_expire_unpaid` (scheduled every few minutes).
STRIPE_PAYMENT_TIMEOUT_MINUTES = env.int("STRIPE_PAYMENT_TIMEOUT_MINUTES", default=30)
# A shipped order its buyer has not confirmed received (确认收货) is confirmed
# this many days after its last shipment by `manage.py orders_auto_confirm_receipt`.
ORDER_AUTO_CONFIRM_DAYS = env.int("ORDER_AUTO_CONFIRM_DAYS", default=10)

# After-sales (售后): a producer accepts or rejects a refund or return request
# within this many hours; aftersales_escalate_overdue hands silent ones to staff.
AFTERSALES_RESPONSE_HOURS = env.int("AFTERSALES_RESPONSE_HOURS", default=48)
# Photos a buyer may attach to one request (each checked like product photos).
AFTERSALES_MAX_PHOTOS = 6

# Wagtail
WAGTAIL_SITE_NAME = "消费帮扶商城"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# Editors translate stories, county and news pages into English (Wagtail's
# simple translation: 翻译 on a page copies it into the English locale to edit
# and publish). Chinese is the default locale; visitors see a page's English
# version at the same address when their language is English (cms.models).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Editors' images get the limits of product photos (common.uploads explains them).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS
WAGTAILIMAGES_MAX_UPLOAD_SIZE = MAX_PHOTO_BYTES
# ...and their content check (common.uploads.photo_check): JPEG and PNG only.
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.image_forms.CheckedImageForm"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png"]

# Search: Elasticsearch when ELASTICSEARCH_URL is set, the database otherwise.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="marketplace")
ELASTICSEARCH_TIMEOUT = env.int("ELASTICSEARCH_TIMEOUT", default=10)
# "wait_for" makes each write visible to the next search (tests, small shops);
# False leaves it to the server's refresh interval.
ELASTICSEARCH_REFRESH_ON_WRITE = env("ELASTICSEARCH_REFRESH_ON_WRITE", default="false")
if ELASTICSEARCH_REFRESH_ON_WRITE in ("false", "0", ""):
    ELASTICSEARCH_REFRESH_ON_WRITE = False
# Primary shards and replicas of each new index (applied when a rebuild creates
# one: search_rebuild_index, then the alias swap). One node in development takes
# 1/0; the three-node cluster of deploy/ takes 3/1, so losing a node loses nothing.
ELASTICSEARCH_SHARDS = env.int("ELASTICSEARCH_SHARDS", default=1)
ELASTICSEARCH_REPLICAS = env.int("ELASTICSEARCH_REPLICAS", default=0)
if ELASTICSEARCH_SHARDS < 1 or ELASTICSEARCH_REPLICAS < 0:
    raise ImproperlyConfigured(
        "ELASTICSEARCH_SHARDS must be at least 1 and ELASTICSEARCH_REPLICAS at least 0"
    )
# A search_rebuild_index that has not reported progress for this long has died
# (search.rules.rebuild_stale_before): the changes it held are applied again.
SEARCH_REBUILD_STALE_SECONDS = env.int("SEARCH_REBUILD_STALE_SECONDS", default=900)

# Demo data is labelled in the UI as sample data.
MARKETPLACE_SHOW_SAMPLE_DATA_BANNER = env.bool("MARKETPLACE_SHOW_SAMPLE_DATA_BANNER", default=True)

# Price watch (价格监测): a listing priced above its reference market price by more than this
# share (0.20: 20%) is flagged to staff and its producer (catalogue.rules.price_watch_threshold).
PRICE_WATCH_MARGIN = Decimal(env("PRICE_WATCH_MARGIN", default="0.20"))

# Open data (oversight.open_data): accepted contracts as OCDS 1.1 release packages. An ocid is
# OCDS_OCID_PREFIX, a hyphen and the contract number. The prefix is "ocds-" and six lowercase
# letters or digits that the Open Contracting Partnership assigns to a publisher on request; the
# default is not registered, and `manage.py check --deploy` says so (oversight.W001).
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", default="ocds-xxxxxx")
OCDS_PUBLISHER_NAME = env("OCDS_PUBLISHER_NAME", default=SITE_NAME)
OCDS_LICENSE = env("OCDS_LICENSE", default="https://creativecommons.org/licenses/by/4.0/")
# Catalogue import (商品批量导入) runs as a task; a job that reported no progress for
# this many minutes (its worker died or was killed) is shown as failed, and the
# producer may upload again (catalogue.rules.catalogue_import_is_stale).
CATALOGUE_IMPORT_STALE_MINUTES = env.int("CATALOGUE_IMPORT_STALE_MINUTES", default=10)

# Procurement (单位采购): defaults that rules in the database or a contract may override.
# Minimum reserved share of canteen food budgets when no ReserveRatioRule covers the year.
PROCUREMENT_DEFAULT_RESERVE_RATIO = Decimal(
    env("PROCUREMENT_DEFAULT_RESERVE_RATIO", default="0.10")
)
# Public buyers pay within this many days of acceptance; contracts may agree other terms within
# the legal range (procurement.models.PAYMENT_DAYS_MIN/MAX, checked at start-up).
PROCUREMENT_PAYMENT_DAYS = env.int("PROCUREMENT_PAYMENT_DAYS", default=30)
# Late-payment interest per day on the overdue balance unless the contract agrees otherwise.
PROCUREMENT_DAILY_LATE_INTEREST = Decimal(env("PROCUREMENT_DAILY_LATE_INTEREST", default="0.0005"))
# The most freight a contract may carry: at most this many yuan, and at most this share of
# its goods (procurement.rules.freight_limit_for; checked at start-up).
PROCUREMENT_FREIGHT_MAX = Decimal(env("PROCUREMENT_FREIGHT_MAX", default="5000"))
PROCUREMENT_FREIGHT_MAX_SHARE = Decimal(env("PROCUREMENT_FREIGHT_MAX_SHARE", default="0.30"))
# Plans for a year may be filed and revised until this (month, day) of that year.
PROCUREMENT_PLAN_FILING_DEADLINE = (3, 31)

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for
# one account, or from one client address, logins from there are refused for
# LOGIN_LOCKOUT_MINUTES. Behind a proxy, DJANGO_TRUSTED_PROXY_COUNT says how
# many X-Forwarded-For hops to trust (common.client_ip).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "common.client_ip.client_ip"
# Wrong SMS codes count against the mobile number as wrong passwords count
# against the address (customer.auth_backends.axes_username).
AXES_USERNAME_CALLABLE = "customer.auth_backends.axes_username"
AXES_VERBOSE = False

# Text messages (common.sms): the backend class by dotted path, like EMAIL_BACKEND.
# The console backend prints each message in the terminal (make run); tests use
# locmem (common.sms.outbox); production sets the Aliyun adapter and its keys.
SMS_BACKEND = env("SMS_BACKEND", default="common.sms.backends.console.SmsBackend")
SMS_ALIYUN_ACCESS_KEY_ID = env("SMS_ALIYUN_ACCESS_KEY_ID", default="")
SMS_ALIYUN_ACCESS_KEY_SECRET = env("SMS_ALIYUN_ACCESS_KEY_SECRET", default="")
SMS_ALIYUN_SIGN_NAME = env("SMS_ALIYUN_SIGN_NAME", default="")
SMS_ALIYUN_TEMPLATE_CODE = env("SMS_ALIYUN_TEMPLATE_CODE", default="")
SMS_ALIYUN_ENDPOINT = env("SMS_ALIYUN_ENDPOINT", default="https://dysmsapi.aliyuncs.com/")
SMS_ALIYUN_TIMEOUT = env.int("SMS_ALIYUN_TIMEOUT", default=10)
# One-time sign-in codes (customer.services.sms_code_send/sms_code_consume): how
# long a code lives, how many wrong tries kill it, and how often a number or a
# client address may ask for one (customer.rules.sms_code_send_check).
SMS_CODE_TTL_SECONDS = env.int("SMS_CODE_TTL_SECONDS", default=300)
SMS_CODE_MAX_ATTEMPTS = env.int("SMS_CODE_MAX_ATTEMPTS", default=5)
SMS_CODE_RESEND_SECONDS = env.int("SMS_CODE_RESEND_SECONDS", default=60)
SMS_CODES_PER_PHONE_PER_DAY = env.int("SMS_CODES_PER_PHONE_PER_DAY", default=10)
SMS_CODES_PER_IP_PER_HOUR = env.int("SMS_CODES_PER_IP_PER_HOUR", default=20)

# Content-Security-Policy (django-csp 4). Every page of ours (storefront,
# producer workspace, procurement, reviews) runs no inline script: Oscar's page
# scripts start from static files (marketplace/storefront.js, workspace.js) and
# its onclick="" links are data-behaviours (marketplace/behaviours.js). Should a
# page ever need a small inline script, add csp.constants.NONCE to script-src
# and nonce="{{ request.csp_nonce }}" to the tag. Style attributes are allowed
# (style-src-attr): Oscar's basket and checkout templates, and the HTML its
# basket script swaps in, hide elements with style="display:none"; <style>
# elements and stylesheets from elsewhere stay blocked. CSP_EXTRA_*_SRC add the
# origins a payment provider's script will need (none today).
CSP_EXTRA_SCRIPT_SRC = env.list("CSP_EXTRA_SCRIPT_SRC", default=[])
CSP_EXTRA_CONNECT_SRC = env.list("CSP_EXTRA_CONNECT_SRC", default=[])
CSP_EXTRA_FRAME_SRC = env.list("CSP_EXTRA_FRAME_SRC", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *CSP_EXTRA_SCRIPT_SRC],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF, *CSP_EXTRA_CONNECT_SRC],
        "frame-src": [SELF, *CSP_EXTRA_FRAME_SRC],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# The admin sites we do not write (Wagtail's /cms/, Oscar's /dashboard/, Django's
# /django-admin/) use inline scripts, inline styles, eval (Oscar's dashboard
# widgets, TinyMCE) and blob: previews: they get this relaxed policy, which still
# keeps other origins out (marketplace.middleware.ContentSecurityPolicyMiddleware).
CSP_RELAXED_URL_PREFIXES = ("/cms/", "/dashboard/", "/django-admin/")
CSP_RELAXED_POLICY = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL, *CSP_EXTRA_SCRIPT_SRC],
    "style-src": [SELF, UNSAFE_INLINE],
    "style-src-attr": None,
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
}
# Gravatar is unreachable from mainland China, and the policy keeps its images out.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
