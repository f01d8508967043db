"""Whether an uploaded or imported file is a recording, read from its bytes with PyAV.

A file's name says nothing: a PNG renamed ``film.webm`` or a text file called ``film.mp4``
once became a seminar's "video". FFmpeg opens images and even text (its ``image2`` and
``tty`` demuxers), so opening is not enough: the container must be a real audio or video
format and hold a stream of the wanted kind.
"""

from __future__ import annotations

#: FFmpeg demuxers that read pictures or text, not recordings.
NOT_RECORDINGS = {"image2", "tty", "gif", "apng", "lavfi", "txt", "ansi", "bin", "xbin", "idf"}


def probe_media(source, kind: str = "video") -> float | None:
    """The length in seconds of the recording ``source`` (a path or a seekable file), None when
    its container does not say; ValueError saying why it is not a ``kind`` ("video" or
    "audio") recording."""
    import av

    if hasattr(source, "seek"):
        source.seek(0)
    try:
        with av.open(source if hasattr(source, "read") else str(source)) as container:
            names = set(container.format.name.split(","))
            if names & NOT_RECORDINGS or any(name.endswith("_pipe") for name in names):
                raise ValueError(
                    f"it is a picture or text ({container.format.long_name}), not a recording"
                )
            streams = container.streams.audio if kind == "audio" else container.streams.video
            if not streams:
                raise ValueError(f"it has no {kind} stream")
            if container.duration:
                return round(container.duration / av.time_base, 3)
            stream = streams[0]
            if stream.duration and stream.time_base:
                return round(float(stream.duration * stream.time_base), 3)
            return None
    except av.FFmpegError as exc:
        # "Invalid data found when processing input", without FFmpeg's error number and path
        raise ValueError(getattr(exc, "strerror", None) or str(exc)) from exc
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
