"""The run as an application.

``run`` (lock → logging → ledger → procedure → outputs) drives ``procedure`` (log in, each task,
log out), which walks each task of the ``tasks`` registry through ``sending`` (prepare, press
once, close) and ``verification`` (poll the history, ``decide`` the outcome), recording every
step with ``steps`` and keeping the portal signed in with ``portal_session``.
"""
