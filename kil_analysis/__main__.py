"""``python -m kil_analysis``: the ``kil`` command line."""

import sys

from kil_analysis.cli import main

sys.exit(main())
