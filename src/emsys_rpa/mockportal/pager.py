"""The history grids' pagers, one per ``pager`` variant, as a list of controls to draw.

They follow what ASP.NET GridView (``PagerSettings.Mode``: Numeric, NumericFirstLast,
NextPrevious) and Telerik RadGrid (image buttons, "Page X of Y", a page-size combo) emit.
GridView's numeric modes show the current block of ten page numbers with a ``...`` link on
either side that jumps to the neighbouring block: from pages 1-10 the right ``...`` goes to
11; from 11-20 the left one goes to 10 and the right one to 21.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from markupsafe import Markup

BLOCK: Final = 10
PAGE_SIZES: Final = (10, 20, 50, 100)
# "Toate" (all rows on one page) is only offered for grids this small.
ALL_ROWS_LIMIT: Final = 2000

_WORDS: Final = {
    "nextro": ("Pagina anterioară", "Pagina următoare"),
    "nexten": ("Previous", "Next"),
}
_ENDS: Final = {"firstlast": ("Prima", "Ultima"), "symbols": ("«", "»")}
# Image buttons (pager=icons): name -> alt/title, as a localised RadGrid pager has them.
ICON_TITLES: Final = {
    "first": "Prima pagină",
    "prev": "Pagina anterioară",
    "next": "Pagina următoare",
    "last": "Ultima pagină",
}


@dataclass(frozen=True)
class PagerControl:
    """One thing in a pager, drawn by the template according to ``kind``."""

    kind: str  # link | current | icon (image button) | goto (page box + Mergi) | info (text)
    text: str = ""
    argument: str | None = None  # the __doPostBack argument of a link or an icon
    icon: str | None = None  # first/prev/next/last (kind=icon)
    disabled: bool = False


def _link(text: str, argument: str) -> PagerControl:
    return PagerControl("link", text, argument)


def block_bounds(page: int, pages: int) -> tuple[int, int]:
    """The first and last page number of the block of ten that holds ``page``."""
    first = (page - 1) // BLOCK * BLOCK + 1
    return first, min(pages, first + BLOCK - 1)


def numeric_block(page: int, pages: int) -> list[PagerControl]:
    """``...`` numbers ``...`` as GridView's Numeric mode draws them."""
    first, last = block_bounds(page, pages)
    controls: list[PagerControl] = []
    if first > 1:
        controls.append(_link("...", f"Page${first - 1}"))
    controls += [_number(n, page) for n in range(first, last + 1)]
    if last < pages:
        controls.append(_link("...", f"Page${last + 1}"))
    return controls


def _number(number: int, page: int) -> PagerControl:
    if number == page:
        return PagerControl("current", str(number))
    return _link(str(number), f"Page${number}")


def pager_controls(
    style: str, *, page: int, pages: int, total: int, size: int
) -> list[PagerControl]:
    """The controls of a pager in ``style``, left to right (``size``: rows per page)."""
    if style == "gridview":
        # The mock's historic pager: ten numbers around the current page, words with arrows.
        first = max(1, min(page - 4, pages - 9))
        return [
            *([_link(Markup("&laquo; Prima"), "Page$First"),
               _link(Markup("&lsaquo; Anterioară"), f"Page${page - 1}")] if page > 1 else []),
            *(_number(n, page) for n in range(first, min(pages, first + 9) + 1)),
            *([_link(Markup("Următoarea &rsaquo;"), f"Page${page + 1}"),
               _link(Markup("Ultima &raquo;"), "Page$Last")] if page < pages else []),
            PagerControl("info", f"Pagina {page} din {pages} ({total} înregistrări)"),
        ]  # fmt: skip
    if style == "numeric":
        return numeric_block(page, pages)
    if style == "dots":
        return [
            *([_link("<", f"Page${page - 1}")] if page > 1 else []),
            *numeric_block(page, pages),
            *([_link(">", f"Page${page + 1}")] if page < pages else []),
        ]
    if style in _ENDS:
        first_text, last_text = _ENDS[style]
        first, last = block_bounds(page, pages)
        return [
            *([_link(first_text, "Page$First")] if first > 1 else []),
            *numeric_block(page, pages),
            *([_link(last_text, "Page$Last")] if last < pages else []),
        ]
    if style in _WORDS:
        previous, following = _WORDS[style]
        return [
            *([_link(previous, f"Page${page - 1}")] if page > 1 else []),
            *([_link(following, f"Page${page + 1}")] if page < pages else []),
        ]
    if style == "icons":
        at_start, at_end = page <= 1, page >= pages
        low, high = min(total, (page - 1) * size + 1), min(total, page * size)
        return [
            PagerControl("icon", "", "Page$First", "first", at_start),
            PagerControl("icon", "", f"Page${page - 1}", "prev", at_start),
            *numeric_block(page, pages),
            PagerControl("icon", "", f"Page${page + 1}", "next", at_end),
            PagerControl("icon", "", "Page$Last", "last", at_end),
            PagerControl(
                "info", f"Pagina {page} din {pages}, înregistrările {low} - {high} din {total}"
            ),
        ]
    if style == "goto":
        return [
            *([_link("‹", f"Page${page - 1}")] if page > 1 else []),
            PagerControl("goto", str(pages)),
            *([_link("›", f"Page${page + 1}")] if page < pages else []),
            PagerControl("info", f"({total} înregistrări)"),
        ]
    raise ValueError(f"no pager style {style!r}")


def page_size_options(total: int) -> list[tuple[int, str]]:
    """(value, text) of the page-size selector; 0 means every row on one page."""
    options = [(size, str(size)) for size in PAGE_SIZES]
    if total <= ALL_ROWS_LIMIT:
        options.append((0, "Toate"))
    return options


def effective_page_size(requested: int, total: int, default: int) -> int:
    """Rows per page for a requested size (0: all rows, for grids that offer it)."""
    if requested == 0 and total <= ALL_ROWS_LIMIT:
        return max(1, total)
    return requested if requested in PAGE_SIZES else default
