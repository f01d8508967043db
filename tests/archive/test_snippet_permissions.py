"""Wagtail's default groups manage speakers, series and venues (review "admin", defect 2):
Editors and Moderators add and change them, only Moderators delete them. Migration
``archive/0007_snippet_permissions_for_editors`` grants this; the test database is migrated from
scratch, as a fresh install is."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from archive.factories import SpeakerFactory
from archive.models import Series, Speaker, Venue

pytestmark = pytest.mark.django_db

MODELS = {"speaker": Speaker, "series": Series, "venue": Venue}


def archive_permissions(group_name: str) -> set[str]:
    return set(
        Group.objects.get(name=group_name)
        .permissions.filter(content_type__app_label="archive")
        .values_list("codename", flat=True)
    )


def member(django_user_model, username: str, group: str):
    user = django_user_model.objects.create_user(username, password="x")
    user.groups.add(Group.objects.get(name=group))
    return user


def snippet_url(model_name: str, action: str, *args) -> str:
    return reverse(f"wagtailsnippets_archive_{model_name}:{action}", args=args)


def test_a_fresh_database_gives_editors_add_and_change_and_moderators_delete_too():
    expected = {f"{a}_{m}" for m in MODELS for a in ("add", "change")}
    assert archive_permissions("Editors") == expected
    assert archive_permissions("Moderators") == expected | {f"delete_{m}" for m in MODELS}


@pytest.mark.parametrize("model_name", MODELS)
def test_an_editor_finds_adds_and_changes_but_does_not_delete(
    client, django_user_model, model_name
):
    client.force_login(member(django_user_model, "redaktor", "Editors"))
    model = MODELS[model_name]

    # The listing answers (it redirected to the dashboard) and the admin menu links to it.
    assert client.get(snippet_url(model_name, "list")).status_code == 200
    assert (
        snippet_url(model_name, "list") in client.get(reverse("wagtailadmin_home")).content.decode()
    )

    response = client.post(snippet_url(model_name, "add"), {"name": "Åsa  Öberg", "slug": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = model.objects.get(name="Åsa Öberg")

    response = client.post(snippet_url(model_name, "edit", row.pk), {"name": "Åsa Öberg-Lind"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.name == "Åsa Öberg-Lind"

    # Deleting is for moderators: Wagtail answers with the dashboard, and the row stays.
    response = client.post(snippet_url(model_name, "delete", row.pk))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert model.objects.filter(pk=row.pk).exists()


def test_a_moderator_deletes_a_speaker(client, django_user_model):
    client.force_login(member(django_user_model, "moderator", "Moderators"))
    speaker = SpeakerFactory(name="Bo Berg")
    response = client.post(snippet_url("speaker", "delete", speaker.pk))
    assert response.status_code == 302 and response.url == snippet_url("speaker", "list")
    assert not Speaker.objects.filter(pk=speaker.pk).exists()


def test_the_migration_grants_only_to_groups_that_exist_and_may_run_again():
    Group.objects.get(name="Editors").delete()
    moderators = Group.objects.get(name="Moderators")
    moderators.permissions.remove(*Permission.objects.filter(content_type__app_label="archive"))
    kept = Permission.objects.get(codename="add_image")
    assert kept in moderators.permissions.all()

    migration = importlib.import_module("archive.migrations.0007_snippet_permissions_for_editors")
    migration.grant(apps, None)
    migration.grant(apps, None)  # a second run changes nothing

    assert not Group.objects.filter(name="Editors").exists()  # no group is created
    assert len(archive_permissions("Moderators")) == 9
    assert kept in moderators.permissions.all()  # other permissions are left alone
    assert Permission.objects.filter(codename="add_speaker").count() == 1
