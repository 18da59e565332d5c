"""One module per sub-command; each exposes ``command`` (a typer callable returning ExitStatus)."""
