"""Progress bars for long work (many files, several councils), quiet when asked to be.

A bar shows only on a terminal and only while the package's logger shows INFO lines: the
``kil`` command line hides both under ``kil --quiet``; in a notebook or a script that has not
configured logging, no bar appears. Bars go to stderr and disappear when done.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from tqdm.auto import tqdm

T = TypeVar("T")
LOGGER = "kil_analysis"


def bars_enabled() -> bool:
    """True when a progress bar should be drawn (stderr is a terminal and INFO is shown)."""
    return sys.stderr.isatty() and logging.getLogger(LOGGER).isEnabledFor(logging.INFO)


def progress_bar(total: int, desc: str, unit: str = "item", enabled: bool = True) -> Any:
    """A manually updated bar of ``total`` steps, drawn if ``enabled`` and :func:`bars_enabled`."""
    return tqdm(
        total=total, desc=desc, unit=unit, leave=False, disable=not (enabled and bars_enabled())
    )


def with_progress(items: Iterable[T], desc: str, total: int | None = None) -> Iterator[T]:
    """``items``, with a progress bar while they are consumed (see :func:`bars_enabled`)."""
    yield from tqdm(items, desc=desc, total=total, leave=False, disable=not bars_enabled())
