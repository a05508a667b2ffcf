"""The checked-upload pipeline: documents (licences as JPEG, PNG or PDF) and
product photos are judged by their bytes, stored under server-chosen names and
served back sandboxed.

The uploaded name and the browser's content type are the applicant's word; only
the bytes count. Files are stored under names the server chooses, so a name can
neither be guessed nor carry a path or a misleading extension.
"""

import math
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# A licence photo needs far fewer pixels; the limit bounds the memory that
# decoding one upload may take (about 160 MB as RGBA).
MAX_IMAGE_PIXELS = 40_000_000
PDF_MAGIC = b"%PDF-"
# Writers may append a few bytes of whitespace or junk after the last %%EOF.
PDF_TAIL_BYTES = 1024

EXTENSION_BY_FORMAT = {"JPEG": "jpg", "PNG": "png", "PDF": "pdf"}
CONTENT_TYPE_BY_EXTENSION = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


@dataclass(frozen=True)
class CheckedDocument:
    format: str

    @property
    def extension(self) -> str:
        return EXTENSION_BY_FORMAT[self.format]


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _check_pdf(data: bytes) -> CheckedDocument:
    tail = data[-PDF_TAIL_BYTES:]
    if b"%%EOF" not in tail or b"startxref" not in data[-2 * PDF_TAIL_BYTES :]:
        raise ValidationError(_("PDF 文件不完整或已损坏，请重新导出后上传。"), code="corrupt")
    return CheckedDocument(format="PDF")


def _open_image(upload) -> Image.Image:
    upload.seek(0)
    return Image.open(upload, formats=["JPEG", "PNG"])


def _check_image(upload) -> CheckedDocument:
    bomb = ValidationError(
        _("图片像素过大（超过 %(limit)d 万像素），请缩小后上传。"),
        code="too_many_pixels",
        params={"limit": MAX_IMAGE_PIXELS // 10_000},
    )
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit; a warning must stop us too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _open_image(upload)
            # Image.open reads only the header: the declared size is known
            # before a single pixel is decoded.
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise bomb
            image_format = image.format
            image.verify()
            # verify() leaves the image unusable; decoding a fresh copy catches
            # truncated pixel data that verify() does not look at (JPEG).
            image = _open_image(upload)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise bomb from None
        except UnidentifiedImageError:
            raise ValidationError(
                _("仅支持 JPEG、PNG 图片或 PDF 文件。"), code="unsupported_type"
            ) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ValidationError(
                _("图片文件已损坏，无法打开，请重新拍摄或导出后上传。"), code="corrupt"
            ) from None
        finally:
            upload.seek(0)
    return CheckedDocument(format=image_format)


def document_check(upload) -> CheckedDocument:
    """Validate an uploaded licence by its content; raise ValidationError if unusable."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("文件不能超过 %(limit)d MB。"),
            code="too_large",
            params={"limit": MAX_DOCUMENT_BYTES // (1024 * 1024)},
        )
    if upload.size == 0:
        raise ValidationError(_("文件是空的。"), code="empty")
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        return _check_pdf(_read_all(upload))
    return _check_image(upload)


MAX_PHOTO_BYTES = 5 * 1024 * 1024
# Photos are shown at most 440×400 (catalogue.thumbnails). 16 million pixels
# (4,000×4,000) keeps a phone's default 12–13 MP picture (4,000×3,000,
# 4,080×3,072) while bounding what decoding one photo and making its thumbnails
# takes: at most 64 MB as RGBA, where a 39.7 MP photo of 38 KB took 320 MB and
# 1.1 s. Pillow's own limit (89.5 million) only guards against outright bombs.
MAX_PHOTO_PIXELS = 16_000_000
MAX_PHOTO_SIDE = math.isqrt(MAX_PHOTO_PIXELS)


def _photo_pixels_check(upload) -> None:
    too_many = ValidationError(
        _("图片像素过多：最多 %(limit)d 万像素（约 %(side)d×%(side)d），请缩小后上传。"),
        code="too_many_pixels",
        params={"limit": MAX_PHOTO_PIXELS // 10_000, "side": MAX_PHOTO_SIDE},
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # The header alone gives the size; no pixel is decoded here.
            width, height = _open_image(upload).size
    except Image.DecompressionBombError:
        raise too_many from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        # _check_image says what is wrong with it.
        return
    finally:
        upload.seek(0)
    if width * height > MAX_PHOTO_PIXELS:
        raise too_many


def photo_check(upload) -> CheckedDocument:
    """Validate a product or story photo by its content: JPEG or PNG only, no
    PDF, at most ``MAX_PHOTO_BYTES`` and ``MAX_PHOTO_PIXELS``."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("图片不能超过 %(limit)d MB。"),
            code="too_large",
            params={"limit": MAX_PHOTO_BYTES // (1024 * 1024)},
        )
    if upload.size == 0:
        raise ValidationError(_("文件是空的。"), code="empty")
    upload.seek(0)
    if upload.read(len(PDF_MAGIC)) == PDF_MAGIC:
        upload.seek(0)
        raise ValidationError(_("商品图片仅支持 JPEG 或 PNG。"), code="unsupported_type")
    upload.seek(0)
    _photo_pixels_check(upload)
    return _check_image(upload)


def document_rename(upload, checked: CheckedDocument) -> None:
    """Replace the applicant's file name with a server-chosen one of the detected type."""
    upload.name = f"{uuid.uuid4().hex}.{checked.extension}"


def checked_document_path(directory: str, filename: str) -> str:
    # A random directory per file: the path reveals nothing and cannot be guessed.
    extension = filename.rsplit(".", 1)[-1].lower()
    if extension not in CONTENT_TYPE_BY_EXTENSION:
        raise ValueError(f"document {filename!r} was not checked by document_check")
    return f"{directory}/{uuid.uuid4().hex}/{uuid.uuid4().hex}.{extension}"


def document_response(field, *, name: str) -> FileResponse:
    """Serve a stored, content-checked document inline as ``name``; 404 when empty.

    Even a well-formed PDF may carry scripts: the sandbox keeps the browser
    from running them with this site's origin."""
    if not field:
        raise Http404
    extension = field.name.rsplit(".", 1)[-1]
    response = FileResponse(field.open("rb"), content_type=CONTENT_TYPE_BY_EXTENSION[extension])
    response["Content-Disposition"] = f'inline; filename="{name}.{extension}"'
    response["Content-Security-Policy"] = "sandbox"
    return response
