"""Name rules: what a researcher would see if a supplier's type were read wrongly from its name."""

from __future__ import annotations

import pandas as pd
import pytest

from kil_analysis.enrich import classify_suppliers
from kil_analysis.enrich.name_rules import apply_name_rules

CASES = [
    ("IVYBRIDGE ACADEMY TRUST", "public", None),
    ("VENTRUS MULTI ACADEMY TRUST", "public", None),
    ("DEVON PARTNERSHIP NHS TRUST", "public", None),
    ("ROYAL DEVON & EXETER N H S FOUNDATION TRUST", "public", None),
    ("CARYMOOR ENVIRONMENTAL TRUST", "vcse", "unspecified"),
    ("OFFWELL WOODLAND & WILDLIFE TRST", "vcse", "charity"),
    ("EXETER CITY COUNCIL", "public", None),
    ("ST THOMAS PAROCHIAL CHURCH CNCL", "vcse", "faith group"),
    ("DEVON & CORNWALL POLICE", "public", None),
    ("DEVON & SOMERSET FIRE & RESCUE", "public", None),
    ("HMRC", "public", None),
    ("DEPARTMENT FOR WORK & PENSIONS", "public", None),
    ("UNIVERSITY OF EXETER", "public", None),
    ("ELBURTON PRIMARY SCHOOL", "public", None),
    ("REDACTIVE EVENTS LTD", "private", None),
    ("PEE WEES PERSONAL HOMECARE LTD", "private", None),
    ("TESCO PLC", "private", None),
    ("ACME CONSULTING LLP", "private", None),
    ("RUNNING DEER CIC", "vcse", "CIC"),
    ("SOUND COMMUNITIES C.I.C.", "vcse", "CIC"),
    ("FOOD COMMUNITY INTEREST COMPANY", "vcse", "CIC"),
    ("BRIGHT FUTURES CIO", "vcse", "CIO"),
    ("TOTNES COMMUNITY BENEFIT SOCIETY", "vcse", "community benefit society"),
    ("FARMERS CO-OPERATIVE", "vcse", "co-operative"),
    ("BRANSCOMBE VILLAGE HALL", "vcse", "village hall"),
    ("KENTISBURY & TRENTISHOE V H COMM", "vcse", "village hall"),
    ("TORRINGTON METHODIST CHURCH", "vcse", "faith group"),
    ("TEIGNBRIDGE C V S", "vcse", "charity"),
    ("NORTH DEVON VOLUNTARY SERVS LTD", "vcse", "charity"),
    ("I CAN CHARITY", "vcse", "charity"),
    ("TOPSHAM MUSEUM SOCIETY", "vcse", "unspecified"),
    ("CREDITON ROTARY CLUB", "vcse", "charity"),
    ("CHURCHWOOD FOREST SCHOOL CIC", "vcse", "CIC"),
    # religious institutions by their own faiths' words, a company form or not (a restaurant
    # or bar is not one); national bodies under the names they had since 2010, a parish
    # meeting and a councils' joint committee (not with a company form)
    ("YESHIVA OF ANYTOWN LTD", "vcse", "faith group"),
    ("KOLLEL ZICHRON NORTHVILLE", "vcse", "faith group"),
    ("MADRASSA TUL ANYTOWN", "vcse", "faith group"),
    ("JAMIA MASJID NORTHVILLE", "vcse", "faith group"),
    ("SHREE ANYTOWN MANDIR", "vcse", "faith group"),
    ("DARUL ULOOM NORTHVILLE", "vcse", "faith group"),
    ("BNOS CHAYA GIRLS SEMINARY LIMITED", "vcse", "faith group"),
    ("MADRAS PALACE LTD", "private", None),
    ("BUDDHA BAR LTD", "private", None),
    # a state school of a faith name is still read as a school
    ("ANYTOWN TALMUD TORAH PRIMARY SCHOOL", "public", None),
    ("THE HOMES & COMMUNITIES AGENCY - RENTS", "public", None),
    ("WESSEX PROBATION TRUST", "public", None),
    ("EAST MIDLANDS REGIONAL DEVELOPMENT AGENCY", "public", None),
    ("YOUNG PEOPLE'S LEARNING AGENCY", "public", None),
    ("YOUTH JUSTICE BOARD (REMANDS)", "public", None),
    ("PROBATION TRUST SUPPLIES LTD", "private", None),
    ("LITTLE WESSEX PARISH MEETING", "public", None),
    ("ANYTOWN & DISTRICT CREMATORIUM JOINT COMMITTEE", "public", None),
    ("JOINT COMMITTEE CATERING LTD", "private", None),
    ("ANYTOWN SCOUT AND GUIDE JOINT COMMITTEE", "vcse", None),  # a voluntary body's committee
    ("LITTLE WESSEX PARISH MEETING ROOM", "unknown", None),  # a building, not the meeting
    ("MR J SMITH", "individual", None),
    ("JOHN SMITH", "individual", None),
    ("J A SMITH", "individual", None),
    ("XYZZY", "unknown", None),
]


@pytest.mark.parametrize(("name", "org_type", "form"), CASES)
def test_name_rules_read_the_name(name: str, org_type: str, form: str | None) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == org_type, got["rule"]
    if form:
        assert got["vcse_form"] == form


def test_redacted_rows_are_individuals_but_redactive_events_is_not() -> None:
    out = classify_suppliers(
        ["REDACTED UNDER DP ACT", "Redacted Personal Data", "REDACTIVE EVENTS LTD"]
    )
    assert out["org_type"].tolist() == ["individual", "individual", "private"]
    assert out["evidence"].tolist()[:2] == ["redacted", "redacted"]


def test_classify_returns_documented_columns_and_float_confidence() -> None:
    out = classify_suppliers(pd.Series(["Acme Ltd", "ACME LIMITED", "Age UK Devon"]))
    for col in (
        "supplier_name",
        "supplier_key",
        "org_type",
        "vcse_form",
        "evidence",
        "confidence",
        "match_method",
        "register_id",
    ):
        assert col in out
    assert len(out) == 2  # one row per supplier_key: "Acme Ltd" and "ACME LIMITED" group
    assert out["confidence"].between(0, 1).all()
    assert out.loc[out["supplier_name"] == "Age UK Devon", "vcse_form"].item() == "charity"


