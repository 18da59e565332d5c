"""Markup variants: production's HTML is unknown, so the mock can render it in several styles.

A ``Variant`` is one choice per dimension. ``ALL_VARIANTS`` names a handful of combinations
that, together, use every value of every dimension at least once (what parametrised end-to-end
tests iterate over). ``parse_variant`` accepts such a name or a ``key=value,...`` spec.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Final

# Every dimension and its allowed values; the first value is the default.
DIMENSIONS: Final[dict[str, tuple[str, ...]]] = {
    # "window": an in-page dialog, an in-page window whose body is an iframe, or window.open().
    "windows": ("dialog", "iframe", "popup"),
    # The information message: an HTML box with OK, or the browser's native alert().
    "message": ("html", "alert"),
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
}


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


def parse_variant(spec: str) -> Variant:
    """A name from ALL_VARIANTS, or ``key=value,...`` over DIMENSIONS (missing keys: default)."""
    text = spec.strip()
    if not text:
        return DEFAULT_VARIANT
    if text in ALL_VARIANTS:
        return ALL_VARIANTS[text]
    if "=" not in text:
        raise ValueError(
            f"unknown variant {text!r}; use one of {', '.join(ALL_VARIANTS)} "
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
