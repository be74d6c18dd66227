"""What the ``kil`` command prints while it works: log lines on stderr, progress bars, quiet.

The library logs (``logging``, loggers under ``kil_analysis``) and never prints; the command
line shows INFO and above as bare lines on stderr (through ``tqdm.write`` so they do not break
a progress bar), or only warnings and errors under ``kil --quiet``. Results (tables, JSON)
still go to stdout.
"""

from __future__ import annotations

import logging
import sys


class _TqdmHandler(logging.Handler):
    """Writes each record as one line on the current ``sys.stderr``, above any progress bar."""

    def emit(self, record: logging.LogRecord) -> None:
        """Write ``record``'s message (one line) to stderr."""
        try:
            from tqdm.auto import tqdm  # imported at the first line logged, not at start-up

            tqdm.write(self.format(record), file=sys.stderr)
        except Exception:  # noqa: BLE001 - logging must never raise
            self.handleError(record)


def configure_logging(quiet: bool = False) -> None:
    """Send the package's log lines to stderr: INFO and above, or WARNING and above if quiet."""
    logger = logging.getLogger("kil_analysis")
    for handler in [h for h in logger.handlers if isinstance(h, _TqdmHandler)]:
        logger.removeHandler(handler)
    handler = _TqdmHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
