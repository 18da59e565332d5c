"""emsys-rpa: schedules alerts and invoice e-mails in EMSYS Portal Administrator, unattended."""

__version__ = "0.1.0"
