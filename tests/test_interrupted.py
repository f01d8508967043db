"""Nothing lost: an import killed half-way leaves only whole seminars behind.

A real interruption: ``import_seminars`` runs in its own process against a database file and is
killed with SIGKILL while it writes. Every seminar that exists afterwards must be complete (its
speakers, transcript and every segment), the database must pass SQLite's integrity check, and
re-running the import must finish the job.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEGMENTS = 200
SEMINARS = 60


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        **kwargs,
    )


def write_import_file(path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(SEMINARS):
            record = {
                "id": f"avbruten-{i:03d}",
                "title": f"Avbruten import {i}",
                "start": f"2019-03-{1 + i % 28:02d}T09:00",
                "speakers": [{"name": f"Talare {i % 7}", "role": "speaker"}],
                "transcript": [
                    {
                        "start": s * 4.0,
                        "end": s * 4.0 + 3.5,
                        "speaker": f"Talare {i % 7}",
                        "text": f"Mening nummer {s} om styrning och tillit.",
                    }
                    for s in range(SEGMENTS)
                ],
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def seminar_state(db: Path) -> dict[str, tuple[int, int]]:
    """slug -> (speakers, transcript segments) for every seminar page in the database."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = con.execute(
            "SELECT p.slug, "
            " (SELECT COUNT(*) FROM archive_seminarspeaker s WHERE s.page_id = p.id), "
            " (SELECT COUNT(*) FROM archive_transcriptsegment g "
            "   JOIN archive_transcript t ON g.transcript_id = t.id "
            "   WHERE t.seminar_id = p.id) "
            "FROM wagtailcore_page p JOIN archive_seminarpage sp ON sp.page_ptr_id = p.id"
        ).fetchall()
    finally:
        con.close()
    return {slug: (speakers, segments) for slug, speakers, segments in rows}


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_import_killed_half_way_leaves_only_whole_seminars(tmp_path):
    db = tmp_path / "archive.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{db}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "ELASTICSEARCH_URL": "",
    }
    assert manage(env, "migrate", "--noinput").returncode == 0
    setup = manage(
        env,
        "shell",
        "-c",
        (
            "from wagtail.models import Page, Site\n"
            "from archive.models import SeminarIndexPage\n"
            "root = Page.get_first_root_node()\n"
            "index = root.add_child(\n"
            "    instance=SeminarIndexPage(title='Seminarier', slug='seminarier'))\n"
            "Site.objects.update_or_create(\n"
            "    is_default_site=True, defaults={'hostname': 'localhost', 'root_page': index})\n"
        ),
    )
    assert setup.returncode == 0, setup.stderr
    data = tmp_path / "seminars.jsonl"
    write_import_file(data)

    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_seminars", str(data)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Kill it once some seminars are in, while it is writing more.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.3)
        try:
            done = len(seminar_state(db))
        except sqlite3.OperationalError:  # busy writer: look again
            continue
        if done >= 3:
            break
    assert process.poll() is None, "the import finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait(30)

    state = seminar_state(db)
    assert 3 <= len(state) < SEMINARS
    partial = {slug: counts for slug, counts in state.items() if counts != (1, SEGMENTS)}
    assert partial == {}, f"half-written seminars after the kill: {partial}"

    # Running the import again with --update completes the archive without duplicates.
    again = manage(env, "import_seminars", str(data), "--update")
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    state = seminar_state(db)
    assert len(state) == SEMINARS
    assert set(state.values()) == {(1, SEGMENTS)}
