"""Markup variants: production's HTML is unknown, so the mock can render it in many styles.

A ``Variant`` is one choice per dimension. The first eight dimensions are the original ones;
``ALL_VARIANTS`` names six combinations of them that together use each of their original
values (``NAMED_COVERAGE``), with every later dimension at its default. The later dimensions
are the *widget zoo*: for each widget of the procedure (pager, Fundal checkbox, buttons, menu,
Perioada, windows, messages, login, history grid) several implementations that legacy ASP.NET
WebForms / Telerik portals really emit. The first value of a dimension is its default and
renders exactly the markup the mock had before the zoo existed.

``parse_variant`` accepts a name, a ``key=value,...`` spec, or ``random:SEED`` (one value per
dimension drawn by ``random.Random(SEED)``: the portal generator). ``Variant.spec`` is the
canonical ``key=value,...`` form of any variant and round-trips through ``parse_variant``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields, replace
from typing import Final

# Every dimension and its allowed values; the first value is the default.
DIMENSIONS: Final[dict[str, tuple[str, ...]]] = {
    # "window": an in-page dialog, an in-page window whose body is an iframe, window.open(), or
    # (popupnav) a popup whose first page navigates to the second window's page in the same
    # popup (alerts: "Alegere modalitate" replaces "Configurare"; nothing remains behind it).
    "windows": ("dialog", "iframe", "popup", "popupnav"),
    # The information message: an HTML box with OK, the browser's native alert(), an
    # auto-hiding toast without OK (RadNotification style), or the window's own content
    # replaced by the message and an OK that closes the window.
    "message": ("html", "alert", "toast", "replace"),
    # ș ț (comma below), ş ţ (cedilla), or plain ASCII everywhere.
    "diacritics": ("comma", "cedilla", "none"),
    # Partial updates (UpdatePanel-style) or full-page postbacks that replace the whole DOM.
    "updates": ("ajax", "postback"),
    # History grids newest first or oldest first.
    "order": ("newest", "oldest"),
    # Date-times shown with seconds or not.
    "seconds": ("no", "yes"),
    # A native confirm() before a send is executed.
    "confirm": ("no", "yes"),
    # <label for>/aria-label, or label text in an adjacent cell / bare text node.
    "labels": ("linked", "loose"),
    # -- the widget zoo ------------------------------------------------------------------------
    # History pager: gridview = « Prima ‹ Anterioară 1..10 Următoarea › Ultima »; numeric =
    # GridView Mode=Numeric (blocks of ten, a "..." link on both sides); dots = the same between
    # "<" and ">"; firstlast / symbols = NumericFirstLast with Prima/Ultima or a lone «/»
    # (» is "last"); nextro / nexten = previous/next words only; icons = image buttons named
    # only by alt/title around the numbers; goto = "Pagina [n] din N" + Mergi, with ‹ and ›.
    "pager": (
        "gridview",
        "numeric",
        "dots",
        "firstlast",
        "symbols",
        "nextro",
        "nexten",
        "icons",
        "goto",
    ),
    # Where the pager is: a last row of the grid, its first row, both, or a sibling div after it.
    "pagerpos": ("bottom", "top", "both", "outside"),
    # A page-size selector (10/20/50/100, "Toate" for small grids) beside the pager.
    "pagesize": ("no", "yes"),
    # Fundal: native (+ <label for> or bare text, as `labels`); wrapped in its <label>; text in
    # the next cell; sronly = visually hidden 1×1 input under a CSS-drawn <label for>;
    # opacity = transparent input over a drawn box; role = role=checkbox + aria-checked with an
    # accessible name; rolebare = the same without a name (text beside it); toggle = a button
    # with aria-pressed. The last three post a hidden ClientState field.
    "checkbox": ("native", "wrapped", "cell", "sronly", "opacity", "role", "rolebare", "toggle"),
    # Push buttons: native (input type=button, or LinkButton anchors with labels=loose);
    # <button>; input type=submit; input type=image named by alt/title (the text is drawn in the
    # image); ASP.NET LinkButton (href="javascript:__doPostBack(...)"); a clickable <span>.
    "buttons": ("native", "button", "submit", "image", "link", "span"),
    # The main menu opens on hover or click (both), on CSS hover only, on click with a slide
    # animation, or as a Telerik RadMenu (JavaScript hover with an expand delay and animation).
    "menu": ("both", "hover", "slide", "radmenu"),
    # Menu text as written, or shown in capitals by CSS text-transform (DOM text unchanged).
    "menucase": ("normal", "upper"),
    # Decoy menu entries whose text contains the wanted one ("Alerte SMS", "Istoric alerte"
    # before "Alerte"; "Retransmitere Facturi prin E-mail/SMS" before the real entry).
    "decoys": ("no", "yes"),
    # Perioada: dd/mm/yyyy text (lenient, as before); dd.mm.yyyy, yyyy-mm-dd or a
    # __/__/____ mask (all strict: another format is refused with a red message); or a
    # RadDatePicker (dd.mm.yyyy text box + calendar button + hidden companion holding the
    # ISO value, which is what the server reads).
    "dates": ("slash", "dot", "iso", "mask", "picker"),
    # Perioada labelled in its form row (as `labels`), or only by the boxes' placeholders.
    "datelabel": ("row", "placeholder"),
    # Perioada empty, or prefilled with a wrong period that must be replaced.
    "prefill": ("no", "yes"),
    # The windows' X is titled in Romanian ("Închide") or English ("Close", RadWindow's default).
    "closex": ("ro", "en"),
    # The windows' cancel button: Renunț, Renunță, Închide, or none (close with X / the browser).
    "cancel": ("renunt", "renunta", "inchide", "none"),
    # Login form: labels (as `labels`), placeholders only, a LinkButton, or no button (Enter).
    "login": ("labels", "placeholder", "link", "enter"),
    # History grid header: the GridView way (th in the first row of the body) or in a <thead>.
    "gridhead": ("plain", "thead"),
    # Full-width group rows ("Ziua 27/11/2026") between the rows of different days.
    "groups": ("no", "yes"),
    # extra: one more date-time column before the send date (Data generare / Data înregistrare).
    "datecols": ("std", "extra"),
    # xhr: the history grid shows "Se încarcă..." first and its rows arrive by XHR.
    "loading": ("no", "xhr"),
}

# The values the named variants (ALL_VARIANTS) were made to cover together; every other value
# is reached through a key=value spec or random:SEED.
NAMED_COVERAGE: Final[dict[str, tuple[str, ...]]] = {
    "windows": ("dialog", "iframe", "popup"),
    "message": ("html", "alert"),
    "diacritics": DIMENSIONS["diacritics"],
    "updates": DIMENSIONS["updates"],
    "order": DIMENSIONS["order"],
    "seconds": DIMENSIONS["seconds"],
    "confirm": DIMENSIONS["confirm"],
    "labels": DIMENSIONS["labels"],
}
RANDOM_PREFIX: Final = "random:"


@dataclass(frozen=True)
class Variant:
    windows: str = "dialog"
    message: str = "html"
    diacritics: str = "comma"
    updates: str = "ajax"
    order: str = "newest"
    seconds: str = "no"
    confirm: str = "no"
    labels: str = "linked"
    pager: str = "gridview"
    pagerpos: str = "bottom"
    pagesize: str = "no"
    checkbox: str = "native"
    buttons: str = "native"
    menu: str = "both"
    menucase: str = "normal"
    decoys: str = "no"
    dates: str = "slash"
    datelabel: str = "row"
    prefill: str = "no"
    closex: str = "ro"
    cancel: str = "renunt"
    login: str = "labels"
    gridhead: str = "plain"
    groups: str = "no"
    datecols: str = "std"
    loading: str = "no"

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            allowed = DIMENSIONS[f.name]
            if value not in allowed:
                raise ValueError(
                    f"variant {f.name}={value!r} is not valid; choose one of {', '.join(allowed)}"
                )

    @property
    def spec(self) -> str:
        """The canonical ``key=value,...`` form (round-trips through ``parse_variant``)."""
        return ",".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))

    @property
    def postback(self) -> bool:
        return self.updates == "postback"

    @property
    def with_seconds(self) -> bool:
        return self.seconds == "yes"

    @property
    def newest_first(self) -> bool:
        return self.order == "newest"

    @property
    def linked_labels(self) -> bool:
        return self.labels == "linked"

    def name(self) -> str | None:
        """The ALL_VARIANTS name of this combination, if it has one."""
        for key, value in ALL_VARIANTS.items():
            if value == self:
                return key
        return None

    def localise(self, text: str) -> str:
        """Apply this variant's diacritics style to text written with comma-below letters."""
        if self.diacritics == "cedilla":
            return text.translate(_TO_CEDILLA)
        if self.diacritics == "none":
            return text.translate(_TO_ASCII)
        return text


