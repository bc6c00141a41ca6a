"""The ``cofactor`` command line (``python -m optimizer`` or ``python -m optimizer.cli``)."""

from optimizer.cli.main import main

__all__ = ["main"]
