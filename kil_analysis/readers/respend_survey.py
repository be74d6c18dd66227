"""A council's supplier re-spend survey (CSV): local re-spend rates measured, not assumed.

The template is ``kil_analysis/data/respend_survey_template.csv``: one row per responding
supplier with ``supplier_name``, ``supplier_group`` (one of the LM3 groups: local_sme,
local_large, local_size_unknown, non_local, local_vcse), ``turnover_gbp`` (annual turnover, or
the income from the council the answer refers to), ``spent_locally_gbp`` (the part of it spent in
the area: wages of staff living there plus purchases from local firms), ``financial_year`` and
``notes``. Amounts may carry ``£`` and thousands separators.

:func:`read_respend_survey` keeps every valid row and lists every other with a one-line reason
naming the file and line; a file that cannot be read or lacks a column raises
:class:`SurveyError` (one line). :func:`survey_rates` turns the kept rows into rates per group:
central = turnover-weighted rate (Σ spent locally ÷ Σ turnover), low / high = the lowest and
highest single response.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from kil_analysis.analysis.multiplier import GROUPS, GroupRates
from kil_analysis.readers.parse.amounts import parse_amounts

TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "respend_survey_template.csv"
REQUIRED = ("supplier_name", "supplier_group", "turnover_gbp", "spent_locally_gbp")
SURVEY_COLUMNS = ["source_row", "supplier_name", "supplier_group", "turnover_pence", "local_pence"]


class SurveyError(ValueError):
    """The survey file cannot be used at all (one line naming the file and the problem)."""


def read_respend_survey(path: str | Path) -> tuple[pd.DataFrame, list[str]]:
    """Read a filled-in survey: (kept rows with :data:`SURVEY_COLUMNS`, one-line rejects).

    ``source_row`` is the 1-based line in the file (the header is line 1). A row is rejected when
    its group is not an LM3 group, an amount is missing or not a number, the turnover is not
    positive, or the local spend is negative or more than the turnover.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise SurveyError(f"{path}: no such survey file") from exc
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise SurveyError(f"{path}: not a readable CSV ({first})") from exc
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise SurveyError(f"{path}: missing column {missing[0]!r} (see the survey template)")
    turnover = parse_amounts(raw["turnover_gbp"])
    local = parse_amounts(raw["spent_locally_gbp"])
    group = raw["supplier_group"].str.strip().str.lower()
    rows, rejects = [], []
    for i in raw.index:
        line = int(i) + 2
        where = f"{path.name} line {line}"
        problem = None
        if group[i] not in GROUPS:
            problem = f"supplier_group {raw.at[i, 'supplier_group']!r} is not one of " + ", ".join(
                GROUPS
            )
        elif not turnover.at[i, "ok"] or pd.isna(turnover.at[i, "pence"]):
            problem = f"turnover_gbp {raw.at[i, 'turnover_gbp']!r} is not an amount"
        elif not local.at[i, "ok"] or pd.isna(local.at[i, "pence"]):
            problem = f"spent_locally_gbp {raw.at[i, 'spent_locally_gbp']!r} is not an amount"
        elif int(turnover.at[i, "pence"]) <= 0:
            problem = "turnover_gbp must be more than zero"
        elif not 0 <= int(local.at[i, "pence"]) <= int(turnover.at[i, "pence"]):
            problem = "spent_locally_gbp must be between 0 and turnover_gbp"
        if problem:
            rejects.append(f"{where}: {problem}")
            continue
        rows.append(
            {
                "source_row": line,
                "supplier_name": raw.at[i, "supplier_name"].strip(),
                "supplier_group": group[i],
                "turnover_pence": int(turnover.at[i, "pence"]),
                "local_pence": int(local.at[i, "pence"]),
            }
        )
    return pd.DataFrame(rows, columns=SURVEY_COLUMNS), rejects


def survey_rates(rows: pd.DataFrame) -> dict[str, GroupRates]:
    """Rates per supplier group from the kept survey rows (see the module docstring).

    A group with no response is absent (the published rates stay for it).
    """
    out = {}
    for group, g in rows.groupby("supplier_group", sort=True):
        each = [
            Decimal(int(a)) / Decimal(int(b))
            for a, b in zip(g["local_pence"], g["turnover_pence"], strict=True)
        ]
        central = Decimal(int(g["local_pence"].sum())) / Decimal(int(g["turnover_pence"].sum()))
        n = len(g)
        origin = f"council survey ({n} response{'s' if n != 1 else ''})"
        out[str(group)] = GroupRates(min(each), central, max(each), origin)
    return out
