"""A fake camera for Chromium: a badge image turned into a Y4M video file (--use-file-for-fake-video-capture)."""
from pathlib import Path

from PIL import Image

FRAME = (960, 720)


def badge_video(badge_png: Path, out: Path) -> Path:
    """One 4:2:0 Y4M frame of the badge on a grey table, as a phone camera would hold it up (Chromium loops it)."""
    frame = Image.new("RGB", FRAME, (150, 150, 150))
    badge = Image.open(badge_png).convert("RGB")
    badge.thumbnail((FRAME[0] - 60, FRAME[1] - 60))
    frame.paste(badge, ((FRAME[0] - badge.width) // 2, (FRAME[1] - badge.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (FRAME[0] // 2, FRAME[1] // 2)
    with out.open("wb") as f:
        f.write(f"YUV4MPEG2 W{FRAME[0]} H{FRAME[1]} F10:1 Ip A1:1 C420jpeg\n".encode())
        f.write(b"FRAME\n")
        f.write(y.tobytes())
        f.write(cb.resize(half, Image.BILINEAR).tobytes())
        f.write(cr.resize(half, Image.BILINEAR).tobytes())
    return out
