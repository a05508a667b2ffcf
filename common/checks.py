"""Start-up check of where private documents are kept (``manage.py check``).

A private root inside MEDIA_ROOT or STATIC_ROOT would be served by the proxy
(or runserver) to anyone who has a file's path, the very thing the separate
storage exists to prevent; and the sendfile root must be that same directory,
or the checked views could not hand the files over. In an object store the
private bucket must not be the public media bucket."""

from pathlib import Path

from django.conf import settings
from django.core import checks


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def private_media_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = Path(getattr(settings, name)).resolve()
        if _inside(private, public):
            errors.append(
                checks.Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) lies inside {name} ({public}).",
                    hint="Give DJANGO_PRIVATE_MEDIA_ROOT a directory of its own, outside "
                    "every publicly served directory.",
                    id="common.E001",
                )
            )
    media_bucket, private_bucket = (
        settings.STORAGES.get(alias, {}).get("OPTIONS", {}).get("bucket_name")
        for alias in ("default", "private")
    )
    if private_bucket and private_bucket == media_bucket:
        errors.append(
            checks.Error(
                f"Private documents share the public media bucket ({private_bucket}).",
                hint="Give S3_PRIVATE_BUCKET a bucket of its own, readable by no one "
                "but this application.",
                id="common.E003",
            )
        )
    if Path(settings.SENDFILE_ROOT).resolve() != private:
        errors.append(
            checks.Error(
                f"SENDFILE_ROOT ({settings.SENDFILE_ROOT}) is not PRIVATE_MEDIA_ROOT ({private}).",
                id="common.E002",
            )
        )
    return errors
