"""``python -m optimizer`` runs the ``cofactor`` command line."""

from optimizer.cli.main import main

raise SystemExit(main())
