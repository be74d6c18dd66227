"""Import-time costs of the Jupyter stack that a report run does not need.

``nbformat`` (imported by papermill, nbclient and nbconvert) imports ``jsonschema``, whose
optional checker for the ``iri`` string format imports ``rfc3987_syntax``; that package builds
some forty Earley parsers when it is imported — about 2 s of CPU on this project's 2-core
machine, a tenth of a warm case-study run. No schema a report run validates (the notebook
format, ``summary.schema.json``) uses the ``iri`` format, so :func:`skip_iri_grammar` keeps
the package from being imported in the process that runs and exports the notebooks.
"""

from __future__ import annotations

import sys

IRI_GRAMMAR_MODULE = "rfc3987_syntax"


def skip_iri_grammar() -> None:
    """Make ``import rfc3987_syntax`` fail in this process, unless it is already imported.

    jsonschema imports it inside ``suppress(ImportError)``, so its only effect is that a
    ``FormatChecker`` in this process does not check the ``iri`` / ``iri-reference`` formats
    (a value of that format is accepted unchecked). Call it before importing papermill,
    nbclient, nbformat or nbconvert; it does nothing once jsonschema has loaded the package.
    """
    sys.modules.setdefault(IRI_GRAMMAR_MODULE, None)  # type: ignore[arg-type]