# Rules added for general naming conventions (names invented or national, not from Devon's files).
GENERAL_CASES = [
    # public bodies
    ("HILLSIDE AND VALLEY FEDERATION", "public", None),
    ("THE OAKTREE FEDERATION", "public", None),
    ("NORTHBROOK PRIMARY FEDERATION", "public", None),
    ("RIVERSIDE FEDERATION TRUST", "public", None),
    ("FEDERATION OF MASTER BUILDERS", "private", None),  # business cue; not public
    ("NATIONAL FEDERATION OF WOMENS INSTITUTES", "unknown", None),
    ("BRITISH ROOFING FEDERATION LTD", "private", None),
    ("KENT C C (CHIEF CASHIER)", "public", None),
    ("CYNGOR SIR CEREDIGION", "public", None),
    ("COLEG SIR GAR", "public", None),
    ("YSGOL GYMRAEG ABERTAWE", "public", None),
    ("PRIFYSGOL BANGOR", "public", None),
    ("DEPT FOR EDUCATION", "public", None),
    ("DEPT ENERGY & CLIMATE CHANGE", "public", None),
    ("DEPARTMENT STORE LTD", "private", None),
    ("OFFICE OF THE PUBLIC GUARDIAN", "public", None),
    ("OFFICE FOR NATIONAL STATISTICS", "public", None),
    ("H M PRISON SERVICE", "public", None),
    ("D B S", "public", None),
    ("DBS BUILDING SERVICES LTD", "private", None),
    ("LEEDS TEACHING HOSPITALS FT", "public", None),
    ("HYWEL DDA UNIVERSITY HEALTH BOARD", "public", None),
    ("SURREY OPCC", "public", None),
    ("ST ANNES C OF E", "public", None),
    ("MARKET FIELD ACADEMY", "public", None),
    # not public, though the name says school/academy/college/HM/PCC
    ("STARLIGHT DANCE ACADEMY", "unknown", None),
    ("STARLIGHT DANCE ACADEMY LTD", "private", None),
    ("ACE DRIVING SCHOOL", "unknown", None),
    ("SCHOOL UNIFORMS DIRECT", "private", None),
    ("ROYAL COLLEGE OF NURSING", "unknown", None),
    ("ELM LODGE CARE HM", "unknown", None),
    ("PCC GROUP LTD", "private", None),
    # VCSE
    ("LITTLE ACORNS KINDERGARTEN", "vcse", "pre-school or playgroup"),
    ("ACORN KINDERGARTEN LTD", "private", None),
    ("BBC CHILDREN IN NEED", "vcse", "charity"),
    ("1ST ANYTOWN BOYS BRIGADE", "vcse", "charity"),
    ("BRIGADE ELECTRONICS LTD", "private", None),
    ("MIND IN SALFORD", "vcse", "charity"),
    ("BRIGHTON AND HOVE MIND", "vcse", "charity"),
    ("MINDFUL DESIGNS LTD", "private", None),
    ("PEACE OF MIND", "unknown", None),
    ("MIND YOUR BUSINESS LTD", "private", None),
    ("LONDON MUTUAL CREDIT UNION LTD", "vcse", "co-operative"),
    ("PCC OF ST PETER", "vcse", "faith group"),
    ("ABBEY GARAGE", "private", None),
    ("THE HARBOUR TRUST LIMITED", "vcse", "charity"),
    ("ANCHOR FOUNDATION LTD", "vcse", "charity"),
    ("TRUST INNS GROUP LTD", "private", None),
    ("TRUST PROPERTY LTD", "private", None),
    ("KENT ACADEMIES TRUST", "public", None),
    # curated national organisations (known_organisations.csv)
    ("SCOPE MARKETING LTD", "private", None),
    ("TURNING POINT TRAINING LTD", "private", None),
]


@pytest.mark.parametrize(("name", "org_type", "form"), GENERAL_CASES)
def test_general_naming_conventions(name: str, org_type: str, form: str | None) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == org_type, got["rule"]
    if form:
        assert got["vcse_form"] == form


def test_known_organisations_file_names_its_source_and_reason() -> None:
    from kil_analysis.enrich.name_rules import known_organisations

    table = known_organisations()
    # national firms are listed by the published list that names them (regulators' registers,
    # the Cabinet Office's strategic suppliers, trade rankings), never one council's payee
    assert set(table["org_type"]) <= {"vcse", "public", "private"}
    firms = table[table["org_type"].eq("private")]
    assert firms["reason"].str.startswith("national").all()
    assert set(table["match"]) <= {"exact", "prefix"}
    assert (table["source"] != "").all() and (table["reason"] != "").all()
    assert table["key"].is_unique


def test_a_registered_charity_named_council_is_a_charity_and_says_so(tmp_path) -> None:
    from kil_analysis.readers.registers.charities import read_other_names
    from kil_analysis.readers.registers.shape import Registers

    path = tmp_path / "publicextract.charity_other_names.json"
    path.write_text(
        '[{"registered_charity_number":313364,"linked_charity_number":0,'
        '"charity_name_type":"Working name","charity_name":"FIELD STUDIES COUNCIL"}]'
    )
    regs = Registers(organisations=read_other_names(path))
    out = classify_suppliers(["FIELD STUDIES COUNCIL", "EXAMPLE DISTRICT COUNCIL"], regs)
    assert out["org_type"].tolist() == ["vcse", "public"]
    assert out["evidence"].iloc[0] == "GB-CHC-313364 (exact name)"


def charitable_companies(tmp_path, rows: str):
    """Registers holding a charity-company-numbers.csv (the real layout) with ``rows``."""
    from kil_analysis.readers.registers.charities import read_charity_company_numbers
    from kil_analysis.readers.registers.shape import Registers

    path = tmp_path / "charity-company-numbers.csv"
    path.write_text("org_id_a,org_id_b,name\n" + rows)
    return Registers(organisations=read_charity_company_numbers(path))


def test_register_exact_name_match_finds_a_charitable_company(tmp_path) -> None:
    regs = charitable_companies(tmp_path, "GB-CHC-1040756,GB-COH-02876150,EXAMPLE2BE\n")
    out = classify_suppliers(["EXAMPLE2BE", "Example2Be Ltd"], regs)
    assert out["org_type"].tolist() == ["vcse", "vcse"]
    assert out["register_id"].tolist() == ["GB-CHC-1040756", "GB-CHC-1040756"]


