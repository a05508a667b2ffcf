"""A URLconf that serves MEDIA_ROOT at MEDIA_URL and nothing else: what
runserver does in DEBUG (marketplace/urls.py) and the production proxy does,
for tests that ask what a public media address reaches."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve


def _public_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", _public_media)]
