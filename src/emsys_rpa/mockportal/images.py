"""Button and pager images, drawn as SVG data URIs (the mock serves no image files).

Legacy portals drew their buttons' text into the images (``input type=image``); the text a
program can read is then only in ``alt`` and ``title``.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Final

_ARROWS: Final = {
    # first, previous, next, last: a bar and/or a triangle on a 16×16 icon
    "first": '<rect x="3" y="3" width="2" height="10"/><path d="M13 3v10L6 8z"/>',
    "prev": '<path d="M11 3v10L4 8z"/>',
    "next": '<path d="M5 3v10l7-5z"/>',
    "last": '<path d="M3 3v10l7-5z"/><rect x="11" y="3" width="2" height="10"/>',
}


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def button_image(text: str) -> str:
    """A push button with ``text`` drawn in it (already localised: this is not HTML text)."""
    width = 18 + 7 * len(text)
    return _data_uri(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="22">'
        f'<rect x=".5" y=".5" width="{width - 1}" height="21" rx="2" fill="#e4eaf1" '
        'stroke="#7890a8"/><text x="50%" y="15" font-family="Verdana,sans-serif" font-size="11" '
        f'text-anchor="middle" fill="#000">{escape(text)}</text></svg>'
    )


def pager_icon(name: str) -> str:
    return _data_uri(
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" fill="#15395e">'
        f"{_ARROWS[name]}</svg>"
    )