FINANCE_SYSTEM_ACCOUNTS = [
    "MISCELLANEOUS PAYMENTS BACS",
    "MISCELLANEOUS PAYMENTS CHQ",
    "SUNDRY CREDITORS",
    "PETTY CASH IMPREST",
    "SUSPENSE ACCOUNT",
    "ONE TIME VENDOR",
    "ENERGY REBATE GRANTS",
    "COUNCIL TAX REFUNDS",
    "INTERNAL RECHARGES",
    "DO NOT USE",
    "TELEGRAPHIC TRANSFERS",
    "FOREIGN PAYMENTS",
    "LOAN INVESTMENT/REPAYMENTS",  # a treasury line
    "LOANS AND INVESTMENTS",
]


@pytest.mark.parametrize("name", FINANCE_SYSTEM_ACCOUNTS)
def test_finance_system_accounts_are_not_suppliers(name: str) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == "not_a_supplier", got["rule"]


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        ("SUNDRY SUPPLIES LTD", "private"),  # a company, whatever it sells
        ("ACME BUILDERS LTD (DO NOT USE)", "private"),  # a retired record of a real supplier
        ("SMALL GRANTS TRUST", "vcse"),
        ("OVERSEAS TRANSFERS LTD", "private"),  # a money-transfer firm
        ("EXAMPLE INVESTMENTS LTD", "private"),
        ("EXAMPLE LOANS", "unknown"),  # a lender's name goes beyond treasury words
    ],
)
def test_suppliers_with_account_words_stay_suppliers(name: str, org_type: str) -> None:
    assert apply_name_rules(pd.Series([name])).iloc[0]["org_type"] == org_type


@pytest.mark.parametrize(
    "name",
    ["COMMUNITY PROJECT", "ST MARYS CHAPEL", "RIVERSIDE CENTRE", "ACORN CARE", "SCHOOLS PROJECT"],
)
def test_soft_cues_never_decide_alone(name: str) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] != "vcse", got["rule"]
    if got["org_type"] == "private":
        # a care provider's trade name ("ACORN CARE") is read private, but only as a guess
        assert got["rule"] == "care or fostering trade name"
        assert got["rule_confidence"] <= 0.5
    else:
        assert got["org_type"] in ("unknown", "public"), got["rule"]


@pytest.mark.parametrize("name", ["HC ONE", "OIL NRG", "GATESHEAD MBC", "BT PLC"])
def test_trade_names_are_not_people(name: str) -> None:
    assert apply_name_rules(pd.Series([name])).iloc[0]["org_type"] != "individual"


def test_vcse_forms_are_unspecified_unless_stated() -> None:
    got = apply_name_rules(pd.Series(["TOPSHAM MUSEUM SOCIETY", "FRIENDS OF THE PARK", "X CIC"]))
    assert got["vcse_form"].tolist() == ["unspecified", "unspecified", "CIC"]


def test_names_cut_at_a_field_width_read_their_last_word() -> None:
    got = apply_name_rules(
        pd.Series(["Greater Manchester Combined Authori", "Greater Manchester Mental Health NH"])
    )
    assert got["org_type"].tolist() == ["public", "public"]


def test_run_together_words_are_split_by_words_seen_elsewhere() -> None:
    from kil_analysis.enrich.name_rules import rule_text

    names = pd.Series(
        [
            "NEWCASTLEUPONTYNE HOSPITALTRUST",
            "NEWCASTLE CITY",
            "NEWCASTLE UPON TYNE HOMES",
            "STRATFORD UPON AVON TAXIS",
            "TYNE HOMES",
        ]
    )
    assert rule_text(names).iloc[0] == "NEWCASTLE UPON TYNE HOSPITAL TRUST"
    assert apply_name_rules(names).iloc[0]["org_type"] == "public"


def test_an_llp_is_never_read_as_a_charity(tmp_path) -> None:
    regs = charitable_companies(tmp_path, "GB-CHC-1000001,GB-COH-00000001,EXAMPLE PARTNERS\n")
    out = classify_suppliers(["EXAMPLE PARTNERS LLP"], regs)
    assert out["org_type"].item() == "private"


def test_a_firm_named_among_a_charitys_other_names_is_not_the_charity(tmp_path) -> None:
    # the Charity Commission keeps the founding firm's name ("… (UK) LLP") as a foundation's
    # previous name; the firm paid under its bare name is not the charity
    regs = other_names(
        tmp_path,
        (1000002, "HARGREAVE LOCKWOOD (UK) LLP"),
        (1000002, "HARGREAVE LOCKWOOD FOUNDATION"),
        (1000003, "ASHBY CARTWRIGHT HOLDINGS PLC"),
    )
    names = ["HARGREAVE LOCKWOOD", "ASHBY CARTWRIGHT HOLDINGS", "HARGREAVE LOCKWOOD FOUNDATION"]
    got = classify_suppliers(names, regs)["org_type"].tolist()
    assert got[0] != "vcse" and got[1] != "vcse" and got[2] == "vcse", got


