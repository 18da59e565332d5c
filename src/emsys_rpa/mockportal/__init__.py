"""A stand-in for EMSYS Portal Administrator: a small legacy web application (Starlette + Jinja2
+ SQLite) that follows the clerks' manual screen by screen, in several markup variants and with
injectable faults. The robot never imports this package; tests, ``emsys-rpa demo`` and
``emsys-rpa mock-portal`` do.

    from emsys_rpa.mockportal import MockPortalOptions, parse_variant, running_mock_portal
    with running_mock_portal(MockPortalOptions(variant=parse_variant("windows=iframe"))) as portal:
        portal.url, portal.username, portal.password, portal.ledger(), portal.requests()
"""

from __future__ import annotations

from emsys_rpa.mockportal.faults import Faults, parse_faults
from emsys_rpa.mockportal.server import MockPortal, MockPortalOptions, running_mock_portal
from emsys_rpa.mockportal.variants import ALL_VARIANTS, DIMENSIONS, Variant, parse_variant

__all__ = [
    "ALL_VARIANTS",
    "DIMENSIONS",
    "Faults",
    "MockPortal",
    "MockPortalOptions",
    "Variant",
    "parse_faults",
    "parse_variant",
    "running_mock_portal",
]
