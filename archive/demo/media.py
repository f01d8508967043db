"""Files for the demo archive drawn in code: speaker portraits, short seminar videos and slide
PDFs. Only main dependencies (Pillow, PyAV, fpdf2): ``load_demo_data`` runs in a production
install, which has no test packages."""

from __future__ import annotations

import array
import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def make_pdf(pages: list[str], title: str = "Slides") -> bytes:
    """A real PDF with one page per string, each carrying that text (extractable by pypdf)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", format="A4")
    # The core fonts in Windows-1252 (WinAnsiEncoding): Swedish letters, and also the dashes
    # and quotation marks Swedish text uses ("1995–2025", ”citat”), which Latin-1 lacks.
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=15)
    for text in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=20)
        pdf.multi_cell(0, 12, text.encode("windows-1252", "replace").decode("windows-1252"))
    return bytes(pdf.output())


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.ImageFont:
    """A bold TrueType font when the system has one, else Pillow's built-in scalable font."""
    for path in FONT_CANDIDATES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def initials(name: str) -> str:
    """'Sara Nilsson Berg' -> 'SB': first letter of the first and the last name."""
    parts = [p for p in name.replace("-", " ").split() if p]
    if not parts:
        return "?"
    return (parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")).upper()


def _lighter(colour: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    return tuple(int(c + (255 - c) * amount) for c in colour)


def portrait_png(name: str, colour: tuple[int, int, int], size: int = 400) -> bytes:
    """A square portrait placeholder: a soft two-tone background with the person's initials."""
    img = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(img)
    draw.ellipse((size * 0.45, size * 0.45, size * 1.35, size * 1.35), fill=_lighter(colour, 0.15))
    draw.text(
        (size / 2, size / 2),
        initials(name),
        font=_font(int(size * 0.36)),
        fill=(255, 255, 255),
        anchor="mm",
    )
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def video_frame(title: str, subtitle: str, colour, t: float, width: int, height: int):
    img = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(img)
    # A bar that sweeps across the frame shows the video is playing.
    x = int((t % 4) / 4 * width)
    draw.rectangle((0, height - 10, x, height), fill=_lighter(colour, 0.6))
    draw.text(
        (width / 2, height * 0.42),
        title,
        font=_font(max(14, height // 14)),
        fill=(255, 255, 255),
        anchor="mm",
    )
    draw.text(
        (width / 2, height * 0.58),
        subtitle,
        font=_font(max(10, height // 24)),
        fill=_lighter(colour, 0.7),
        anchor="mm",
    )
    draw.text(
        (width - 16, 16),
        f"{int(t) // 60}:{int(t) % 60:02d}",
        font=_font(height // 20),
        fill=(255, 255, 255),
        anchor="ra",
    )
    return img


def poster_png(title: str, subtitle: str, colour, width: int, height: int) -> bytes:
    """The first frame of :func:`short_video_webm`, as the video's poster image."""
    buf = io.BytesIO()
    video_frame(title, subtitle, colour, 0, width, height).save(buf, "PNG")
    return buf.getvalue()


def short_video_webm(
    title: str,
    subtitle: str = "",
    colour=(30, 60, 100),
    seconds: int = 8,
    width: int = 640,
    height: int = 360,
    fps: int = 15,
) -> bytes:
    """A real WebM (VP8 video + Opus audio with a quiet 440 Hz tone) of ``seconds`` seconds."""
    import av

    buf = io.BytesIO()
    with av.open(buf, "w", format="webm") as out:
        # Realtime settings and one thread: about 10x faster than libvpx's defaults for
        # these flat frames, and no thread contention on a busy machine.
        video = out.add_stream(
            "libvpx", rate=fps, options={"deadline": "realtime", "cpu-used": "16", "b": "400k"}
        )
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.codec_context.thread_count = 1
        audio = out.add_stream("libopus", rate=48000, layout="mono")
        for i in range(seconds * fps):
            frame = av.VideoFrame.from_image(
                video_frame(title, subtitle, colour, i / fps, width, height)
            )
            out.mux(video.encode(frame))
        out.mux(video.encode())
        rate, chunk, pts = 48000, 960, 0
        for start in range(0, rate * seconds, chunk):
            samples = array.array(
                "f", (0.05 * math.sin(2 * math.pi * 440 * (start + j) / rate) for j in range(chunk))
            )
            frame = av.AudioFrame(format="flt", layout="mono", samples=chunk)
            frame.planes[0].update(samples.tobytes())
            frame.sample_rate, frame.pts = rate, pts
            pts += chunk
            out.mux(audio.encode(frame))
        out.mux(audio.encode())
    return buf.getvalue()
