"""Check-in QR codes: encoded once by segno with a fixed mask, drawn as one path of merged module runs.

Measured (bench/, PERFORMANCE.md): reportlab's QrCodeWidget encodes twice and builds one shape per
module; segno with automatic mask selection spends most of its time trying all eight masks. A fixed
mask is still a valid QR symbol (every reader decodes it), and one fill of horizontal runs is the
least the PDF needs to say.
"""
from __future__ import annotations

import re

import segno

QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 requires
_MASK = 0  # any of the eight masks decodes; fixing it skips the penalty scoring
_DARK_RUN = re.compile(rb"\x01+")
# Rows overlap by this fraction of a module so no hairline seam shows between them when rasterised.
_SEAM = 0.02


def qr_matrix(data: str) -> tuple[bytearray, ...]:
    """The module matrix (rows of 0/1 bytes, no quiet zone) for data at error level M, fixed mask."""
    return segno.make_qr(data, error="m", mask=_MASK, boost_error=False).matrix


def modules_across(data: str) -> int:
    """Width of the symbol in modules including the quiet zone."""
    return len(qr_matrix(data)) + 2 * QUIET_ZONE


def qr_operators(matrix, x: float, y: float, size: float, *, quiet_zone: int = QUIET_ZONE) -> str:
    """PDF path operators filling the dark modules of matrix in a size x size square at (x, y)."""
    n = len(matrix)
    m = size / (n + 2 * quiet_zone)
    # One transform to module units, then small integers: cheaper to format and to parse.
    ops = [f"q {m:.4f} 0 0 {m:.4f} {x + quiet_zone * m:.3f} {y + quiet_zone * m:.3f} cm"]
    append = ops.append
    h = f"{1 + _SEAM:g} re"
    for r, row in enumerate(matrix):
        ry = n - 1 - r
        for match in _DARK_RUN.finditer(bytes(row)):
            start, end = match.span()
            append(f"{start} {ry} {end - start} {h}")
    append("f Q")
    return "\n".join(ops)


def draw_qr(canv, data: str, x: float, y: float, size: float, *, quiet_zone: int = QUIET_ZONE) -> None:
    """Draw the QR code for data as a size x size square (quiet zone included, painted white) at (x, y)."""
    canv.saveState()
    canv.setFillColorRGB(1, 1, 1)
    canv.rect(x, y, size, size, stroke=0, fill=1)
    canv.setFillColorRGB(0, 0, 0)
    canv.addLiteral(qr_operators(qr_matrix(data), x, y, size, quiet_zone=quiet_zone))
    canv.restoreState()
