"""Wagtail's default groups may manage the archive's speakers, series and venues.

Editors announce seminars, and a new seminar often has a new speaker, series or venue; a speaker's
title, photo or family name (used in citations) needs correcting. Without these permissions the
groups had no *Archive* menu, and the choosers in the seminar editor offered no "create".

- "Editors" and "Moderators": add and change speakers, series and venues.
- "Moderators" only: delete them as well. Deleting a series or venue clears it from every seminar
  that uses it, at once and on live pages too, and a deleted speaker cannot be restored; so it
  stays with the group that may publish (the group that approves what goes live), as Wagtail gives
  publishing to Moderators and not to Editors. Editors who made a duplicate ask a moderator.

Only groups that exist get permissions (a site that renamed or removed Wagtail's default groups
gets nothing, and no group is created). Permissions added by hand are kept. Reversing removes
nothing: an administrator may have granted the same permissions on purpose since.

The permissions (and their content types) are created here when missing, as Wagtail's own data
migrations do, because Django creates them only after the last migration of a fresh ``migrate``.
"""

from django.db import migrations

MODELS = ("speaker", "series", "venue")
GRANTS = {
    "Editors": ("add", "change"),
    "Moderators": ("add", "change", "delete"),
}


def permission(apps, model_name: str, action: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    model = apps.get_model("archive", model_name)
    content_type, _created = ContentType.objects.get_or_create(
        app_label="archive", model=model_name
    )
    perm, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_{model_name}",
        # As django.contrib.auth names it, so post_migrate finds it and adds no other.
        defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"},
    )
    return perm


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.add(
            *(
                permission(apps, model_name, action)
                for model_name in MODELS
                for action in GRANTS[group.name]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0006_compose_snippet_names"),
        ("contenttypes", "0002_remove_content_type_name"),
        # Wagtail's initial data creates the "Editors" and "Moderators" groups.
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
