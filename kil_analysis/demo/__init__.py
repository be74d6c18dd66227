"""Deterministic synthetic demo data in each council's real published layouts.

``generate_demo(out_dir=None, seed=DEFAULT_SEED)`` writes spend files (Newcastle monthly cp1252
with title rows; Bristol quarterly), 360Giving grants, Companies House / Charity Commission /
ONSPD extracts and a ground-truth supplier table. See ``kil_analysis.demo.generate``; importing
this package does not import the generator (``generate_demo`` is loaded on first use).
"""

from __future__ import annotations

from typing import Any

DEFAULT_SEED = 20261126

__all__ = ["DEFAULT_SEED", "generate_demo"]


def __getattr__(name: str) -> Any:
    """``generate_demo``, imported from :mod:`kil_analysis.demo.generate` on first use."""
    if name == "generate_demo":
        from kil_analysis.demo.generate import generate_demo

        return generate_demo
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
