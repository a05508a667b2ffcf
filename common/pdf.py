"""PDF downloads: HTML rendered by WeasyPrint (Pango lays out the text).

Templates name ``PDF_FONT_FAMILY`` (Noto Sans CJK SC from Debian's
fonts-noto-cjk) so Chinese text has a font; WeasyPrint embeds the subset of it
the document uses, so the PDF reads the same on a machine without the font.
WeasyPrint is imported on first use: pages that never make a PDF do not load
Pango.
"""

PDF_CONTENT_TYPE = "application/pdf"
PDF_FONT_FAMILY = '"Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif'


def html_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document (styles inline, no external assets)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
