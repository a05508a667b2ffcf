"""The checked-upload pipeline: documents (licences, certificate scans,
invoices and purchase evidence as JPEG, PNG or PDF) and product photos are
judged by their bytes, stored under server-chosen names, and documents are
served back sandboxed, from the private storage, by views that check access.

The uploaded name and the browser's content type are the uploader's word; only
the bytes count. Files are stored under names the server chooses, so a name can
neither be guessed nor carry a path or a misleading extension.
"""

import math
import re
import uuid
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_sendfile import sendfile
from PIL import Image, UnidentifiedImageError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# A licence photo needs far fewer pixels; the limit bounds the memory that
# decoding one upload may take (about 160 MB as RGBA).
MAX_IMAGE_PIXELS = 40_000_000
PDF_MAGIC = b"%PDF-"
PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
# Writers may append a few bytes of whitespace or junk after the last %%EOF.
PDF_TAIL_BYTES = 1024
# Markup a browser runs as a page. A PDF carrying it is an HTML/PDF polyglot:
# harmless as application/pdf, a script with this site's origin wherever a
# browser or proxy second-guesses the type. Scans and exported PDFs never hold it.
ACTIVE_MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|script|svg|iframe)[\s>/]", re.IGNORECASE)

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
    if (
        not PDF_HEADER.match(data)
        or not PDF_OBJECT.search(data)
        or b"%%EOF" not in tail
        or b"startxref" not in data[-2 * PDF_TAIL_BYTES :]
    ):
        raise ValidationError(_("PDF 文件不完整或已损坏，请重新导出后上传。"), code="corrupt")
    if ACTIVE_MARKUP.search(data):
        raise ValidationError(
            _("文件中夹带网页或脚本代码，不能上传。请上传扫描件或直接导出的 PDF、JPEG、PNG 文件。"),
            code="active_content",
        )
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


# An electronic invoice (电子发票) as the tax system exports it is well under 1 MB.
MAX_PDF_BYTES = 5 * 1024 * 1024


def pdf_check(upload) -> CheckedDocument:
    """Validate an upload that must be a PDF (an issued invoice): at most
    ``MAX_PDF_BYTES``, starting with the PDF magic bytes, and whole and free of
    active markup as ``document_check`` judges any PDF."""
    if upload.size > MAX_PDF_BYTES:
        raise ValidationError(
            _("文件不能超过 %(limit)d MB。"),
            code="too_large",
            params={"limit": MAX_PDF_BYTES // (1024 * 1024)},
        )
    if upload.size == 0:
        raise ValidationError(_("文件是空的。"), code="empty")
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(_("仅支持 PDF 文件。"), code="unsupported_type")
    return _check_pdf(_read_all(upload))


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


def document_response(request, field, *, name: str) -> HttpResponse:
    """Hand over a stored private document as ``name``, once the calling view
    has checked who asks; 404 when there is none or its file is missing.

    Only what ``document_check`` accepts (JPEG, PNG, PDF, by the name the server
    chose) opens inline; anything else, such as a file stored before the checks
    existed, downloads as an attachment of no particular type. Even a
    well-formed PDF may carry scripts: the sandbox keeps the browser from running
    them with this site's origin, and nosniff keeps it from guessing another type.
    The configured sendfile backend streams the file or, behind nginx, leaves it
    to the proxy (X-Accel-Redirect)."""
    if not field:
        raise Http404
    extension = PurePosixPath(field.name).suffix.lstrip(".").lower()
    content_type = CONTENT_TYPE_BY_EXTENSION.get(extension)
    if not (extension.isascii() and extension.isalnum()):
        extension = "bin"
    response = sendfile(
        request,
        field.path,
        attachment=content_type is None,
        attachment_filename=f"{name}.{extension}",
        mimetype=content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
