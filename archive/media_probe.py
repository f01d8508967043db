"""Whether an uploaded or imported file is a recording, read from its bytes with PyAV.

A file's name says nothing: a PNG renamed ``film.webm`` or a text file called ``film.mp4``
once became a seminar's "video". FFmpeg opens images and even text (its ``image2`` and
``tty`` demuxers), so opening is not enough: the container must be a real audio or video
format and hold a stream of the wanted kind.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

#: FFmpeg demuxers that read pictures or text, not recordings.
NOT_RECORDINGS = {"image2", "tty", "gif", "apng", "lavfi", "txt", "ansi", "bin", "xbin", "idf"}


class NotARecording(ValueError):
    """Why a file is not a recording of the wanted kind.

    ``reason`` says it to an editor, translated into the active language when shown; ``str()``
    is the technical detail in English (FFmpeg's own words), for logs and the command-line
    importer."""

    def __init__(self, detail: str, reason):
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class Recording:
    """What probing found: the length in seconds and, for a video, its size in pixels; each
    None when the file does not say."""

    duration: float | None = None
    width: int | None = None
    height: int | None = None


def probe_recording(source, kind: str = "video") -> Recording:
    """The length (and for a video the size) of the recording ``source``, a path or a seekable
    file; :class:`NotARecording` saying why it is not a ``kind`` ("video" or "audio")
    recording."""
    import av

    if hasattr(source, "seek"):
        source.seek(0)
    try:
        with av.open(source if hasattr(source, "read") else str(source)) as container:
            names = set(container.format.name.split(","))
            if names & NOT_RECORDINGS or any(name.endswith("_pipe") for name in names):
                raise NotARecording(
                    f"it is a picture or text ({container.format.long_name}), not a recording",
                    _("it is an image or a text file, not a recording"),
                )
            streams = container.streams.audio if kind == "audio" else container.streams.video
            if not streams:
                raise NotARecording(
                    f"it has no {kind} stream",
                    _("it contains no sound") if kind == "audio" else _("it contains no video"),
                )
            stream = streams[0]
            duration = None
            if container.duration:
                duration = round(container.duration / av.time_base, 3)
            elif stream.duration and stream.time_base:
                duration = round(float(stream.duration * stream.time_base), 3)
            if kind == "audio":
                return Recording(duration)
            return Recording(duration, stream.width or None, stream.height or None)
    except av.FFmpegError as exc:
        # "Invalid data found when processing input", without FFmpeg's error number and path
        detail = getattr(exc, "strerror", None) or str(exc)
        logger.info("Not a %s recording: %s", kind, detail)
        raise NotARecording(
            detail, _("the file is damaged or in a format that cannot be read")
        ) from exc
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def probe_media(source, kind: str = "video") -> float | None:
    """The length in seconds of the recording ``source`` (a path or a seekable file), None when
    its container does not say; :class:`NotARecording` (a ValueError) saying why it is not a
    ``kind`` ("video" or "audio") recording."""
    return probe_recording(source, kind).duration
