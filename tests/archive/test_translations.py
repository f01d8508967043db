"""The interface is Swedish by default and English under /en/, with every string translated."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

PO = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def po_entries(path: Path) -> list[dict]:
    """The entries of a PO file as {field: text, "flags": str} (enough for checking coverage)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {"flags": ""}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and key:
                entry[key] += json.loads(line)
            elif m := re.match(r"^(msg\w+(?:\[\d\])?) (\".*\")$", line):
                key = m.group(1)
                entry[key] = json.loads(m.group(2))
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def test_every_swedish_message_is_translated_and_none_is_fuzzy():
    entries = po_entries(PO)
    assert len(entries) > 100
    untranslated = [
        e["msgid"]
        for e in entries
        if "fuzzy" in e["flags"] or any(v == "" for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert untranslated == [], "run `make messages` and translate these"


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo must contain what the .po says (someone forgot compilemessages)."""
    entries = [e for e in po_entries(PO) if "msgstr" in e and "%" not in e["msgid"]]
    with translation.override("sv"):
        stale = [e["msgid"] for e in entries if gettext(e["msgid"]) != e["msgstr"]]
    assert stale == [], "run `manage.py compilemessages`"


def test_key_words_in_natural_swedish():
    with translation.override("sv"):
        assert gettext("Upcoming") == "Kommande"
        assert gettext("Speakers") == "Talare"
        assert gettext("Moderator") == "Moderator"
        assert gettext("Registration") == "Anmälan"
        assert gettext("Slides") == "Bildspel"
        assert gettext("Register by %(deadline)s.") % {"deadline": "1 maj"} == (
            "Anmäl dig senast 1 maj."
        )
        assert ngettext("%(counter)s page", "%(counter)s pages", 3) % {"counter": 3} == "3 sidor"


@pytest.mark.django_db
def test_language_switch_links_between_swedish_and_english(client, archive_root):
    swedish = client.get(archive_root.url).content.decode()
    assert '<html lang="sv">' in swedish and "Hoppa till innehållet" in swedish
    assert 'href="/en/"' in swedish
    english = client.get("/en/").content.decode()
    assert '<html lang="en">' in english and "Skip to content" in english
    assert 'href="/"' in english
