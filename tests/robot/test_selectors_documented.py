"""Every locator can be overridden from [selectors], and every key is documented."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import emsys_rpa.pages
from emsys_rpa.pages import SELECTOR_KEYS
from emsys_rpa.pages.locate import Target

CONFIG = Path(__file__).resolve().parents[2] / "config.example.toml"
GRID_SUFFIXES = ("table", "date_header", "next_page", "prev_page", "last_page")
# Keys read directly rather than through a Target.
DIRECT_KEYS = {"window_close"}


def _targets() -> set[str]:
    keys: set[str] = set()
    for module in pkgutil.iter_modules(emsys_rpa.pages.__path__):
        loaded = importlib.import_module(f"emsys_rpa.pages.{module.name}")
        keys |= {v.key for v in vars(loaded).values() if isinstance(v, Target)}
    return keys


def test_every_target_has_a_documented_key() -> None:
    grid_keys = {
        f"{grid}_{suffix}"
        for grid in ("alerts_history", "invoices_history")
        for suffix in GRID_SUFFIXES
    }
    assert _targets() | grid_keys | DIRECT_KEYS == set(SELECTOR_KEYS)


def test_config_example_documents_every_key_with_its_default() -> None:
    text = CONFIG.read_text("utf-8")
    selectors = text[text.index("[selectors]") :]
    for key, default in SELECTOR_KEYS.items():
        assert re.search(rf"^# {key} = ", selectors, re.M), key
        assert f"#   default: {default}" in selectors, key
