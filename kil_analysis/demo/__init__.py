"""Deterministic synthetic demo data in each council's real published layouts.

``generate_demo(out_dir=None, seed=20261126)`` writes spend files (Newcastle monthly cp1252
with title rows; Bristol quarterly), 360Giving grants, Companies House / Charity Commission /
ONSPD extracts and a ground-truth supplier table. See ``kil_analysis.demo.generate``.
"""

from __future__ import annotations

from kil_analysis.demo.generate import DEFAULT_SEED, generate_demo

__all__ = ["DEFAULT_SEED", "generate_demo"]