def other_names(tmp_path, *rows: tuple[int, str]):
    """Registers holding a Charity Commission other-names extract (the real layout)."""
    import json

    from kil_analysis.readers.registers.charities import read_other_names
    from kil_analysis.readers.registers.shape import Registers

    path = tmp_path / "publicextract.charity_other_names.json"
    path.write_text(
        json.dumps(
            [
                {
                    "registered_charity_number": number,
                    "linked_charity_number": 0,
                    "charity_name_type": "Working name",
                    "charity_name": name,
                }
                for number, name in rows
            ]
        )
    )
    return Registers(organisations=read_other_names(path))


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        ("SWANTON COMMUNITY CARE", "private"),
        ("WARDLEY GATE CARE CENTRE", "private"),
        ("MALHOTRA CARE", "private"),
        ("BLUE SKY FOSTERING", "private"),
        ("EXAMPLE CARE TRUST", "public"),  # an NHS care trust, not a care firm
        ("EXAMPLE CARERS ASSOCIATION", "vcse"),  # a VCSE cue is read before the trade name
    ],
)
def test_care_and_fostering_trade_names_read_private_only_as_a_guess(name, org_type) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == org_type, got["rule"]
    if org_type == "private":
        assert got["rule_confidence"] <= 0.5


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        ("GREATER MANCHESTER SUPERANN FUND", "public"),  # the payroll contraction
        ("INLAND REVENUE 465 PC2003", "public"),  # HMRC's former name on an old account
        ("BUSINESS SERVICES AUTHORITY", "public"),  # AUTHORITY: a sensitive word
        ("AUTHORITY SIGNS LTD", "private"),
        ("VILLAGE MONTESSORI NURSERY SCHOOL", "private"),  # a private setting, not a school
        ("EXAMPLE DOMESTIC ABUSE SERVICE", "vcse"),
        ("DERE STREET BARRISTERS", "private"),
        ("TRINITY CHAMBERS", "private"),
        # the Windows-1252 apostrophe a file read as Latin-1 leaves in a name
        ("BARNARDO\x92S", "vcse"),
        ("EXAMPLE VALE H.A.", "vcse"),  # a housing association's short form
        ("EXAMPLE VALE HA", "vcse"),
        # vowels dropped to fit a field: the category word is still read
        ("EXAMPLE CITY COUNCL (FINANCE)", "public"),
        ("EXAMPLE COMMUNITY & SPRTS ACDMY", "public"),
        ("CARE QUALITY COMMISSN", "public"),
        ("EXAMPLE PURCHASING ORGANISATN", "public"),
        ("ST EXAMPLE CHRCH", "vcse"),
        ("EXAMPLE LIMTED", "private"),
        # … but not a word of its own that happens to fit a longer one
        ("CORNERS CAFE", "unknown"),  # not CORONERS
        ("ANGEL GARDENS", "unknown"),  # not ANGELA
        # a word the rules name is not cut into pieces of their patterns (AUTHORIT + IES)
        ("NORTH WESTERN LOCAL AUTHORITIES EMPLOYERS", "public"),
        ("EXAMPLE COMPREHENSIVE", "public"),  # a state secondary school's own word
    ],
)
def test_finance_system_shortenings_and_public_naming(name: str, org_type: str) -> None:
    assert apply_name_rules(pd.Series([name])).iloc[0]["org_type"] == org_type


def test_a_one_word_charity_name_is_not_a_company_of_that_name(tmp_path) -> None:
    regs = other_names(tmp_path, (1000001, "COLAS"), (1000002, "HOME GROUP LIMITED"))
    out = classify_suppliers(["COLAS LTD", "COLAS", "HOME GROUP LTD"], regs)
    # "COLAS LTD" is a firm that shares a charity's one-word working name; the charity's own
    # name and a register name that carries the company form are evidence
    assert out["org_type"].tolist() == ["private", "vcse", "vcse"]


def test_run_together_names_and_a_charity_tail_meet_the_register(tmp_path) -> None:
    regs = other_names(
        tmp_path, (1000003, "HOUSING 21"), (1000004, "HUMANKIND CHARITY"), (1000005, "WAVE")
    )
    out = classify_suppliers(["HOUSING21", "HUMANKIND", "WAVE - EXAMPLE WATER BUSINESS"], regs)
    assert out["org_type"].tolist()[:2] == ["vcse", "vcse"]
    assert out["evidence"].iloc[0] == "GB-CHC-1000003 (exact name (spacing ignored))"
    # one word left once the qualifier is dropped names no one organisation
    assert out["org_type"].iloc[2] != "vcse"


def test_a_parish_council_is_the_council_not_a_charity_of_its_name(tmp_path) -> None:
    regs = other_names(tmp_path, (1000006, "EXAMPLE PARISH COUNCIL"), (1000007, "EXAMPLE COUNCIL"))
    out = classify_suppliers(["EXAMPLE PARISH COUNCIL", "EXAMPLE COUNCIL"], regs)
    # a charity registered as "EXAMPLE COUNCIL" is a charity (FIELD STUDIES COUNCIL); a parish
    # council's statutory name is the council
    assert out["org_type"].tolist() == ["public", "vcse"]


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        ("EXAMPLE BUSINESS T/A WAVE", "private"),
        ("JOHN SMITH T/A SMITH TAXIS", "individual"),
        ("GMCA GMUTC OTHER WORK", "public"),  # a combined authority's own short name
        ("NEXUS", "public"),
        ("NEXUS IT LTD", "private"),  # the PTE's name is matched whole, not as a prefix
    ],
)
def test_trading_names_and_transport_bodies(name: str, org_type: str) -> None:
    assert apply_name_rules(pd.Series([name])).iloc[0]["org_type"] == org_type


def test_a_government_bodys_initials_are_not_a_company_of_that_name(tmp_path) -> None:
    from kil_analysis.readers.registers.public_bodies import read_govuk_organisations
    from kil_analysis.readers.registers.shape import Registers

    path = tmp_path / "organisations.csv"
    path.write_text(
        "GB-GOR,Name,Type,GOVUK URL,URL,Updated\n"
        "PB1,Advisory Committee on Conscientious Objectors,Other,,,\n"
    )
    regs = Registers(organisations=read_govuk_organisations(path))
    out = classify_suppliers(["ACCO UK LTD", "ACCO"], regs)
    assert out["org_type"].tolist() == ["private", "public"]


def test_a_school_name_the_independent_list_holds_twice_is_read_by_the_school_rule(
    tmp_path,
) -> None:
    from kil_analysis.readers.registers.public_bodies import read_independent_schools
    from kil_analysis.readers.registers.shape import Registers

    path = tmp_path / "independent.csv"
    path.write_text(
        "URN,EstablishmentName,charity_number,company_number,charity_name,active\n"
        "100001,St Example More School,,,,True\n"
        "100002,St Example More School,,,,True\n"
        "100003,Hillside Prep School,,01234567,,True\n"
    )
    regs = Registers(organisations=read_independent_schools(path))
    out = classify_suppliers(["ST EXAMPLE MORE SCHOOL", "HILLSIDE PREP SCHOOL"], regs)
    # a saint's name two listed schools share says nothing about which school is paid (most
    # schools of a shared name are state schools); a name the list holds once is that school
    assert out["org_type"].tolist() == ["public", "private"]


