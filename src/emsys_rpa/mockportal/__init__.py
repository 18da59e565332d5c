"""A stand-in for EMSYS Portal Administrator: a small legacy web application (Starlette + Jinja2
+ SQLite) that follows the clerks' manual screen by screen, in several markup variants and with
injectable faults. The robot never imports this package; tests, ``emsys-rpa demo`` and
``emsys-rpa mock-portal`` do.

    from emsys_rpa.mockportal import MockPortalOptions, parse_variant, running_mock_portal
    with running_mock_portal(MockPortalOptions(variant=parse_variant("windows=iframe"))) as portal:
        portal.url, portal.username, portal.password, portal.ledger(), portal.requests()
        portal.arm("at=send:drop"), portal.lock_user(), portal.set_password("…")

These names are the public interface; tests outside ``tests/mockportal`` use nothing else
(tests/test_import_boundary.py).
"""

from __future__ import annotations

from emsys_rpa.mockportal.client import MockPortalClient, MockPortalControlError
from emsys_rpa.mockportal.clock import parse_local_datetime
from emsys_rpa.mockportal.faults import Faults, StepFault, parse_faults, parse_step_fault
from emsys_rpa.mockportal.server import MockPortal, MockPortalOptions, running_mock_portal
from emsys_rpa.mockportal.steps import STEPS
from emsys_rpa.mockportal.variants import ALL_VARIANTS, DIMENSIONS, Variant, parse_variant

__all__ = [
    "ALL_VARIANTS",
    "DIMENSIONS",
    "STEPS",
    "Faults",
    "MockPortal",
    "MockPortalClient",
    "MockPortalControlError",
    "MockPortalOptions",
    "StepFault",
    "Variant",
    "parse_faults",
    "parse_local_datetime",
    "parse_step_fault",
    "parse_variant",
    "running_mock_portal",
]
