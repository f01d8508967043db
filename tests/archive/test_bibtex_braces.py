"""BibTeX entries keep every field whatever braces and backslashes a title or series has.

BibTeX and biber count every brace of a field, an escaped one ("\\}") too: a title "Styrning}"
ended the title field, and the entry, there; year, date, url and the rest were lost (a reader
took the entry for a title alone). The check below reads an entry as BibTeX does.
"""

import pytest

from archive.citation import CitationData, to_bibtex

FIELDS = {
    "author",
    "title",
    "year",
    "month",
    "date",
    "howpublished",
    "publisher",
    "url",
    "language",
    "note",
}


def braced(text: str, start: int) -> int:
    """The index after the brace that closes the one at ``start``, counting every brace as
    BibTeX does (a backslash does not escape one); ValueError when none closes it."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError(f"unbalanced braces from {start}: {text[start:]!r}")


def parse_entry(text: str) -> dict[str, str]:
    """The fields of the one ``@type{key, name = value, ...}`` entry in ``text``, read the way
    BibTeX reads them (values in braces or bare words); ValueError for anything else, such as
    text left over after the entry closed."""
    text = text.strip()
    if not text.startswith("@misc{"):
        raise ValueError(f"no entry: {text[:20]!r}")
    end = braced(text, len("@misc"))
    if text[end:].strip():
        raise ValueError(f"text after the entry closed: {text[end:]!r}")
    body = text[len("@misc{") : end - 1]
    key, _comma, rest = body.partition(",")
    fields, i = {}, 0
    while True:
        while i < len(rest) and rest[i] in " \n\t":
            i += 1
        if i >= len(rest):
            return fields
        name, equals, _ = rest[i:].partition("=")
        if not equals:
            raise ValueError(f"expected name = value: {rest[i:]!r}")
        name = name.strip()
        i += rest[i:].index("=") + 1
        while rest[i] == " ":
            i += 1
        if rest[i] == "{":
            j = braced(rest, i)
            value = rest[i + 1 : j - 1]
        else:
            j = i
            while j < len(rest) and rest[j] not in ",\n":
                j += 1
            value = rest[i:j].strip()
        if name in fields:
            raise ValueError(f"field {name} twice")
        fields[name] = value
        i = j
        while i < len(rest) and rest[i] in " \n\t":
            i += 1
        if i < len(rest) and rest[i] != ",":
            raise ValueError(f"expected a comma after {name}: {rest[i:]!r}")
        i += 1


def citation(title: str, series: str = "Förvaltningsdagarna", name: str = "Anna Berg"):
    return CitationData(
        title=title,
        authors=(name,),
        year=2024,
        month=3,
        day=1,
        url="https://arkiv.example/styrning/",
        slug="styrning",
        series=series,
        publisher="Seminariearkivet",
        language="sv",
        page_id=7,
    )


def test_the_check_reads_a_plain_entry():
    fields = parse_entry(to_bibtex(citation("Normal {balanced} title")))
    assert set(fields) == FIELDS
    assert fields["year"] == "2024" and fields["url"] == "https://arkiv.example/styrning/"
    with pytest.raises(ValueError):
        parse_entry("@misc{k,\n  title = {{a}}}, year = {1}\n}\n")


@pytest.mark.parametrize(
    "title, series, name",
    [
        ("Styrning}", "Förvaltningsdagarna", "Anna Berg"),
        ("{Styrning", "Förvaltningsdagarna", "Anna Berg"),
        ("Styrning\\}", "Serie } \\ med {", "Anna Berg"),
        ('a}}, url = {http://evil.example/}, x = "', "Serie", "Anna Berg"),
        ("Back\\slash \\{ och }{ \\\\", "\\", "Anna {Berg"),
        ("}}}}", "{{{{", "Berg}"),
    ],
)
def test_unbalanced_braces_and_backslashes_keep_every_field(title, series, name):
    entry = to_bibtex(citation(title, series, name))
    fields = parse_entry(entry)
    assert set(fields) == FIELDS, entry
    assert fields["year"] == "2024"
    assert fields["url"] == "https://arkiv.example/styrning/"
    assert "http://evil.example/" not in fields["url"]
    assert fields["title"].startswith("{") and fields["title"].endswith("}")
    assert r"\textbraceright{}" in entry or r"\textbraceleft{}" in entry


def test_the_braces_come_back_as_text_commands():
    fields = parse_entry(to_bibtex(citation("Styrning} och {ledning \\ x")))
    assert fields["title"] == (
        r"{Styrning\textbraceright{} och \textbraceleft{}ledning \textbackslash{} x}"
    )