def test_vowel_dropped_forms_keep_every_consonant_in_order() -> None:
    from kil_analysis.enrich.name_rules import is_vowel_dropped

    assert is_vowel_dropped("COUNCL", "COUNCIL")
    assert is_vowel_dropped("COMMISSN", "COMMISSION")
    assert is_vowel_dropped("NRSRY", "NURSERY")
    assert not is_vowel_dropped("CNL", "COUNCIL")  # a consonant (C) is gone too
    assert not is_vowel_dropped("COUNC", "COUNCIL")  # cut, not vowel-dropped
    assert not is_vowel_dropped("COUNCIL", "COUNCIL")


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        # a group of companies without a legal form in the name
        ("EXAMPLE GROUP", "private"),
        ("EXAMPLE GROUP OF COMPANIES", "private"),
        # groups that say what kind of group they are: not a company
        ("EXAMPLE ACTION GROUP", "unknown"),
        ("EXAMPLE ART GROUP", "unknown"),
        ("EXAMPLE LABOUR GROUP", "unknown"),
        ("EXAMPLE MEDICAL GROUP", "unknown"),
        ("EXAMPLE PARENTS SUPPORT GROUP", "vcse"),  # a cause cue reads it first
        # a childminder is a person, whatever the trading name
        ("SMITH JANE / CHILDMINDER", "individual"),
        ("LITTLE STARS CHILDMINDING", "individual"),
        ("EXAMPLE CHILDMINDING AGENCY LTD", "private"),
        # trade nouns
        ("EXAMPLE WATER", "private"),
        ("EXAMPLE CHILDCARE", "private"),
        ("EXAMPLE INS BROKER", "private"),
        ("EXAMPLE SAFETY TRAINING", "private"),
        # the professional-service words only as the last word
        ("EXAMPLE TRAINING PROVIDER NETWORK", "unknown"),
        ("EXAMPLE MANAGEMENT INSTITUTE", "unknown"),
        ("EXAMPLE WATER AID", "unknown"),
    ],
)
def test_company_groups_childminders_and_trade_nouns(name: str, org_type: str) -> None:
    assert apply_name_rules(pd.Series([name])).iloc[0]["org_type"] == org_type


def test_a_council_under_its_name_with_kind_words_shortened(tmp_path) -> None:
    from kil_analysis.enrich.council_names import is_shortened
    from kil_analysis.readers.registers.public_bodies import read_local_authorities
    from kil_analysis.readers.registers.shape import Registers

    assert is_shortened("DST", "DISTRICT") and is_shortened("CNL", "COUNCIL")
    assert is_shortened("BORO", "BOROUGH") and is_shortened("MET", "METROPOLITAN")
    assert not is_shortened("DC", "DISTRICT")  # initials, not a shortened word
    assert not is_shortened("CLN", "COUNCIL")  # letters out of order
    path = tmp_path / "local-authority-eng.tsv"
    path.write_text(
        "local-authority-eng\tlocal-authority-type\tname\tofficial-name\tstart-date\tend-date\n"
        "EXD\tNMD\tExample Dale\tExample Dale District Council\t\t\n"
        "EXM\tNMD\tMid Example\tMid Example District Council\t\t\n"
        "EXN\tNMD\tNorth Example\tNorth Example District Council\t\t\n"
        "EXT\tMD\tExampleside\tExampleside Metropolitan Borough Council\t\t\n"
    )
    regs = Registers(organisations=read_local_authorities(path))
    out = classify_suppliers(
        [
            "EXAMPLE DALE DST CNL(CAREFIRST ONLY",  # a bracket cut before it closed
            "MID EXAMPLE DIST COUNC",
            "EXAMPLESIDE MET BORO CNL",
            "EXAMPLESIDE METROPOLITAN BOROUGH",
            "EXAMPLE DALE DRAINS CNL",  # a place word not written in full: not the council
            "N EXAMPLE DST CNL",  # the place shortened: N could be any place
        ],
        regs,
    )
    assert out["org_type"].tolist()[:4] == ["public"] * 4
    assert out["register_id"].tolist()[:3] == ["GB-LAE-EXD", "GB-LAE-EXM", "GB-LAE-EXT"]
    assert out["evidence"].iloc[0] == "GB-LAE-EXD (council name shortened)"
    assert out["org_type"].tolist()[4:] == ["unknown", "unknown"]


@pytest.mark.parametrize(
    "name", ["EXAMPLE PREPARATORY SCHOOL", "EXAMPLE PRE-PREP SCHOOL", "EXAMPLE INDEPENDENT SCHOOL"]
)
def test_a_preparatory_or_independent_school_is_not_read_as_a_state_school(name: str) -> None:
    assert apply_name_rules(pd.Series([name])).iloc[0]["org_type"] != "public"


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        ("EXAMPLE SALES COMPANY", "private"),
        ("THE EXAMPLE KEY COMPANY", "private"),
        ("EXAMPLE THEATRE COMPANY", "unknown"),  # arts companies are often charities
        ("EXAMPLE COMMUNITY DEVELOPMENT COMPANY", "unknown"),
        ("EXAMPLE COMPANY OF PLAYERS", "unknown"),  # COMPANY not the last word
    ],
)
def test_a_company_without_a_legal_form(name: str, org_type: str) -> None:
    assert apply_name_rules(pd.Series([name])).iloc[0]["org_type"] == org_type


def test_a_charitys_own_company_is_in_the_charitys_group(tmp_path) -> None:
    regs = other_names(
        tmp_path,
        (1000011, "EXAMPLE FOR CHILDREN"),
        *((1000020 + i, "NEW EXAMPLE") for i in range(4)),  # a phrase four charities share
        (1000030, "EXAMPLE"),
    )
    out = classify_suppliers(
        [
            "EXAMPLE FOR CHILDREN SERVICES LTD",  # its service subsidiary
            "EXAMPLE FOR CHILDREN TRADING LIMITED",  # its trading subsidiary
            "NEW EXAMPLE SERVICES LTD",  # a common phrase: no evidence of one charity
            "EXAMPLE SERVICES LTD",  # one word left: shared by chance
            "EXAMPLE FOR CHILDREN CONSTRUCTION LTD",  # not a subsidiary's tail
        ],
        regs,
    )
    assert out["org_type"].tolist() == ["vcse", "vcse", "private", "private", "private"]
    assert out["evidence"].iloc[0] == "GB-CHC-1000011 (charity's own company)"
    # the subsidiary is in the charity's group; its own form is not known
    assert out["vcse_form"].iloc[0] == "unspecified"


