"""Where private documents live: licences, certificate scans, invoices and
evidence of purchases.

Public media (product photos, story images) stays in the default storage, which
the proxy serves at MEDIA_URL. Private documents go to the "private" storage,
which has no URL at all: they reach a browser only through a view that checks
who asks (``common.uploads.document_response``). File fields name the storage
through ``private_storage``, a callable, so that migrations record no path and
the backend can change (to an object store, say) in settings alone.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, cached_property, empty

PRIVATE_STORAGE_ALIAS = "private"


@deconstructible(path="common.storage.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage without URLs, in PRIVATE_MEDIA_ROOT unless given a location."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        # FileSystemStorage falls back to MEDIA_URL when it has no base_url:
        # a private file must never get a public address that way.
        raise ValueError("A private document has no URL; link to the view that checks access.")


class PrivateStorage(LazyObject):
    """The "private" entry of STORAGES, looked up when first used, like Django's
    ``default_storage``: a file field keeps this one object, so a process whose
    STORAGES change (a test switching to the object store) follows them."""

    def _setup(self):
        self._wrapped = storages[PRIVATE_STORAGE_ALIAS]


private_documents = PrivateStorage()


@receiver(setting_changed)
def _private_storage_reset(*, setting, **kwargs):
    if setting == "STORAGES":
        private_documents._wrapped = empty


def private_storage():
    return private_documents


def documents_move(model, field_names, *, source, target) -> int:
    """Move the files of ``field_names`` on every row of ``model`` from one
    storage to the other under the same name; returns how many moved.

    Safe to run again and on a half-finished move: a file already in ``target``
    is not copied twice, and a file missing from ``source`` is left alone (the
    row keeps its name, and its view answers 404 as before)."""
    moved = 0
    for field_name in field_names:
        rows = model._default_manager.exclude(**{field_name: ""}).exclude(
            **{f"{field_name}__isnull": True}
        )
        for pk, name in rows.values_list("pk", field_name).iterator():
            if not source.exists(name):
                continue
            if not target.exists(name):
                with source.open(name, "rb") as content:
                    saved = target.save(name, content)
                if saved != name:
                    model._default_manager.filter(pk=pk).update(**{field_name: saved})
            source.delete(name)
            moved += 1
    return moved


def documents_move_to_private(model, field_names) -> int:
    return documents_move(model, field_names, source=storages["default"], target=private_storage())


def documents_move_to_public(model, field_names) -> int:
    """The reverse of ``documents_move_to_private``, for unapplying its migrations."""
    return documents_move(model, field_names, source=private_storage(), target=storages["default"])
