"""Totals rows: lines a council adds under a table that sum the rows above (not payments).

The rule, shared by the spend and grants readers. A row is a totals row when it has an amount
and either

- it is **labelled** as a total (the reader says which rows: e.g. a name or title cell that
  starts with ``Total``, ``Totals`` or ``Grand total``; see `labelled_total`), or
- it is a **candidate** — it carries an amount but nothing that identifies a payment or grant
  (the reader decides which fields: no date and no supplier for spend; no id, title, date,
  recipient or registration for grants) — whose parseable amount equals the sum of all other
  parseable amounts in the table, or of those above it, or of those between it and the
  previous or next candidate (a subtotal under or over its section), or is at least as large
  (in absolute value) as every other amount.

Candidates that fail the test are left to the reader's other checks (missing date, supplier, …),
so a stray amount-only line is never taken for a total just because it is bare. Rows are judged
within one table (one file, sheet or ZIP member).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

TOTAL_LABEL = r"^\s*(?:grand\s+)?totals?\b"


def labelled_total(cells: Iterable[pd.Series]) -> np.ndarray:
    """Rows where any of these text columns starts with ``Total``/``Totals``/``Grand total``."""
    import pandas as pd

    found = [c.astype("string").str.match(TOTAL_LABEL, case=False) for c in cells]
    if not found:
        return np.zeros(0, dtype=bool)
    return pd.concat(found, axis=1).fillna(False).any(axis=1).to_numpy(dtype=bool)


def totals_rows(
    candidates: np.ndarray,
    pence: np.ndarray,
    ok: np.ndarray,
    labelled: np.ndarray | None = None,
) -> np.ndarray:
    """Boolean mask of the totals rows of one table (see the module docstring for the rule).

    ``candidates``: rows with an amount and nothing identifying them; ``pence``: each row's
    amount in integer pence (any value where ``ok`` is False); ``ok``: the amount parsed;
    ``labelled`` (optional): rows labelled as totals, which count whatever their amount.
    """
    candidates = np.asarray(candidates, dtype=bool)
    ok = np.asarray(ok, dtype=bool)
    pence = np.asarray(pence)
    result = np.zeros(len(pence), dtype=bool) if labelled is None else np.array(labelled, bool)
    cand = candidates & ok
    if not cand.any():
        return result
    others = ok & ~cand & ~result  # labelled totals are not payments either
    values = [int(v) if o else 0 for v, o in zip(pence.tolist(), others.tolist(), strict=True)]
    running = [0]
    for v in values:  # Python integers: exact, whatever the amounts
        running.append(running[-1] + v)
    total_others = running[-1]
    biggest = max((abs(v) for v, o in zip(values, others, strict=True) if o), default=0)
    positions = [int(i) for i in np.flatnonzero(cand)]
    for n, i in enumerate(positions):
        p = int(pence[i])
        previous = positions[n - 1] + 1 if n else 0
        following = positions[n + 1] if n + 1 < len(positions) else len(values)
        sums = (
            total_others,
            running[i],
            running[i] - running[previous],
            running[following] - running[i + 1],
        )
        result[i] |= p in sums or (bool(others.any()) and abs(p) >= biggest)
    return result
