"""Text cells that spreadsheets would run as formulas.

Excel, LibreOffice and Google Sheets treat a CSV cell that starts with ``=``, ``+``, ``-``,
``@`` (or a tab or carriage return before one) as a formula: ``=HYPERLINK("http://…")`` in a
visitor's search text, a seminar title or a transcript line would be live in an editor's
spreadsheet. Such cells get a leading apostrophe, which spreadsheets show as plain text (the
OWASP advice for CSV injection). Numbers and dates stay as they are.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value):
    """``value``, with an apostrophe in front when it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FormulaSafeCSVMixin:
    """For Wagtail's spreadsheet export views (reports): CSV cells never start a formula.
    (Their XLSX export already stores such text as text.)"""

    def write_csv_row(self, writer, row_dict):
        return super().write_csv_row(writer, {k: as_text_cell(v) for k, v in row_dict.items()})
