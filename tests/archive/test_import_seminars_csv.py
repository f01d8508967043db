"""``import_seminars`` given a CSV file (editor review 10): one message saying CSV is not read,
not "invalid JSON" for every row."""

import pytest

from archive.models import SeminarPage
from tests.archive.test_import_seminars import run

pytestmark = pytest.mark.django_db

ROWS = "id,title,start\na1,Tillit i styrningen,2017-05-31T14:00\na2,Öppna data,2018-01-10T09:00\n"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("seminars.csv", ROWS),  # by its name
        ("seminars.txt", ROWS),  # by its header row
        ("seminars.jsonl", "\ufeffid;title;start\r\na1;Tillit;2017-05-31\r\n"),  # Excel's
        ("seminars.tsv", "id\ttitle\na1\tTillit\n"),
    ],
    ids=["csv-name", "header-row", "excel-semicolons", "tsv"],
)
def test_a_csv_file_gets_one_message_pointing_to_json_lines(archive_root, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out, err, error = run(path)
    assert error is not None
    message = str(error)
    assert "CSV" in message and "JSON Lines" in message and "docs/import-format.md" in message
    assert "invalid JSON" not in out + err + message
    assert not SeminarPage.objects.exists()


def test_a_json_lines_file_with_a_bad_line_is_still_read_as_json(archive_root, tmp_path):
    path = tmp_path / "seminars.jsonl"
    path.write_text('{"id": "a1", "title": "Tillit", "start": "2017-05-31T14:00"\n', "utf-8")
    out, err, error = run(path)
    assert "invalid JSON" in out + err and "CSV" not in str(error)
