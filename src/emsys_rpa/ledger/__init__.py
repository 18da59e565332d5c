"""The run ledger: what every run did, so that nothing is ever sent twice by accident.

``store`` keeps it (SQLite), ``policy`` decides from it when a send must be refused (pure
rules, typed ``RefusalKind``), ``guard`` is one run's ``SendGuard`` over both.
"""

from __future__ import annotations

from emsys_rpa.ledger.guard import LedgerGuard, SendRefusedError
from emsys_rpa.ledger.policy import INTENT_ONLY, Refusal, RefusalKind
from emsys_rpa.ledger.store import LEDGER_NAME, RunLedger, RunRecord, ledger_key

__all__ = [
    "INTENT_ONLY",
    "LEDGER_NAME",
    "LedgerGuard",
    "Refusal",
    "RefusalKind",
    "RunLedger",
    "RunRecord",
    "SendRefusedError",
    "ledger_key",
]
