"""The Wagtail image form (a module of its own: cms.models imports cms.forms
before Wagtail's image models are ready)."""

from django.core.validators import EMPTY_VALUES
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from common.uploads import photo_check


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, the bytes judged by ``photo_check`` first.

    Wagtail's own field caps bytes and pixels (WAGTAILIMAGES_MAX_UPLOAD_SIZE /
    _MAX_IMAGE_PIXELS, set to the photo limits) but decodes the file to read
    its size, and a truncated JPEG then raises OSError: a server error.
    ``photo_check`` refuses that, a file that is not really a JPEG or PNG, and
    a decompression bomb, before Wagtail opens it, with the Chinese messages of
    the shop's photo upload."""

    def to_python(self, data):
        if data not in EMPTY_VALUES and hasattr(data, "size"):
            photo_check(data)
        return super().to_python(data)


class CheckedImageForm(BaseImageForm):
    """Every Wagtail image upload (single, multiple, the chooser's) goes through
    this form: WAGTAILIMAGES_IMAGE_FORM_BASE names it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None and type(field) is WagtailImageField:
            # Keep the model's label, widget and help text; add the check.
            field.__class__ = CheckedImageField
