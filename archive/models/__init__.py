from archive.models.documents import ArchiveDocument, DocumentPage
from archive.models.pages import (
    SeminarFormat,
    SeminarIndexPage,
    SeminarPage,
    SeminarRelation,
    SeminarSlide,
    SeminarSpeaker,
    SeminarTopic,
    SpeakerRole,
    TalkLanguage,
    public_seminars,
    public_series,
    public_speakers,
    public_topics,
    with_card_data,
)
from archive.models.snippets import Series, Speaker, Venue
from archive.models.transcripts import Transcript, TranscriptSegment

__all__ = [
    "ArchiveDocument",
    "DocumentPage",
    "SeminarFormat",
    "SeminarIndexPage",
    "SeminarPage",
    "SeminarRelation",
    "SeminarSlide",
    "SeminarSpeaker",
    "SeminarTopic",
    "Series",
    "Speaker",
    "SpeakerRole",
    "TalkLanguage",
    "Transcript",
    "TranscriptSegment",
    "Venue",
    "public_seminars",
    "public_series",
    "public_speakers",
    "public_topics",
    "with_card_data",
]
