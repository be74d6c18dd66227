import sys

from kil_analysis.cli import main

sys.exit(main())