def test_initials_held_only_as_a_working_name_are_not_evidence_alone(tmp_path) -> None:
    regs = other_names(tmp_path, (1000041, "EXB"), (1000042, "EXAMPLEABILITY"))
    out = classify_suppliers(["EXB", "EXAMPLEABILITY"], regs)
    # three letters that a charity calls itself are shared with firms ("IBM"): not decided;
    # a longer one-word working name still reads vcse, at lower confidence
    assert out["org_type"].tolist() == ["unknown", "vcse"]
    assert out["confidence"].iloc[1] <= 0.6


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        ("EXAMPLE OF GOD CARE SERVICES", "vcse"),  # a religious order's care charity
        ("CATHOLIC CARE", "vcse"),
        ("JEWISH CARE", "vcse"),
        ("SAINT EXAMPLE CARE", "private"),  # a saint's name alone is a house name
        ("EXAMPLE WATER AUTHORITY", "private"),  # the water authorities were sold in 1989
        ("EXAMPLE PURCHASING ORGANIZATION", "public"),  # US spelling
        ("EXAMPLE CONSTRUCTION (SPECIAL PROJECTS) L", "private"),  # LIMITED cut at one letter
        # any other lone letter ending a long name is a person's initial, not NHS / GOVERNMENT
        ("MACDONALD-EXAMPLESON CATHERINE N", "unknown"),
        ("ARMSTRONG-EXAMPLEHEAD GEORGINA G", "unknown"),
        ("EXAMPLE BROS", "private"),
        ("EXAMPLE CARE 24-7", "private"),
        ("EXAMPLEBRAND UK", "private"),
        ("EXAMPLESON & EXAMPLEWORTH", "private"),
        ("SUMMEREXAMPLE RES HOME", "private"),
        ("EXAMPLE VAN CENTRE", "private"),
        ("EXAMPLE DRUG & ALCOHOL ACTION TEAM", "public"),
        ("HEALTHWATCH EXAMPLESHIRE", "vcse"),
        ("BARNARDO\\x92S", "vcse"),  # a Windows-1252 apostrophe written out as escape text
        ("EXAMPLEGAS DIRECT", "private"),
        ("EXAMPLE CAMPBELL LAW", "private"),
        ("EXAMPLE OFFICE INTERIORS", "private"),
        ("EXAMPLE SUPPORTED LIVING", "private"),
        ("SUPPORTED LIVING AND EXAMPLE", "unknown"),  # begins with the service: no brand
    ],
)
def test_round_five_naming_conventions(name: str, org_type: str) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == org_type, got["rule"]


def test_the_rules_read_a_name_without_its_territory_qualifier() -> None:
    out = classify_suppliers(["EXAMPLEBIRD CARE (EXAMPLETON NORTH)", "EXAMPLE (EXAMPLETON)"])
    assert out["org_type"].tolist() == ["private", "unknown"]
    assert out["evidence"].iloc[0].endswith("(qualifier dropped)")


def test_a_cic_or_cio_named_school_is_the_body_that_runs_it(tmp_path) -> None:
    from kil_analysis.readers.registers.public_bodies import read_schools
    from kil_analysis.readers.registers.shape import Registers

    path = tmp_path / "schools.csv"
    path.write_text(
        "urn,name,town,postcode,lead_school,open_date,close_date\n"
        "900001,Example Able CIC,Exampleton,EX1 1AA,false,,\n"
        "900002,Example Green CIO,Exampleton,EX1 1AB,false,,\n"
    )
    regs = Registers(organisations=read_schools(path))
    out = classify_suppliers(["EXAMPLE ABLE CIC", "EXAMPLE GREEN CIO"], regs)
    assert out["org_type"].tolist() == ["vcse", "vcse"]


def test_a_housing_associations_own_company_drops_association(tmp_path) -> None:
    regs = other_names(
        tmp_path,
        (1000051, "EXAMPLETON HOUSING ASSOCIATION"),
        (1000052, "EXAMPLE COMMUNITY ASSOCIATION"),
    )
    out = classify_suppliers(
        [
            "EXAMPLETON HOUSING SUPPORT LTD",  # the housing association's support company
            "EXAMPLE COMMUNITY SUPPORT LTD",  # not a housing stem: another body of the phrase
        ],
        regs,
    )
    assert out["org_type"].tolist() == ["vcse", "private"]
    assert out["evidence"].iloc[0] == "GB-CHC-1000051 (charity's own company)"


def test_a_payment_in_respect_of_a_home_and_a_former_name_are_qualifiers(tmp_path) -> None:
    regs = other_names(tmp_path, (1000061, "EXAMPLE COMMUNITY SERVICES"))
    out = classify_suppliers(
        [
            "EXAMPLE COMMUNITY SERVICES RE EXAMPLE COURT",  # the charity, paid for one home
            "EXAMPLE COMMUNITY SERVICES FORMERLY OLDNAME",  # under its former name as well
            "EXAMPLE RE INTERNATIONAL",  # a reinsurer: one word before RE is no payee's name
        ],
        regs,
    )
    assert out["org_type"].tolist()[:2] == ["vcse", "vcse"]
    assert out["evidence"].iloc[0] == "GB-CHC-1000061 (exact name (qualifier dropped))"
    assert out["org_type"].iloc[2] != "vcse"


def test_a_government_body_sold_since_is_not_the_company_that_carries_its_name(
    tmp_path,
) -> None:
    from kil_analysis.readers.registers.public_bodies import read_govuk_organisations
    from kil_analysis.readers.registers.shape import Registers

    path = tmp_path / "organisations.csv"
    path.write_text(
        "GB-GOR,Name,Type,GOVUK URL,URL,Updated\nPC1,Example Mail,Public corporation,,,\n"
    )
    regs = Registers(organisations=read_govuk_organisations(path))
    out = classify_suppliers(["EXAMPLE MAIL GROUP PLC", "EXAMPLE MAIL LTD", "EXAMPLE MAIL"], regs)
    assert out["org_type"].tolist() == ["private", "private", "public"]


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        ("CHRISTIAN EXAMPLESON CARE", "private"),  # a given name, not the faith
        ("CHRISTIAN CARE EXAMPLETON", "vcse"),
        ("EXAMPLETON CHRISTIAN SUPPORT", "vcse"),
        ("HEARTS AND MINDS", "unknown"),  # two plurals: a phrase, not two partners
        ("COMMUNICATION AND EXAMPLE", "unknown"),  # an abstract noun is no surname
        ("EXAMPLESON & EXAMPLEWORTH", "private"),
        ("JONES & EVANS", "private"),  # two surnames that end in S are still partners
        ("EXAMPLESON & CLEMENT", "private"),  # a surname in -MENT
        ("EXAMPLETON COMMUNITY LAW", "vcse"),  # a law centre
        ("EXAMPLESON LAW", "private"),  # a law firm
        # a long personal name ending in the initial L is not LIMITED cut short
        ("MACDONALD-EXAMPLESON CATHERINE L", "unknown"),
        ("EXAMPLE CONSTRUCTION (SPECIAL PROJECTS) L", "private"),
    ],
)
def test_round_six_review_mends(name: str, org_type: str) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == org_type, got["rule"]


