"""Area of operation (the "head office effect"), branch-based suppliers and the ONSPD zip."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from kil_analysis.analysis.quality import classification_caveats
from kil_analysis.config import load_council
from kil_analysis.demo import generate_demo
from kil_analysis.enrich import enrich_suppliers, load_registers
from kil_analysis.enrich.locality import assign_locality
from kil_analysis.enrich.operations import (
    AOO_COLUMNS,
    map_area_codes,
    operates_in_area,
    read_aoo_lookup,
    read_area_of_operation,
    registered_elsewhere_operates_here,
)
from kil_analysis.pipeline import attach_supplier_attributes
from kil_analysis.schema import SUPPLIER_COLUMNS

BRISTOL = load_council("bristol")
NEWCASTLE = load_council("newcastle")

# The published file: the data dictionary's fields, preceded by date_of_extract.
AOO_FIELDS = ["date_of_extract", *AOO_COLUMNS]
# charity number → areas (type, description): as the Commission writes them.
AREAS = {
    "1000001": [("Local Authority", "Bristol City")],  # local, named
    "1000002": [("Region", "Throughout England"), ("Local Authority", "Bristol City")],
    "1000003": [("Region", "Throughout England")],  # national only
    "1000004": [("Local Authority", "Leeds City"), ("Local Authority", "Wakefield")],
    "1000005": [("Country", "France"), ("Continent", "Europe")],
    "1000006": [("Local Authority", "Newcastle Upon Tyne City")],
}
OLD_LOOKUP = (
    "key,aootype,aookey,aooname,aoosort,welsh,master,GSS,ISO3166-1,ISO3166-1:3,ISO3166-2:GB,"
    "ContinentCode,oldCode\n"
    "A-1,A,1,THROUGHOUT ENGLAND AND WALES,At least 10 authorities in England and Wales,N,,"
    "K04000001,GB,GBR,GB-EAW,EU,941\n"
    "A-2,A,2,THROUGHOUT ENGLAND,At least 10 authorities in England only,N,,E92000001,GB,GBR,"
    "GB-ENG,EU,921\n"
    "B-60,B,60,NEWCASTLE UPON TYNE CITY,NEWCASTLE UPON TYNE,N,52,E08000021,GB,GBR,GB-NET,EU,00CJ\n"
    "B-74,B,74,LEEDS CITY,LEEDS,N,59,E08000035,GB,GBR,GB-LDS,EU,00DA\n"
    "B-139,B,139,BRISTOL CITY,BRISTOL,N,,E06000023,GB,GBR,GB-BST,EU,00HB\n"
    "B-191,B,191,WAKEFIELD,WAKEFIELD,N,59,E08000036,GB,GBR,GB-WKF,EU,00DB\n"
    "D-77,D,77,FRANCE,FRANCE,N,3,,FR,FRA,,EU,\n"
    "E-4,E,4,EUROPE,EUROPE,N,,,,,,EU,\n"
)
NEW_LOOKUP = (
    "\ufeffgeographic_area_type,geographic_area_description,GSS,ISO3166-1,ISO3166-1:3,"
    "ISO3166-2:GB,ContinentCode\n"
    "Continent,Europe,,,,,EU\n"
    "Country,France,,FR,FRA,,EU\n"
    "Local Authority,Bristol City,E06000023,GB,GBR,GB-BST,EU\n"
    "Local Authority,Leeds City,E08000035,GB,GBR,GB-LDS,EU\n"
    "Local Authority,Newcastle Upon Tyne City,E08000021,GB,GBR,GB-NET,EU\n"
    "Local Authority,Wakefield,E08000036,GB,GBR,GB-WKF,EU\n"
    "Region,Throughout England,E92000001,GB,GBR,GB-ENG,EU\n"
)


def aoo_text(areas: dict[str, list[tuple[str, str]]] = AREAS) -> str:
    lines = ["\t".join(AOO_FIELDS)]
    for i, (number, rows) in enumerate(sorted(areas.items())):
        for kind, desc in rows:
            parent = ("Continent", "Europe") if kind == "Country" else ("", "")
            lines.append(
                "\t".join(
                    ["2025-11-01 00:00:00", str(4000 + i), number, "0", kind, desc, *parent]
                    + ["False"]
                )
            )
    # A linked (subsidiary) charity's row is not the main charity's area.
    lines.append(
        "\t".join(["2025-11-01 00:00:00", "4999", "1000004", "1", "Local Authority"])
        + "\tBristol City\t\t\tFalse"
    )
    return "\r\n".join(lines) + "\r\n"


def write_aoo(folder: Path, lookup: str | None = OLD_LOOKUP) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "publicextract.charity_area_of_operation.txt").write_text(aoo_text(), "utf-8")
    if lookup is not None:
        name = "cc-aoo-gss-iso.csv" if lookup.startswith("key") else "cc-aoo-gss-iso-new.csv"
        (folder / name).write_text(lookup, "utf-8")
    return folder


def operates(config, areas: pd.DataFrame, lad_names=None) -> pd.DataFrame:
    numbers = pd.Series(sorted(AREAS) + ["1999999", None])
    return operates_in_area(numbers, areas, config, lad_names).set_axis(sorted(AREAS) + ["x", "y"])


def test_area_of_operation_loader_reads_the_real_format_text_and_zip(tmp_path: Path) -> None:
    folder = write_aoo(tmp_path / "registers", lookup=None)
    areas = read_area_of_operation(folder / "publicextract.charity_area_of_operation.txt")
    assert list(areas.columns) == ["charity_number", "area_type", "area_description"]
    assert len(areas) == sum(len(v) for v in AREAS.values())  # the linked charity's row dropped
    assert "Bristol City" not in set(
        areas.loc[areas["charity_number"] == "1000004", "area_description"]
    )
    zipped = tmp_path / "zipped"
    zipped.mkdir()
    with zipfile.ZipFile(zipped / "publicextract.charity_area_of_operation.zip", "w") as zf:
        zf.writestr("publicextract.charity_area_of_operation.txt", aoo_text())
    regs = load_registers(zipped)
    assert regs is not None and regs.areas_of_operation is not None
    assert len(regs.areas_of_operation) == len(areas)
    assert any("area of operation" in s for s in regs.sources)


@pytest.mark.parametrize("lookup", [OLD_LOOKUP, NEW_LOOKUP], ids=["old-layout", "new-layout"])
def test_operates_in_area_true_false_and_national(tmp_path: Path, lookup: str) -> None:
    regs = load_registers(write_aoo(tmp_path / "registers", lookup))
    got = operates(BRISTOL, regs.areas_of_operation)
    flag = got["operates_in_area"]
    assert flag.dtype == "boolean"
    assert flag["1000001"] and flag["1000002"]  # Bristol City (E06000023) named
    assert "Bristol City (E06000023)" in got.loc["1000002", "operates_evidence"]
    assert "GB-CHC-1000002" in got.loc["1000002", "operates_evidence"]
    # Throughout England: operates nationally, which is not evidence of delivering in Bristol.
    assert pd.isna(flag["1000003"])
    assert got.loc["1000003", "operates_evidence"].startswith("operates nationally")
    assert not flag["1000004"] and not flag["1000005"] and not flag["1000006"]
    assert got.loc["1000004", "operates_evidence"].startswith("area of operation elsewhere only")
    assert pd.isna(flag["x"]) and "no area of operation" in got.loc["x", "operates_evidence"]
    assert pd.isna(flag["y"]) and got.loc["y", "operates_evidence"] is None
    newcastle = operates(NEWCASTLE, regs.areas_of_operation)["operates_in_area"]
    assert newcastle["1000006"] and not newcastle["1000001"]


def test_without_the_lookup_the_council_is_matched_by_name(tmp_path: Path) -> None:
    regs = load_registers(write_aoo(tmp_path / "registers", lookup=None))
    assert any("no cc-aoo lookup" in s for s in regs.sources)
    got = operates(BRISTOL, regs.areas_of_operation)
    flag = got["operates_in_area"]
    assert flag["1000001"] and "council name" in got.loc["1000001", "operates_evidence"]
    assert pd.isna(flag["1000003"])  # "Throughout England" is known without the lookup
    assert not flag["1000004"] and "no cc-aoo lookup" in got.loc["1000004", "operates_evidence"]
    # "Newcastle Upon Tyne City" is not "Newcastle City Council": the ONS name settles it.
    assert not operates(NEWCASTLE, regs.areas_of_operation)["operates_in_area"]["1000006"]
    named = operates(NEWCASTLE, regs.areas_of_operation, {"E08000021": "Newcastle upon Tyne"})
    assert named["operates_in_area"]["1000006"]


def test_lookup_layouts_agree(tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text(OLD_LOOKUP)
    (tmp_path / "new.csv").write_text(NEW_LOOKUP, encoding="utf-8")
    areas = pd.DataFrame(
        {
            "charity_number": "1",
            "area_type": ["Local Authority", "Region", "Country", "Local Authority"],
            "area_description": ["Bristol City", "Throughout England", "France", "Nowhere"],
        }
    )
    for name in ("old.csv", "new.csv"):
        mapped = map_area_codes(areas, read_aoo_lookup(tmp_path / name))
        assert mapped["gss"].tolist() == ["E06000023", "E92000001", None, None]
        assert mapped["mapped_by"].tolist() == ["lookup", "lookup", "lookup", ""]


def spend_with_charities() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "supplier_name": ["Kind Hearts UK", "Bristol Help Trust", "Acme Ltd", "Acme Ltd"],
            "amount_pence": [600_00, 300_00, 50_00, 50_00],
            "charity_number": ["1000002", "1000001", None, None],
            "postcode": ["SE1 7PB", "BS1 4DJ", "LS1 1AA", "LS1 1AA"],
            "is_redacted": False,
        }
    )


def test_registered_elsewhere_operates_here_is_flagged_not_counted_local(tmp_path: Path) -> None:
    regs = load_registers(write_aoo(tmp_path / "registers"))
    out = enrich_suppliers(spend_with_charities(), BRISTOL, regs)
    assert list(out.columns[: len(SUPPLIER_COLUMNS)]) == SUPPLIER_COLUMNS
    assert {"operates_in_area", "operates_evidence"} <= set(SUPPLIER_COLUMNS)
    by_key = out.set_index("supplier_key")
    national = by_key.loc["KIND HEARTS UK"]
    assert national["locality"] == "outside" and national["operates_in_area"]
    assert national["operates_evidence"].startswith("registered elsewhere, operates here")
    local = by_key.loc["BRISTOL HELP TRUST"]
    assert local["locality"] == "in_area" and local["operates_in_area"]
    assert not local["operates_evidence"].startswith("registered elsewhere")
    assert pd.isna(by_key.loc["ACME LTD", "operates_in_area"])
    assert registered_elsewhere_operates_here(out).sum() == 1

    spend = spend_with_charities()
    spend["supplier_key"] = spend["supplier_name"].str.upper()
    joined = attach_supplier_attributes(spend, out)
    assert joined["operates_in_area"].dtype == "boolean"
    notes = classification_caveats(joined)
    assert any(
        n.startswith("60.0% of net spend went to charities registered outside") for n in notes
    )
    assert not any("registered outside" in n for n in classification_caveats(joined.iloc[1:]))


def test_branch_based_suppliers_are_local_with_config_evidence_below_overrides(
    tmp_path: Path,
) -> None:
    config = dataclasses.replace(BRISTOL, branch_based_suppliers=("Kind Hearts UK", "ACME LTD"))
    regs = load_registers(write_aoo(tmp_path / "registers"))
    out = enrich_suppliers(spend_with_charities(), config, regs).set_index("supplier_key")
    for key in ("KIND HEARTS UK", "ACME LTD"):
        assert out.loc[key, "locality"] == "in_area"
        assert out.loc[key, "locality_evidence"] == "config: branch-based"
    # A branch is local: the "registered elsewhere" flag no longer applies.
    assert not out.loc["KIND HEARTS UK", "operates_evidence"].startswith("registered elsewhere")
    overrides = tmp_path / "overrides.csv"
    pd.DataFrame({"supplier_key": ["ACME LTD"], "locality": ["outside"]}).to_csv(
        overrides, index=False
    )
    out = enrich_suppliers(spend_with_charities(), config, regs, overrides).set_index(
        "supplier_key"
    )
    assert out.loc["ACME LTD", "locality"] == "outside" and out.loc["ACME LTD", "overridden"]
    assert out.loc["KIND HEARTS UK", "locality_evidence"] == "config: branch-based"


# --- the demo: written in the real formats, and the back-test against its ground truth ---


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate_demo(out)
    return out


def test_demo_area_of_operation_is_in_the_real_format(demo: Path, shared_data: Path) -> None:
    fields = pd.read_csv(shared_data / "registers" / "charity-lookups" / "ccew-fields.csv")
    expected = fields.loc[fields["Table"] == "CharityAreaOfOperation", "Field"].tolist()
    text = (demo / "registers" / "publicextract.charity_area_of_operation.txt").read_bytes()
    assert text.decode("utf-8").split("\r\n")[0].split("\t") == expected
    real = shared_data / "registers" / "charity-lookups" / "cc-aoo-gss-iso.csv"
    real_rows = real.read_text("utf-8-sig").splitlines()
    ours = (demo / "registers" / "cc-aoo-gss-iso.csv").read_text("utf-8").splitlines()
    assert ours[0] == real_rows[0]
    assert set(ours[1:]) <= set(real_rows[1:])  # rows copied from the real lookup
    assert any(r.startswith("B-139,B,139,BRISTOL CITY,") and "E06000023" in r for r in ours)


@pytest.mark.parametrize("slug", ["bristol", "newcastle"])
def test_demo_back_test_national_charities_that_deliver_locally_operate_here(
    demo: Path, slug: str
) -> None:
    truth = pd.read_csv(demo / "truth" / f"{slug}_suppliers.csv", dtype=str, keep_default_na=False)
    regs = load_registers(demo / "registers", demo / "lookups")
    assert regs.areas_of_operation is not None
    national = truth[
        (truth["org_type"] == "vcse")
        & (truth["charity_number"] != "")
        & (truth["lad"].str.startswith("E09"))  # registered in London
    ]
    assert len(national) >= 20
    spend = pd.DataFrame(
        {"supplier_name": truth["name"], "amount_pence": 100_00, "is_redacted": False}
    )
    out = enrich_suppliers(spend, load_council(slug), regs)
    got = out.dropna(subset=["register_id"]).drop_duplicates("register_id").set_index("register_id")
    ids = "GB-CHC-" + national["charity_number"]
    matched = ids.isin(got.index)
    assert matched.mean() > 0.9
    flag = got.reindex(ids[matched])["operates_in_area"].reset_index(drop=True)
    delivers = national.loc[matched, "delivers_locally"].eq("True").reset_index(drop=True)
    assert delivers.sum() > 10 and flag[delivers].eq(True).all()
    assert not flag[~delivers].fillna(False).any()  # "Throughout England" only: not named
    elsewhere = registered_elsewhere_operates_here(out)
    assert elsewhere.sum() == delivers.sum()
    assert (out.loc[elsewhere, "locality"] == "outside").all()


def test_demo_local_charities_operate_in_their_own_area(demo: Path) -> None:
    truth = pd.read_csv(demo / "truth" / "bristol_suppliers.csv", dtype=str, keep_default_na=False)
    regs = load_registers(demo / "registers")
    local = truth[(truth["charity_number"] != "") & (truth["lad"] == BRISTOL.ons_code)]
    got = operates_in_area(local["charity_number"], regs.areas_of_operation, BRISTOL)
    assert len(local) > 50 and got["operates_in_area"].all()


# --- the ONS Postcode Directory download zip ---

ONSPD_HEADER = (
    "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,"
    "osgrdind,oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl,statsward,oa01,casward,"
    "npark,lsoa01,msoa01,ur01ind,oac01,oa11,lsoa11,msoa11,wz11,sicbl,bua24,ru11ind,oac11,lat,"
    "long,lep1,lep2,pfa,imd,calncv,icb,oa21,lsoa21,msoa21,ruc21ind"
).split(",")


def onspd_line(pcds: str, lad: str, rgn: str) -> str:
    row = dict.fromkeys(ONSPD_HEADER, "")
    row.update(
        pcd=pcds[:-4].ljust(4) + pcds[-3:],
        pcd2=pcds[:-4].ljust(5) + pcds[-3:],
        pcds=pcds,
        dointr="198001",
        oscty="E99999999",
        oslaua=lad,
        rgn=rgn,
        ctry="E92000001",
        lat="51.45",
        long="-2.59",
    )
    return ",".join(f'"{row[c]}"' if c.startswith("pcd") else row[c] for c in ONSPD_HEADER)


def write_onspd_zip(path: Path, main: bool = True) -> Path:
    rows = [
        ("BS8 1TH", "E06000023", "E12000009"),
        ("BS8 3PH", "E06000024", "E12000009"),
        ("M1 1AE", "E08000003", "E12000002"),
    ]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Documents/ONSPD User Guide Feb 2025.txt", "user guide")
        zf.writestr("Documents/LA_UA names and codes UK as at 04_24.csv", "LAD24CD,LAD24NM\n")
        if main:
            body = [",".join(ONSPD_HEADER)] + [onspd_line(*r) for r in rows]
            zf.writestr("Data/ONSPD_FEB_2025_UK.csv", "\r\n".join(body) + "\r\n")
        # The per-area parts (BS wrongly placed in Wales here, to show the main file wins).
        for area, part in (("BS", rows[:2]), ("M", rows[2:])):
            body = [",".join(ONSPD_HEADER)] + [
                onspd_line(p, "W06000015" if main else lad, rgn) for p, lad, rgn in part
            ]
            zf.writestr(f"Data/multi_csv/ONSPD_FEB_2025_UK_{area}.csv", "\r\n".join(body) + "\r\n")
        zf.writestr("User Guide/readme.txt", json.dumps({"note": "not data"}))
    return path


@pytest.mark.parametrize("main", [True, False], ids=["main-csv", "multi-csv-only"])
def test_onspd_download_zip_is_read_without_unpacking(tmp_path: Path, main: bool) -> None:
    lookups = tmp_path / "lookups"
    lookups.mkdir()
    write_onspd_zip(lookups / "ONSPD_FEB_2025.zip", main=main)
    regs = load_registers(tmp_path / "none", lookups)
    assert regs is not None and regs.onspd_parquet is not None
    assert not list(lookups.rglob("*.csv"))  # nothing extracted next to the zip
    got = assign_locality(
        pd.Series(["BS8 1TH", "bs83ph", "M1 1AE", "ZZ9 9ZZ"]), BRISTOL, onspd=regs.onspd_parquet
    )
    assert got["locality"].tolist()[:3] == ["in_area", "in_region", "outside"]
    assert "(ONSPD)" in got["locality_evidence"].iloc[0]
    cached = regs.onspd_parquet
    assert load_registers(tmp_path / "none", lookups).onspd_parquet == cached  # converted once
