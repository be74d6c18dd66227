"""Enrichment: who is each supplier (org type, VCSE form, size, locality), with evidence.

Start with :func:`enrich_suppliers_and_merges` (a council's spend table → one row per
organisation, and the merges of spelling variants), :func:`place_postcodes` (postcode → council,
region, ward, grid reference) or
:func:`classify_suppliers` (names → organisation types). Registers are discovered with
:func:`load_registers`. The precedence of evidence is written down once, in
:mod:`kil_analysis.enrich.classify`.
"""

from __future__ import annotations

from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.enrich.locality import place_postcodes
from kil_analysis.enrich.overrides import apply_overrides, read_overrides
from kil_analysis.enrich.size import spend_size_band
from kil_analysis.enrich.suppliers import enrich_suppliers, enrich_suppliers_and_merges
from kil_analysis.enrich.worksheet import build_worksheet, read_worksheet, write_worksheet
from kil_analysis.readers.registers.discover import load_registers
from kil_analysis.readers.registers.shape import Registers

__all__ = [
    "Registers",
    "apply_overrides",
    "build_worksheet",
    "classify_suppliers",
    "enrich_suppliers",
    "enrich_suppliers_and_merges",
    "place_postcodes",
    "load_registers",
    "read_overrides",
    "read_worksheet",
    "spend_size_band",
    "write_worksheet",
]