def test_a_government_bodys_derived_initialism_yields_to_a_charity_registered_so(
    tmp_path,
) -> None:
    from kil_analysis.readers.registers.public_bodies import read_govuk_organisations
    from kil_analysis.readers.registers.shape import Registers

    gov = tmp_path / "organisations.csv"
    gov.write_text(
        "GB-GOR,Name,Type,GOVUK URL,URL,Updated\n"
        "OT1,Defence Example and Security Centre,Other,,,\n"
        "OT2,Example Widget Standards Agency,Other,,,\n"
    )
    charities = other_names(tmp_path, (1000071, "DESC"))
    regs = Registers(
        organisations=pd.concat(
            [read_govuk_organisations(gov), charities.organisations], ignore_index=True
        )
    )
    # DESC is what kil derives for the Centre, and what a charity is registered as; EWSA is
    # only the agency's derived initialism
    out = classify_suppliers(["D.E.S.C.", "EWSA"], regs)
    assert out["org_type"].tolist() == ["vcse", "public"]


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        ("EXAMPLE PARK J&I", "public"),  # junior and infant school
        ("EXAMPLE VILLAGE CE (VC)", "public"),  # voluntary controlled church school
        ("ST EXAMPLE CATHOLIC HIGH", "public"),
        ("EXAMPLESON J & I", "unknown"),  # a couple's initials after a surname
        ("EXAMPLE J & I SCHOOL", "public"),
        ("EXAMPLE HOUSE PRIORY", "unknown"),  # a home's name, not a religious house
        ("EXAMPLETON METHODIST CHURCH", "vcse"),
    ],
)
def test_school_types_as_ledgers_shorten_them_and_priory(name: str, org_type: str) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == org_type, got["rule"]


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        # a placeholder where the payee's name should be: the ledger does not say who was paid
        ("UNKNOWN", "not_a_supplier"),
        ("n/a", "not_a_supplier"),
        ("Various - Total Expenses", "not_a_supplier"),
        # a minister of the Crown, and a council's name cut before COUNCIL
        ("The Secretary Of State", "public"),
        ("City Of Exampleton Metropolitan District", "public"),
        # a PFI project company, though its name carries no legal form
        ("Environments For Learning Exampleton Pfi One", "private"),
        # the council's own foster carers paid under one account; an agency has a brand
        ("Foster Care - Bacs", "individual"),
        ("BRIGHT EXAMPLE FOSTERING", "private"),
    ],
)
def test_placeholders_ministers_pfi_companies_and_foster_carers(name: str, org_type: str) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == org_type, got["rule"]


def test_a_firm_whose_name_begins_with_various_is_no_placeholder() -> None:
    got = apply_name_rules(pd.Series(["VARIOUS ARTISTS MANAGEMENT"])).iloc[0]
    assert got["org_type"] != "not_a_supplier", got["rule"]


def test_a_ledger_account_is_not_an_academy() -> None:
    # "A/C" and a trailing "AC" on a long (cut) name are an account: before, both completed to
    # ACADEMY and read as a school
    long_names = pd.Series(
        ["EXAMPLETON & DISTRICT HOUSING LIMITED RENT A/C", "EXAMPLE SOC-SUPPORTED LIVING AC"]
    )
    got = apply_name_rules(long_names)
    assert (got["org_type"] != "public").all(), got["rule"].tolist()


def test_a_placeholder_is_an_account_even_where_a_register_holds_the_word(tmp_path) -> None:
    # the Charity Commission holds "N/A" as a charity's working name (GB-CHC-1131040)
    out = classify_suppliers(["N/A"], other_names(tmp_path, (1000001, "N/A")))
    assert out["org_type"].tolist() == ["not_a_supplier"]


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        # a care home paid by the house's name alone
        ("BECKSIDE LODGE", "private"),
        ("THE MANOR HOUSE", "private"),
        ("EXAMPLE GRANGE AND LODGE", "private"),
        ("WILLIAM HOUSE", "private"),  # a house named after a person, not the person
        ("EXAMPLE GRANGE CARE VILLAGE", "private"),
        # the council's own buildings, courts and public offices are not care homes
        ("TOWN HALL", "unknown"),
        ("COMBINED COURT", "unknown"),
        ("COMPANIES HOUSE", "unknown"),
        ("EXAMPLE VILLAGE HALL", "vcse"),
        # a solicitor's client account: the firm is paid
        ("EXAMPLE CLIENT A/C READING", "private"),
        # women's centres, Barnardo's as ledgers write it, a community nursery
        ("WOMENCENTRE LTD", "vcse"),
        ("EXAMPLE WOMENS CENTRE", "vcse"),
        ("BARNARDO SERVICES LTD", "vcse"),
        ("EXAMPLE COMMUNITY NURSERY", "vcse"),
        ("EXAMPLE DAY NURSERY", "private"),
        # the National Autistic Society's own company (known_organisations.csv)
        ("NAS SERVICES LTD", "vcse"),
        # a care firm's brand run together with CARE; careers and carers are other words
        ("CAREMARK(EXAMPLETON)", "private"),
        ("EXAMPLECARE", "private"),
        ("EXAMPLE DAYCARE", "private"),
        ("CAREERS EXAMPLETON", "unknown"),
        ("CARERS EXAMPLETON", "vcse"),
        # a web address under a commercial domain stands for an online trader
        ("WWW.EXAMPLE.COM", "private"),
        ("EXAMPLETEMP.COM", "private"),
    ],
)
def test_round_seven_naming_conventions(name: str, org_type: str) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == org_type, got["rule"]


