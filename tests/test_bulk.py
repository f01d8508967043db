"""archive.bulk: many rows in one statement, refused as a whole when one is wrong."""

import pytest
from django.db import DatabaseError, connection, transaction

from archive.bulk import insert_rows, recordset
from archive.factories import SeminarPageFactory
from archive.models import Transcript, TranscriptSegment
from archive.transcript_store import SEGMENT_COLUMNS

pytestmark = pytest.mark.django_db

COLUMNS = SEGMENT_COLUMNS


@pytest.fixture
def transcript(archive_root):
    return Transcript.objects.create(seminar=SeminarPageFactory(parent=archive_root))


def test_rows_are_inserted_in_order_with_their_values(transcript):
    rows = [
        (transcript.pk, i, i + 0.5, i + 1.25, None, f"Talare {i}", f"text {i}", "")
        for i in range(300)
    ]
    insert_rows(TranscriptSegment, COLUMNS, rows)
    stored = list(
        TranscriptSegment.objects.order_by("id").values_list(
            *[c.removesuffix("_id") if c == "transcript_id" else c for c in COLUMNS]
        )
    )
    assert stored == rows


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite does not enforce a column's max_length",
)
def test_a_value_too_long_for_its_column_refuses_every_row(transcript):
    rows = [
        (transcript.pk, 0, 0.0, 1.0, None, "kort", "a", ""),
        (transcript.pk, 1, 1.0, 2.0, None, "x" * 256, "b", ""),
    ]
    with pytest.raises(DatabaseError, match="too long"), transaction.atomic():
        insert_rows(TranscriptSegment, COLUMNS, rows)
    assert not TranscriptSegment.objects.exists()


def test_extra_columns_need_one_value_per_row():
    with pytest.raises(ValueError, match="one value per row"):
        recordset(TranscriptSegment, ("text",), [("a",), ("b",)], extra={"more": ["x"]})
