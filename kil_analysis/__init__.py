"""kil_analysis: the Keep it Local research workbench's helper package.

Stages (each a plain function call; see DESIGN.md): ingest -> enrich -> measures -> plots ->
reporting. Nothing runs at import time.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["classify_suppliers", "load_council"]


def __getattr__(name: str):
    # Lazy re-exports so `import kil_analysis` stays cheap.
    if name == "classify_suppliers":
        from kil_analysis.enrich import classify_suppliers

        return classify_suppliers
    if name == "load_council":
        from kil_analysis.config import load_council

        return load_council
    raise AttributeError(name)
