"""Regenerate the example's slide PDF (the JSONL and transcripts are plain text files).

.venv/bin/python docs/examples/import/make_files.py
"""

import datetime as dt
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
PAGES = [
    "Tillitsbaserad styrning\nExempelbilder för importformatet",
    "Från detaljstyrning till tillit\nMäta för att lära, inte för att kontrollera",
    "Frågor att diskutera\nVad behöver medarbetarna för att ta ansvar?",
]


def main() -> None:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title("Tillitsbaserad styrning (exempel)")
    pdf.set_creation_date(dt.datetime(2017, 5, 31, tzinfo=dt.UTC))  # same bytes every run
    for text in PAGES:
        pdf.add_page()
        pdf.set_font("helvetica", size=24)
        pdf.multi_cell(0, 14, text.encode("latin-1", "replace").decode("latin-1"))
    out = HERE / "slides" / "tillitsbaserad-styrning.pdf"
    out.write_bytes(bytes(pdf.output()))
    print(f"Wrote {out} ({out.stat().st_size} bytes, {len(PAGES)} pages)")


if __name__ == "__main__":
    main()
