"""Where producers' checked documents are stored (see ``common.uploads``)."""

from common.uploads import checked_document_path

DOCUMENT_DIRECTORY = "producer-applications"
CERTIFICATE_DIRECTORY = "certificate-scans"


def application_document_path(instance, filename: str) -> str:
    return checked_document_path(DOCUMENT_DIRECTORY, filename)


def certificate_scan_path(instance, filename: str) -> str:
    return checked_document_path(CERTIFICATE_DIRECTORY, filename)


INVOICE_DIRECTORY = "invoices"


def invoice_pdf_path(instance, filename: str) -> str:
    return checked_document_path(INVOICE_DIRECTORY, filename)
