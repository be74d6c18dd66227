"""Public bodies by their initials: the one reading of how ledgers write them.

Finance systems keep statutory bodies under initials that end in the kind of body — a police
and crime commissioner (… PCC: GMPCC, SYPCC), a fire and rescue authority or service (… FRA,
… FRS, … FRAS), a waste disposal authority (… WDA), a passenger transport authority or
executive (… PTA, … PTE: SYPTE, WYPTE), a clinical commissioning group (… CCG), a fire brigade
(… FB) — and government departments under the initials they had when the account was opened
(machinery-of-government changes: DCLG became MHCLG then DLUHC; DCSF, DFES and DIUS are the
DfE's and BIS's forerunners). Read here once:

* by the name rule "public body by initials" (:data:`INITIALS_PATTERN`, strong, in
  :data:`kil_analysis.enrich.name_rules.RULES`): the whole name only — initials inside a longer
  name may stand for anything ("NECA SERVICES LTD"); a place's initials and a kind (one token
  of at most four letters and the kind: GMPCC), a place written out before PTE ("SOUTH YORKSHIRE
  PTE", a Singapore company's "PTE LTD" carries a legal form), or a department's initials
  (those of four letters or more also at the start of a name without a legal form: "DECC CRC");
* by the fire and rescue register (:func:`fire_initialisms`, used by
  :func:`kil_analysis.readers.registers.public_bodies.read_fire_services`), which names the
  service a fire body's initials stand for, so it is placed.
"""

from __future__ import annotations

from kil_analysis.enrich.account_names import LEGAL_FORMS

# The kinds of body whose initials end a ledger's name for one: tail -> what it stands for.
KIND_TAILS: dict[str, str] = {
    "PCC": "police and crime commissioner",
    "FRA": "fire and rescue authority",
    "FRS": "fire and rescue service",
    "WDA": "waste disposal authority",
    "PTA": "passenger transport authority",
    "PTE": "passenger transport executive",
    "CCG": "clinical commissioning group",
}
# The fire register's tails: a service's and its authority's (and "… FRAS"), a brigade's.
FIRE_TAILS = ("FRS", "FRA", "FRAS")
BRIGADE_TAILS = ("FB",)
# Kinds written after a place spelt out ("SOUTH YORKSHIRE PTE"); the others are read so by
# their own rules (… PCC: police; … CCG: NHS) or are ambiguous (… PTA: parents and teachers).
PLACE_WRITTEN_OUT = ("PTE",)
# Government departments by initials, past and present (DWP and DFE: the central-government
# rule reads them first).
DEPARTMENTS = (
    "DCLG",
    "MHCLG",
    "DLUHC",
    "ODPM",
    "DETR",
    "DTLR",
    "DCSF",
    "DFES",
    "DIUS",
    "DTI",
    "BIS",
    "BEIS",
    "DECC",
    "DESNZ",
    "DSIT",
    "DEFRA",
    "DCMS",
    "DFT",
    "DOH",
    "DHSC",
    "FCO",
    "FCDO",
    "DFID",
    "MOJ",
    "MOD",
    "HMT",
)

# A department's initials of four letters or more are no common word or other body's: they
# begin a ledger line for one of its schemes too ("DECC CRC": the carbon reduction commitment
# paid to DECC), where the name carries no legal form ("DEFRA SUPPLIES LTD" would be a firm).
LONG_DEPARTMENTS = tuple(d for d in DEPARTMENTS if len(d) >= 4)

INITIALS_PATTERN = (
    r"^[A-Z]{1,4}(?:" + "|".join(KIND_TAILS) + r")$|"
    r"^(?!.*" + LEGAL_FORMS + r")(?:[A-Z]+ ){1,3}(?:" + "|".join(PLACE_WRITTEN_OUT) + r")$|"
    r"^(?:THE )?(?:" + "|".join(DEPARTMENTS) + r")$|"
    r"^(?!.*" + LEGAL_FORMS + r")(?:THE )?(?:" + "|".join(LONG_DEPARTMENTS) + r") "
)


def fire_initialisms(place_letters: str, brigade: bool) -> list[str]:
    """A fire body's initials as ledgers write them: the place's initials and a fire tail.

    ``place_letters``: the initials of the place words ("WY" for West Yorkshire). A brigade
    takes :data:`BRIGADE_TAILS`, a service :data:`FIRE_TAILS`. Four letters or more only:
    shorter initials ("LFB") are shared by too many names.
    """
    if not place_letters:
        return []
    tails = BRIGADE_TAILS if brigade else FIRE_TAILS
    return [place_letters + tail for tail in tails if len(place_letters + tail) >= 4]
