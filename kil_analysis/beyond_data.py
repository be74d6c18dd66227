"""The inputs of the case-study sections beyond the spend ledger, loaded once, lazily.

:func:`load_beyond_inputs` takes the case study (``pipeline.load_case_study``) and the folders
the notebook names; each input is read the first time a section asks for it, so a section that
is switched off costs nothing. Folder conventions beside a council's spend files (``data_dir``):
``contracts/`` (OCDS JSON), ``grants/`` (360Giving, already read by the pipeline; repeated
grants are dropped here, with the file that repeated another named). Registers and lookups
come from the same folders the pipeline uses (``registers_dir`` / ``lookups_dir``).

To hook this into the case-study notebook: one cell after ``load_case_study`` —
``inputs = load_beyond_inputs(study, contracts_dir, registers_dir, lookups_dir,
boundaries_file, respend_survey)`` — then one cell per section (``present.sections``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from kil_analysis import paths
from kil_analysis.pipeline import CaseStudyData
from kil_analysis.reporting.data_selection import select_data


@dataclass
class BeyondInputs:
    """What the sections read, each loaded on first use (None where the data is absent)."""

    study: CaseStudyData
    contracts_dir: Path
    registers_dir: Path
    lookups_dir: Path
    boundaries_file: Path | None
    respend_survey: Path | None

    @cached_property
    def contracts(self):  # -> ReadResult | None
        """Every OCDS notice in ``contracts_dir`` (None when the folder has no JSON files)."""
        from kil_analysis.readers.contracts.reader import read_contracts

        folder = self.contracts_dir
        if not folder.is_dir() or not any(folder.rglob("*.json")):
            return None
        return read_contracts([folder])

    @property
    def buyer_names(self) -> list[str]:
        """The names the council's notices use as buyer (config, else the council's name)."""
        config = self.study.config
        return list(config.contract_buyer_names) or [config.name]

    @cached_property
    def council_contracts(self) -> pd.DataFrame | None:
        """The notices whose buyer is the council (None when no notices were supplied)."""
        from kil_analysis.analysis.contracts import buyer_mask

        if self.contracts is None:
            return None
        table = self.contracts.table
        return table[buyer_mask(table, self.buyer_names)].reset_index(drop=True)

    @cached_property
    def grants(self) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """(grants read once, files that repeated another's grants), or None without grants."""
        from kil_analysis.analysis.funding import repeated_grants

        if self.study.grants is None:
            return None
        return repeated_grants(self.study.grants)

    @cached_property
    def registers(self):  # -> Registers | None
        """Register evidence for classifying notice suppliers and grant recipients."""
        from kil_analysis.enrich import load_registers

        lookups = self.lookups_dir if self.lookups_dir.is_dir() else None
        return load_registers(self.registers_dir, lookups)

    @cached_property
    def community(self) -> dict[str, object]:
        """Community registers with postcodes (see ``readers.community_registers``)."""
        from kil_analysis.readers.community_registers import load_community_registers

        return load_community_registers(self.registers_dir)

    @cached_property
    def postcode_lookup(self) -> pd.DataFrame | None:
        """OS Code-Point Open rows from ``lookups_dir`` (None when there is none)."""
        from kil_analysis.readers.geography import find_codepoint, read_codepoint

        folder = find_codepoint(self.lookups_dir)
        return read_codepoint(folder) if folder is not None else None

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
    """A user-given path: absolute as is, else relative to the data folder, else to the
    project root (None when empty)."""
    if not str(path).strip():
        return None
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    for base in (data_dir, paths.PROJECT_ROOT):
        if (base / p).exists():
            return (base / p).resolve()
    return (data_dir / p).resolve()


def load_beyond_inputs(
    study: CaseStudyData,
    contracts_dir: str | Path = "",
    registers_dir: str | Path = "",
    lookups_dir: str | Path = "",
    boundaries_file: str | Path = "",
    respend_survey: str | Path = "",
) -> BeyondInputs:
    """The sections' inputs for one case study. Empty arguments mean: ``<data_dir>/contracts``;
    the pipeline's registers and lookups folders; the config's ``boundaries_file`` and
    ``respend_survey`` (relative paths are looked up beside the data, then the project)."""
    data = Path(study.data_dir)
    chosen = select_data(
        study.config.slug, data, registers_dir=registers_dir or None, lookups_dir=lookups_dir or None
    )
    registers, lookups = chosen.registers_dir, chosen.lookups_dir
    config = study.config
    return BeyondInputs(
        study=study,
        contracts_dir=_resolve(contracts_dir, data) or data / "contracts",
        registers_dir=Path(registers),
        lookups_dir=Path(lookups),
        boundaries_file=_resolve(boundaries_file or config.boundaries_file, data),
        respend_survey=_resolve(respend_survey or config.respend_survey, data),
    )
