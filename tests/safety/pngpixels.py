"""Just enough PNG decoding to count pixels of one colour (no imaging library needed).

Screenshots are compressed, so searching their bytes for a password proves nothing; what can
be proven is that the password field was painted over (Playwright's mask) when it was taken.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {2: 3, 6: 4}  # colour type → bytes per pixel (8-bit RGB, RGBA)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def rows(path: Path) -> tuple[int, list[bytes]]:
    """(bytes per pixel, unfiltered scanlines) of an 8-bit, non-interlaced RGB(A) PNG."""
    data = path.read_bytes()
    assert data.startswith(_SIGNATURE), f"{path} is not a PNG"
    pos, idat = len(_SIGNATURE), bytearray()
    width = height = bpp = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in _CHANNELS and not interlace, (depth, colour)
            bpp = _CHANNELS[colour]
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(bytes(idat))
    stride = width * bpp
    lines: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        method, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            if method == 1:
                line[i] = (line[i] + left) & 0xFF
            elif method == 2:
                line[i] = (line[i] + up) & 0xFF
            elif method == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif method == 4:
                line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
        lines.append(bytes(line))
        previous = line
    return bpp, lines


def count_colour(path: Path, rgb: tuple[int, int, int]) -> int:
    """How many pixels of ``path`` are exactly ``rgb``."""
    bpp, lines = rows(path)
    wanted = bytes(rgb)
    return sum(line[i : i + 3] == wanted for line in lines for i in range(0, len(line), bpp))
