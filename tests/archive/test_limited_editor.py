"""An editor who may work in one archive only (editor review 3 and 4): the "Seminars missing
recordings" report lists, and exports, only the seminars they may edit, and "Import
announcement" offers only the archives they may add to, keeping the pasted text on a wrong
choice."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, PageViewRestriction
from wagtail.users.models import UserProfile

from archive.factories import SeminarIndexPageFactory, SeminarPageFactory
from archive.models import SeminarPage
from tests.archive.test_import_announcement import SESSION

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_b(archive_root):
    return SeminarIndexPageFactory(parent=Page.get_first_root_node(), title="Arkiv B")


def log_in(client, user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return user


@pytest.fixture
def bedit(client, archive_b):
    """May add, change and publish under "Arkiv B" only."""
    group = Group.objects.create(name="B-redaktörer")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=archive_b,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    user = get_user_model().objects.create_user("bedit", "b@example.se", "lösenord-123")
    user.groups.add(group)
    return log_in(client, user)


@pytest.fixture
def seminars(archive_root, archive_b):
    """Past seminars without any material: in the main archive a published one, a draft and a
    private one; in Arkiv B a draft."""
    SeminarPageFactory(parent=archive_root, title="Publicerat i huvudarkivet")
    SeminarPageFactory(parent=archive_root, title="Utkast i huvudarkivet", live=False)
    private = SeminarPageFactory(parent=archive_root, title="Leda med tillit")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    SeminarPageFactory(parent=archive_b, title="Utkast i arkiv B", live=False)


MAIN = {"Publicerat i huvudarkivet", "Utkast i huvudarkivet", "Leda med tillit"}
IN_B = {"Utkast i arkiv B"}


def listed(text):
    return {title for title in MAIN | IN_B if title in text}


def report(client, **params):
    return client.get(reverse("archive_report_missing_material"), params)


def test_the_missing_material_report_lists_only_seminars_the_user_may_edit(client, bedit, seminars):
    response = report(client)
    assert response.status_code == 200
    assert listed(response.content.decode()) == IN_B

    export = report(client, export="csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Utkast i arkiv B"]


def test_the_missing_material_report_lists_every_archive_to_a_superuser(client, seminars):
    log_in(client, get_user_model().objects.create_superuser("admin", "a@example.se", "x"))
    assert listed(report(client).content.decode()) == MAIN | IN_B


def test_import_offers_only_the_archives_the_user_may_add_to(
    client, bedit, archive_root, archive_b
):
    response = client.get(reverse("import_announcement:index"))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["parent"].queryset) == [archive_b]


def test_import_into_an_archive_the_user_may_not_add_to_keeps_the_text(
    client, bedit, archive_root, archive_b
):
    """It answered "no permission" on the dashboard and the pasted text was lost."""
    data = {"text": SESSION, "year": "2019", "parent": archive_root.pk, "source_url": ""}
    response = client.post(reverse("import_announcement:index"), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["parent"]
    # the editor reads the admin in English (log_in); the error is rendered in it
    assert "cannot add seminars to that archive" in response.content.decode()
    assert "Digitala arkiv i kommunen" in response.content.decode()  # the text is still there
    assert not SeminarPage.objects.exists()

    response = client.post(reverse("import_announcement:index"), {**data, "parent": archive_b.pk})
    assert response.status_code == 302
    assert SeminarPage.objects.get().get_parent().pk == archive_b.pk
