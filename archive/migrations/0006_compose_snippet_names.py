"""Series, venue and speaker names saved decomposed (NFD, "A" + a combining ring for "Å", as
files and pastes from macOS have them) are stored composed (NFC), with their match keys, as
``NamedSnippet.save`` now does: the importer and the admin find them by name again. A name
that then matches another row's is left for an editor to merge (both stay)."""

import unicodedata

from django.db import migrations


def normalise_name(name: str) -> str:
    """``NamedSnippet.normalise_name`` as of this migration."""
    name = unicodedata.normalize("NFC", " ".join((name or "").split()))
    return unicodedata.normalize("NFC", name.casefold())


def compose(apps, schema_editor):
    for model_name in ("Series", "Venue", "Speaker"):
        model = apps.get_model("archive", model_name)
        for pk, name, key in model.objects.values_list("pk", "name", "name_key").iterator():
            composed = unicodedata.normalize("NFC", " ".join(name.split()))
            if composed != name or normalise_name(composed) != key:
                model.objects.filter(pk=pk).update(name=composed, name_key=normalise_name(composed))


class Migration(migrations.Migration):
    dependencies = [("archive", "0005_image_file_indexes")]

    operations = [migrations.RunPython(compose, migrations.RunPython.noop)]
