"""``python -m optimizer`` runs the ``cofactor`` command line."""

from optimizer.cli import main

raise SystemExit(main())
