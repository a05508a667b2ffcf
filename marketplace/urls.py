from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.documents import urls as wagtaildocs_urls

from marketplace.sitemaps import SITEMAPS, robots_txt

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        robots_txt,
        name="robots",
    ),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("regions/", include("regions.urls")),
    path("producers/", include("producers.urls")),
    path("procurement/", include("procurement.urls")),
    path("oversight/", include("oversight.urls")),
    path("payments/", include("payments.urls")),
    path("aftersales/", include("aftersales.urls")),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every path nothing above claimed, starting with the home page.
urlpatterns.append(path("", include(wagtail_urls)))

# Chinese error pages in the site layout (Oscar's views, our templates). The 500
# page renders without the layout: that needs the database, which may be what failed.
handler403 = "oscar.views.handler403"
handler404 = "oscar.views.handler404"
handler500 = "django.views.defaults.server_error"