_TO_CEDILLA: Final = str.maketrans({"ș": "ş", "ț": "ţ", "Ș": "Ş", "Ț": "Ţ"})
_TO_ASCII: Final = str.maketrans(
    {
        "ă": "a",
        "â": "a",
        "î": "i",
        "ș": "s",
        "ş": "s",
        "ț": "t",
        "ţ": "t",
        "Ă": "A",
        "Â": "A",
        "Î": "I",
        "Ș": "S",
        "Ş": "S",
        "Ț": "T",
        "Ţ": "T",
    }
)

DEFAULT_VARIANT: Final = Variant()

ALL_VARIANTS: Final[dict[str, Variant]] = {
    "default": DEFAULT_VARIANT,
    "iframe-alert-cedilla": Variant(
        windows="iframe",
        message="alert",
        diacritics="cedilla",
        order="oldest",
        seconds="yes",
        confirm="yes",
        labels="loose",
    ),
    "popup-postback-oldest": Variant(
        windows="popup", diacritics="none", updates="postback", order="oldest"
    ),
    "dialog-postback-plain": Variant(
        message="alert",
        diacritics="none",
        updates="postback",
        seconds="yes",
        confirm="yes",
        labels="loose",
    ),
    "iframe-postback-cedilla": Variant(
        windows="iframe", diacritics="cedilla", updates="postback", labels="loose"
    ),
    "popup-alert-confirm": Variant(windows="popup", message="alert", seconds="yes", confirm="yes"),
}


