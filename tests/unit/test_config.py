"""Council configs: the shipped ones load, bad ones fail with one line naming file and field."""

from __future__ import annotations

import pytest

from kil_analysis.config import ConfigError, all_councils, load_config_file, load_council


def test_shipped_councils_load_with_their_facts():
    councils = {c.slug: c for c in all_councils()}
    assert councils["bristol"].ons_code == "E06000023"
    assert councils["bristol"].region == "South West"
    assert {n.name for n in councils["bristol"].neighbours} == {
        "North Somerset",
        "South Gloucestershire",
        "Bath and North East Somerset",
    }
    assert councils["newcastle"].ons_code == "E08000021"
    assert {n.name for n in councils["newcastle"].neighbours} == {
        "North Tyneside",
        "Gateshead",
        "Northumberland",
    }


def test_newcastle_monthly_sources_expand_to_the_councils_url_pattern():
    sources = load_council("newcastle").sources
    assert sources[0].file == "2022-01.csv"
    assert sources[0].url.endswith("/Open%20Data/January%202022.csv")


def test_unknown_council_names_the_configured_ones():
    with pytest.raises(ConfigError, match="unknown council 'atlantis'.*bristol"):
        load_council("atlantis")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("slug: x\nname: X\n", "missing required field 'ons_code'"),
        ("- just\n- a list\n", "expected a mapping"),
        ("slug: x\nname: X\nons_code: E0600002\n", "ons_code 'E0600002' is not valid"),
        ("slug: x\nname: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_config_gives_one_line_naming_file(tmp_path, text, message):
    path = tmp_path / "x.yml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as err:
        load_config_file(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


GOOD = """\
slug: x
name: X Council
ons_code: E06000023
region: South West
region_code: E12000009
postcode_districts: [BS1]
"""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("neighbours: 5\n", "field 'neighbours' must be a list, got 5"),
        ("neighbours: [5]\n", "neighbours[0] must have name and ons_code"),
        ("region_postcode_areas: 5\n", "field 'region_postcode_areas' must be a list"),
        ("branch_based_suppliers: {a: 1}\n", "field 'branch_based_suppliers' must be a list"),
        ("column_overrides: [a]\n", "field 'column_overrides' must be a mapping"),
        ("sources: yes\n", "field 'sources' must be a list"),
        ("short_name: [a, b]\n", "field 'short_name' must be text"),
        ("notes: {a: 1}\n", "field 'notes' must be text"),
        ("neighbors: []\n", "unknown field 'neighbors' (did you mean 'neighbours'?)"),
        ("sources: [{url: u, file: f, sha256: abc}]\n", "sources[0].sha256 'abc' is not valid"),
        (
            "monthly_spend_url: {url: 'http://x/{monthh}.csv', file: '{ym}.csv', "
            "first: 2022-01, last: 2022-02}\n",
            "monthly_spend_url.url has unknown placeholder {monthh} (known: {year}, {month}",
        ),
        (
            "monthly_spend_url: {url: 'http://x/{0}.csv', file: '{ym}.csv', "
            "first: 2022-01, last: 2022-02}\n",
            "unknown placeholder {0}",
        ),
        (
            "monthly_spend_url: {url: 'http://x/{ym.real}', file: '{ym}.csv', "
            "first: 2022-01, last: 2022-02}\n",
            "unknown placeholder {ym.real}",
        ),
        (
            "monthly_spend_url: {url: 'http://x/{ym', file: '{ym}.csv', "
            "first: 2022-01, last: 2022-02}\n",
            "monthly_spend_url.url is not a valid pattern",
        ),
        (
            "monthly_spend_url: {url: 'http://x/{ym}', file: '{ym}.csv', "
            "first: 2022-13, last: 2023-02}\n",
            "monthly_spend_url.first must be YYYY-MM, got '2022-13'",
        ),
        (
            "monthly_spend_url: {url: 'http://x/{ym}', file: '{ym}.csv', "
            "first: 0001-01, last: 9999-12}\n",
            "must span 1 to 600 months",
        ),
        ("monthly_spend_url: 5\n", "field 'monthly_spend_url' must be a mapping"),
    ],
)
def test_wrong_types_and_bad_patterns_name_the_file_and_key(tmp_path, extra, message):
    path = tmp_path / "x.yml"
    path.write_text(GOOD + extra)
    with pytest.raises(ConfigError) as err:
        load_config_file(path)
    assert str(err.value).startswith(f"{path}: ") and "\n" not in str(err.value)
    assert message in str(err.value)


def test_yaml_alias_bomb_is_refused_without_expanding_it(tmp_path):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    path = tmp_path / "x.yml"
    path.write_text(GOOD + "\n".join(lines) + "\nnotes: *j\n")
    with pytest.raises(ConfigError, match=r"line 8: YAML aliases \(\*a\) are not allowed") as err:
        load_config_file(path)
    assert str(err.value).startswith(f"{path}: not valid YAML")


def test_deep_nesting_is_refused_in_one_line(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text(GOOD + "notes: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ConfigError, match="nested more than 20 levels deep") as err:
        load_config_file(path)
    assert "\n" not in str(err.value)


def test_empty_huge_and_binary_files_are_one_line(tmp_path):
    cases = {
        "empty.yml": (b"", "the file is empty"),
        "huge.yml": (b"notes: '" + b"x" * 1_100_000 + b"'\n", "too large for a council config"),
        "binary.yml": (b"\xff\xfe\x00bad", "not UTF-8 text"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ConfigError, match=message) as err:
            load_config_file(path)
        assert str(path) in str(err.value)


def test_kil_councils_lists_the_good_and_names_the_bad(tmp_path, monkeypatch, capsys):
    from kil_analysis.cli import main
    from kil_analysis.paths import COUNCILS_DIR

    for slug in ("bristol", "newcastle"):
        (tmp_path / f"{slug}.yml").write_text((COUNCILS_DIR / f"{slug}.yml").read_text())
    (tmp_path / "x.yml").write_text(GOOD + "neighbours: 5\n")
    monkeypatch.setenv("KIL_COUNCILS_DIR", str(tmp_path))
    assert main(["councils"]) == 1
    out, err = capsys.readouterr()
    assert "bristol" in out and "newcastle" in out
    assert err.strip().splitlines() == [
        f"kil councils: {tmp_path / 'x.yml'}: field 'neighbours' must be a list, got 5"
    ]
