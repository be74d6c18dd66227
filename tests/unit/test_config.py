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
