"""``python -m optimizer.cli``: the same as the ``cofactor`` console script."""

import sys

from optimizer.cli.main import main

sys.exit(main())
