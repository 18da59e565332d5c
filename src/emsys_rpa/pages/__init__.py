"""Playwright page objects for EMSYS Portal Administrator, found by visible text and role.

A page object holds a ``Finder`` (which searches every open window and frame) and builds its
``Target``s from the labels the clerks' manual names. ``SELECTOR_KEYS`` lists every
``[selectors]`` override they honour.
"""

from __future__ import annotations

from emsys_rpa.selector_keys import SELECTOR_KEYS

__all__ = ["SELECTOR_KEYS"]
