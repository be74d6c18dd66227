"""The VCSE funding section's sentences and tables (measures from ``analysis.funding``)."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from kil_analysis.present.display import table
from kil_analysis.present.narrative import escape_markdown, gbp, pct
from kil_analysis.readers.grants.reader import REJECT_DUPLICATE_GRANT


def read_once_note(report: dict | None, rejects: pd.DataFrame | None) -> str | None:
    """Which grants files or grants repeated others and were read once, or None (Markdown).

    From the grants reader: whole files holding the same grants as an earlier one
    (``report["skipped"]``) and single grants rejected as ``duplicate_grant``.
    """
    parts = [
        f"`{escape_markdown(_name(s['path']))}` holds the same grants as "
        f"`{escape_markdown(_name(s['duplicate_of']))}`"
        for s in (report or {}).get("skipped", [])
        if s.get("duplicate_of")
    ]
    if rejects is not None and len(rejects):
        repeated = rejects[rejects["reason"] == REJECT_DUPLICATE_GRANT]
        if len(repeated):
            parts.append(
                f"{len(repeated):,} grants repeat a grant identifier already read from another "
                "file (rejected as `duplicate_grant`)"
            )
    if not parts:
        return None
    return "**Grants read once:** " + "; ".join(parts) + " — each grant counted once."


def _name(path: object) -> str:
    return str(path).replace("\\", "/").rsplit("/", 1)[-1]


def routes_table(routes: pd.DataFrame) -> HTML:
    """VCSE funding by route, side by side (never added)."""
    shown = routes.assign(
        pence=[
            f"£{int(p) / 100:,.0f}" if ok else "not given"
            for p, ok in zip(routes["pence"], routes["available"], strict=True)
        ],
        items=[
            f"{int(i):,}" if ok else "—"
            for i, ok in zip(routes["items"], routes["available"], strict=True)
        ],
        recipients=[
            f"{int(r):,}" if ok and pd.notna(r) else "—"
            for r, ok in zip(routes["recipients"], routes["available"], strict=True)
        ],
    ).drop(columns=["available"])
    shown = shown.rename(
        columns={
            "route": "Route",
            "pence": "VCSE organisations received",
            "items": "Items",
            "recipients": "Recipients",
        }
    )
    return table(shown)


def routes_sentence(routes: pd.DataFrame, period: tuple[str, str]) -> str:
    """How VCSE organisations were funded in the period, with the no-adding caveat."""
    r = routes.set_index("route")
    parts = []
    for route, row in r.iterrows():
        name = escape_markdown(route[:1].lower() + route[1:])
        parts.append(f"{name}: {gbp(row['pence'])}" if row["available"] else f"{name}: not given")
    return (
        f"Between {period[0]} and {period[1]}, VCSE organisations received — "
        + "; ".join(parts)
        + ". The routes overlap (a grant paid is also a payment line; a contract is paid "
        "through the spend file), so they are shown side by side and never added."
    )


def grant_sizes_table(profile: pd.DataFrame) -> HTML:
    """Grants to VCSE organisations by size band."""
    shown = profile.rename(
        columns={"band": "Grant size", "pence": "Value", "share": "Share of value"}
    )
    return table(shown, {"Value": "pence", "Share of value": "pct", "grants": "int"})


def income_split_table(split: dict) -> HTML:
    """Funding to charities by the charity's income band."""
    labels = {
        "micro": "under £10k",
        "small": "£10k–£100k",
        "medium": "£100k–£1m",
        "large": "£1m and over (larger)",
        "unknown": "income not known",
    }
    shown = (
        split["table"]
        .assign(size=lambda d: d["size"].map(labels))
        .rename(
            columns={
                "size": "Charity income",
                "pence": "Funding",
                "share_of_known": "Share of known",
            }
        )
    )
    return table(shown, {"Funding": "pence", "Share of known": "pct", "recipients": "int"})


def income_split_sentence(split: dict, benchmark: pd.Series, what: str) -> str:
    """The larger-charity share beside The Value of Small's 84% (a side-by-side, not a target)."""
    published = (
        f"{pct(benchmark['value'], 0)} of local government funding to charities goes to larger "
        f"charities ({escape_markdown(benchmark['source'])})"
    )
    if not split["charity_pence"]:
        return f"No {what} went to registered charities, so the size split is not measured."
    if not split["measured"]:
        return (
            f"The income of charities receiving {pct(split['coverage'])} of {what} is known — "
            "too little to say how it splits by charity size (not measured). For comparison, "
            f"{published}."
        )
    return (
        f"Of {what} to charities whose income is known ({pct(split['coverage'])} of it), "
        f"{pct(split['larger_share'])} went to larger charities (income of £1m or more). "
        f"Published for comparison, with its own definitions: {published}."
    )
