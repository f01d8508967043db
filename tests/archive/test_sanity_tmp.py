import datetime as dt

import pytest
from django.utils import timezone

from archive.factories import SeminarPageFactory, SeminarSpeakerFactory, SpeakerFactory


@pytest.mark.django_db
def test_render(client, archive_root):
    s = SeminarPageFactory(parent=archive_root, title="Tillit i styrningen")
    SeminarSpeakerFactory(page=s, speaker=SpeakerFactory(name="Åsa Öberg"))
    r = client.get(s.url)
    assert r.status_code == 200, r.content[:2000]
    assert "Åsa Öberg" in r.content.decode()
    r = client.get(archive_root.url)
    assert "Tillit i styrningen" in r.content.decode()
    r = client.get("/en" + archive_root.url)
    assert r.status_code == 200
    r = client.get("/talare/" + s.seminar_speakers.first().speaker.slug + "/")
    assert r.status_code == 200 and "Tillit i styrningen" in r.content.decode()
    r = client.get("/en/speakers/" + s.seminar_speakers.first().speaker.slug + "/")
    assert r.status_code == 200
