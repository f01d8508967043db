"""Names saved decomposed before names were composed (NFC) are composed by a data migration, so
the importer and the admin find "Åsa Öberg" by name again (the import review made a second
speaker of the same name from a file written on macOS)."""

import importlib
import unicodedata

from django.apps import apps

from archive.models import Speaker, Venue

migration = importlib.import_module("archive.migrations.0006_compose_snippet_names")


def test_decomposed_names_and_keys_are_composed(db):
    decomposed = unicodedata.normalize("NFD", "Åsa Öberg")
    speaker = Speaker.objects.create(name="x")
    Speaker.objects.filter(pk=speaker.pk).update(name=decomposed, name_key=decomposed.lower())
    venue = Venue.objects.create(name="Kulturhuset")
    migration.compose(apps, None)
    speaker.refresh_from_db()
    assert speaker.name == "Åsa Öberg" and unicodedata.is_normalized("NFC", speaker.name)
    assert speaker.name_key == Speaker.normalise_name("Åsa Öberg") == "åsa öberg"
    assert Venue.objects.get(pk=venue.pk).name == "Kulturhuset"  # untouched