def covering_variants() -> list[Variant]:
    """As few variants as the longest dimension has values, using every value of every dimension.

    Variant i takes value (i + k) mod n of the k-th dimension (n values), so each dimension
    cycles through its values with its own offset: every implementation meets several others.
    """
    count = max(len(values) for values in DIMENSIONS.values())
    return [
        Variant(
            **{
                key: values[(i + k) % len(values)]
                for k, (key, values) in enumerate(DIMENSIONS.items())
            }
        )
        for i in range(count)
    ]


def random_variant(seed: int) -> Variant:
    """One value per dimension, drawn in DIMENSIONS order: the same seed, the same portal."""
    rng = random.Random(seed)
    return Variant(**{key: rng.choice(values) for key, values in DIMENSIONS.items()})


def parse_variant(spec: str) -> Variant:
    """A name from ALL_VARIANTS, ``random:SEED``, or ``key=value,...`` over DIMENSIONS
    (missing keys: default)."""
    text = spec.strip()
    if not text:
        return DEFAULT_VARIANT
    if text in ALL_VARIANTS:
        return ALL_VARIANTS[text]
    if text.lower().startswith(RANDOM_PREFIX):
        seed = text[len(RANDOM_PREFIX) :].strip()
        if not seed.lstrip("-").isdigit():
            raise ValueError(f"random variant needs an integer seed, like random:42 (not {text!r})")
        return random_variant(int(seed))
    if "=" not in text:
        raise ValueError(
            f"unknown variant {text!r}; use one of {', '.join(ALL_VARIANTS)}, random:SEED "
            f"or key=value pairs over {_describe_dimensions()}"
        )
    chosen: dict[str, str] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip().lower(), value.strip().lower()
        if not sep or key not in DIMENSIONS:
            raise ValueError(
                f"unknown variant key in {part!r}; valid keys and values: {_describe_dimensions()}"
            )
        if value not in DIMENSIONS[key]:
            raise ValueError(
                f"variant {key}={value!r} is not valid; choose one of {', '.join(DIMENSIONS[key])}"
            )
        chosen[key] = value
    return replace(DEFAULT_VARIANT, **chosen)


def _describe_dimensions() -> str:
    return "; ".join(f"{key}={'|'.join(values)}" for key, values in DIMENSIONS.items())
