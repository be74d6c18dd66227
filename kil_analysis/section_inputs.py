"""The inputs of the case study's sections beyond the spend ledger, loaded once, lazily.

:func:`load_section_inputs` takes the case study (``pipeline.load_case_study``, which has already
read the grants, the council's Contracts Finder notices and the register evidence) and the
folders the notebook names; the rest — community registers with postcodes, ward boundaries, a
supplier re-spend survey — is read the first time a section asks for it, so a section that is
switched off costs nothing.

In the case-study notebook: ``inputs = load_section_inputs(study, registers_dir, lookups_dir,
boundaries_file, respend_survey)`` after ``load_case_study``, then one cell per section
(``present.sections``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from kil_analysis import paths
from kil_analysis.pipeline import CaseStudyData, buyer_names
from kil_analysis.reporting.data_selection import select_data

if TYPE_CHECKING:
    from kil_analysis.readers.registers.shape import Registers


@dataclass
class SectionInputs:
    """What the sections read, each loaded on first use (None where the data is absent)."""

    study: CaseStudyData
    registers_dir: Path
    lookups_dir: Path
    boundaries_file: Path | None
    respend_survey: Path | None

    @property
    def contracts_dir(self) -> Path:
        """Where the case study looked for Contracts Finder OCDS files."""
        return self.study.contracts_dir or Path(self.study.data_dir) / "contracts"

    @property
    def buyer_names(self) -> list[str]:
        """The names the council's notices use as buyer (config, else the council's name)."""
        return buyer_names(self.study.config)

    @property
    def council_contracts(self) -> pd.DataFrame | None:
        """The notices whose buyer is the council (None when no notices were supplied)."""
        return self.study.contracts

    @property
    def releases_read(self) -> int:
        """How many OCDS releases were read from the contracts folder (every buyer)."""
        report = self.study.contracts_report or {}
        return int(report.get("totals", {}).get("releases", 0))

    @cached_property
    def registers(self) -> Registers | None:
        """Register evidence for classifying notice suppliers and grant recipients.

        The case study's own (what enrichment used) unless other folders were named.
        """
        from kil_analysis.enrich import load_registers

        study = self.study
        chosen = select_data(study.config.slug, study.data_dir)
        same = (self.registers_dir, self.lookups_dir) == (chosen.registers_dir, chosen.lookups_dir)
        if study.registers is not None and same:
            return study.registers
        lookups = self.lookups_dir if self.lookups_dir.is_dir() else None
        return load_registers(self.registers_dir, lookups)

    @cached_property
    def prevention_lines(self) -> pd.Series:
        """True on the payment lines that name prevention or early intervention.

        ``analysis.prevention.council_prevention_mask`` of the case study's spend, computed once
        for the prevention section and the principles scorecard.
        """
        from kil_analysis.analysis.prevention import council_prevention_mask

        return council_prevention_mask(self.study.spend, self.study.config)

    @cached_property
    def community(self) -> dict[str, Any]:
        """Community registers with postcodes (see ``readers.community_registers``)."""
        from kil_analysis.readers.community_registers import load_community_registers

        return load_community_registers(self.registers_dir)

    @cached_property
    def boundaries(self) -> tuple[pd.DataFrame, str] | None:
        """(wards, vintage words) from the boundaries file (None when none was given)."""
        from kil_analysis.readers.geography import read_boundaries

        return read_boundaries(self.boundaries_file) if self.boundaries_file else None

    @cached_property
    def survey(self) -> tuple[pd.DataFrame, list[str]] | None:
        """(kept survey rows, one-line rejects) of the council's re-spend survey, or None."""
        from kil_analysis.readers.respend_survey import read_respend_survey

        return read_respend_survey(self.respend_survey) if self.respend_survey else None


def _resolve(path: str | Path, data_dir: Path) -> Path | None:
    """A user-given path: absolute as is, else relative to the data folder, else the project.

    None when empty.
    """
    if not str(path).strip():
        return None
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    for base in (data_dir, paths.PROJECT_ROOT):
        if (base / p).exists():
            return (base / p).resolve()
    return (data_dir / p).resolve()


def load_section_inputs(
    study: CaseStudyData,
    registers_dir: str | Path = "",
    lookups_dir: str | Path = "",
    boundaries_file: str | Path = "",
    respend_survey: str | Path = "",
) -> SectionInputs:
    """The sections' inputs for one case study.

    Empty arguments mean: the case study's registers and lookups folders; the config's
    ``boundaries_file`` and ``respend_survey`` (relative paths are looked up beside the data,
    then in the project).
    """
    data = Path(study.data_dir)
    chosen = select_data(
        study.config.slug,
        data,
        registers_dir=registers_dir or None,
        lookups_dir=lookups_dir or None,
    )
    config = study.config
    return SectionInputs(
        study=study,
        registers_dir=chosen.registers_dir,
        lookups_dir=chosen.lookups_dir,
        boundaries_file=_resolve(boundaries_file or config.boundaries_file, data),
        respend_survey=_resolve(respend_survey or config.respend_survey, data),
    )
