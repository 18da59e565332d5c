"""Fixtures for the mock portal's own tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from emsys_rpa.mockportal import MockPortal, MockPortalOptions, running_mock_portal

# Fast jobs: the tests wait for history rows, not for a realistic mail gateway.
FAST = {"send_start_delay_s": 0.2, "send_rate_per_s": 200.0}


@pytest.fixture
def default_portal() -> Iterator[MockPortal]:
    with running_mock_portal(MockPortalOptions(**FAST)) as portal:  # type: ignore[arg-type]
        yield portal


@pytest.fixture
def client(default_portal: MockPortal) -> Iterator[httpx.Client]:
    """An HTTP client of ``default_portal`` (keeps its session cookie)."""
    with httpx.Client(base_url=default_portal.base_url) as http:
        yield http
