"""Word lists and small helpers for inventing organisation names (all fictitious).

Names are built from common words, surnames and place names; any resemblance to a real
organisation is accidental. The lists live in ``data/names.yml`` (package data) and are read on
first use of a module attribute (``SURNAMES``, ``BRANDS``, ``TRADES``, ``VCSE_PATTERNS``,
``WORDS``, ``NOUNS``, ``SAINTS``, ``FAITH``, ``HALLS``, ``COOPS``); mappings hold tuples. Every
helper takes a numpy ``Generator`` so names follow the seed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import yaml

from kil_analysis.demo.places import data_text

LISTS = ("SURNAMES", "BRANDS", "WORDS", "NOUNS", "SAINTS", "FAITH", "HALLS", "COOPS")
MAPPINGS = ("TRADES", "VCSE_PATTERNS")


@cache
def word_lists() -> dict[str, Any]:
    """Every list in ``data/names.yml`` by its upper-case name (lists and mappings as tuples)."""
    raw = yaml.safe_load(data_text("names.yml"))
    out: dict[str, Any] = {name: tuple(raw[name.lower()]) for name in LISTS}
    for name in MAPPINGS:
        out[name] = {key: tuple(words) for key, words in raw[name.lower()].items()}
    return out


def __getattr__(name: str) -> Any:
    """The word lists as module attributes, read from ``data/names.yml`` on first use."""
    if name in LISTS or name in MAPPINGS:
        return word_lists()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def pick(rng: np.random.Generator, items: tuple[str, ...]) -> str:
    """One item of ``items`` chosen with ``rng``."""
    return items[int(rng.integers(len(items)))]
