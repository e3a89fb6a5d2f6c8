"""Read a badge PDF back as a person would: its page size, and the QR code a scanner sees on it."""
import subprocess
from pathlib import Path


def pdf_page_size_mm(pdf: Path) -> tuple[float, float]:
    """Width and height of the first page in millimetres (pdfinfo)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    line = next(ln for ln in info.splitlines() if ln.startswith("Page size:"))
    w, _, h = line.split(":", 1)[1].split()[:3]
    return round(float(w) / 72 * 25.4, 1), round(float(h) / 72 * 25.4, 1)


def badge_png(pdf: Path, out_dir: Path, dpi: int = 300) -> Path:
    """The first page rendered to PNG by poppler."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(pdf), str(out_dir / "badge")], check=True)
    return out_dir / "badge.png"


def scanned_code(png: Path) -> str:
    """What zbarimg reads from the image's QR code."""
    return subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True,
                          check=True).stdout.strip()