def test_a_payees_account_tail_is_dropped_before_matching(tmp_path) -> None:
    regs = other_names(tmp_path, (1000071, "EXAMPLETON AND DISTRICT HOUSING"))
    out = classify_suppliers(
        [
            "EXAMPLETON & DISTRICT HOUSING LIMITED RENT A/C",  # the body's rent account
            "EXAMPLETON & DISTRICT HOUSING RENT A/C",
            "EXAMPLETON & DISTRICT HOUSING LTD INVOICE PAYMENTS",
            "GARAGE RENT A/C",  # one word before the account names no payee
        ],
        regs,
    )
    assert out["org_type"].tolist()[:3] == ["vcse", "vcse", "vcse"]
    assert out["evidence"].iloc[0].startswith("GB-CHC-1000071")
    assert out["org_type"].iloc[3] != "vcse"


def test_the_legal_entity_of_a_ledger_name_is_its_bracketed_operator_or_the_name_before_a_tag():
    from kil_analysis.enrich.legal_entity import legal_entity_names

    names = pd.Series(
        [
            "ROSE COURT (EXAMPLE CARE LTD)",  # the home, then its operator
            "EXAMPLE HOMES (UK) LTD (NEW TOWN SCHEME)",  # a tag after the legal name
            "EXAMPLE HOUSING LTD (SP)",
            "EXAMPLE SUPPORT LIMITED T/A BRIGHT DAYS",
            "EXAMPLE NURSERY LTD-NURSERY",
            "EXAMPLE (SERVICES) LTD",  # the bracket is inside the legal name
            "EXAMPLE LTD",
            "A HOME (B LTD) (C LTD)",  # two operators: neither chosen
            "STOCKPORT MBC (ACCTS RECEIVABLE)",  # no legal form in the bracket
            "EXAMPLE (LTD)",  # a legal form alone names no one
        ]
    )
    assert legal_entity_names(names).tolist() == [
        "EXAMPLE CARE LTD",
        "EXAMPLE HOMES (UK) LTD",
        "EXAMPLE HOUSING LTD",
        "EXAMPLE SUPPORT LIMITED",
        "EXAMPLE NURSERY LTD",
        None,
        None,
        None,
        None,
        None,
    ]


def test_a_care_home_paid_with_its_operator_in_brackets_reads_as_the_operator(tmp_path) -> None:
    from kil_analysis.readers.registers.shape import Registers, org_frame

    regs = Registers(
        organisations=org_frame(
            register_id=pd.Series(["GB-CHC-1"]),
            name=pd.Series(["EXAMPLECARE LIMITED"]),
            org_type="vcse",
            vcse_form="charity",
            org_type_confidence=0.9,
            register="Charity Commission",
        )
    )
    out = classify_suppliers(
        ["SPRING HOUSE (EXAMPLECARE LTD)", "ELM COURT (OTHERCARE LTD)"], regs
    ).set_index("supplier_name")
    # the charity runs the home: its register entry, not the LTD in the bracket, decides
    assert out.loc["SPRING HOUSE (EXAMPLECARE LTD)", "org_type"] == "vcse"
    assert out.loc["SPRING HOUSE (EXAMPLECARE LTD)", "register_id"] == "GB-CHC-1"
    # an operator no register holds is a company by its legal form
    assert out.loc["ELM COURT (OTHERCARE LTD)", "org_type"] == "private"


@pytest.mark.parametrize(
    "name",
    [
        "MUNICIPAL MUTUAL INSURANCE LTD",
        "EXAMPLE BUILDING SOCIETY",
        "EXAMPLE FRIENDLY SOCIETY LTD",
        "EXAMPLE MUTUAL ASSURANCE",
    ],
)
def test_a_financial_mutual_is_a_business_not_a_cooperative(name: str) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert (got["org_type"], got["rule"]) == ("private", "financial mutual")


def test_a_statutory_body_on_the_known_list_is_not_a_company_of_its_initials() -> None:
    got = apply_name_rules(pd.Series(["NECA", "NECA TRAINING LTD"]))
    assert got["org_type"].tolist()[0] == "public"
    assert got["org_type"].tolist()[1] == "private"
    assert not got["rule"].iloc[1].startswith("known organisation")


def test_a_national_firm_on_the_known_list_yields_to_accounts_and_registers() -> None:
    from kil_analysis.readers.registers.shape import Registers, org_frame

    rules = apply_name_rules(pd.Series(["BALFOUR BEATTY", "ZURICH MUNICIPAL IMPREST ACCOUNT"]))
    assert rules["org_type"].tolist() == ["private", "not_a_supplier"]
    regs = Registers(
        organisations=org_frame(
            register_id=pd.Series(["GB-CHC-2"]),
            name=pd.Series(["BALFOUR BEATTY CHARITABLE TRUST"]),
            org_type="vcse",
            vcse_form="charity",
            org_type_confidence=0.9,
            register="Charity Commission",
        )
    )
    out = classify_suppliers(["BALFOUR BEATTY CHARITABLE TRUST", "BALFOUR BEATTY"], regs)
    assert out["org_type"].tolist() == ["vcse", "private"]


def test_a_charitys_working_name_is_not_a_company_with_uk_or_group_in_its_name() -> None:
    from kil_analysis.readers.registers.shape import Registers, org_frame

    regs = Registers(
        organisations=org_frame(
            register_id=pd.Series(["GB-CHC-3", "GB-CHC-4", "GB-CHC-5"]),
            name=pd.Series(["THE EXAMPLE LINK", "EXAMPLE RIGHTS GROUP", "EXAMPLE SYNDROME"]),
            org_type="vcse",
            vcse_form="charity",
            org_type_confidence=0.9,
            register="Charity Commission other names",
        )
    )
    out = classify_suppliers(
        ["EXAMPLE-LINK UK LTD", "EXAMPLE LINK", "EXAMPLE RIGHTS GROUP LTD", "EXAMPLE SYNDROME UK"],
        regs,
    ).set_index("supplier_name")
    # UK alone, with no legal form, is how national charities name themselves
    assert out.loc["EXAMPLE SYNDROME UK", "org_type"] == "vcse"
    assert out.loc["EXAMPLE-LINK UK LTD", "org_type"] == "private"
    assert out.loc["EXAMPLE LINK", "org_type"] == "vcse"
    # the charity's own name carries GROUP: still the charity
    assert out.loc["EXAMPLE RIGHTS GROUP LTD", "org_type"] == "vcse"


def test_a_person_who_shares_a_listed_firms_name_stays_a_person() -> None:
    got = apply_name_rules(pd.Series(["HANSON J A", "JOHN LEWIS", "HANSON AGGREGATES"]))
    assert got["org_type"].tolist() == ["individual", "individual", "private"]
