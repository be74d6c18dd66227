"""UK postcodes found in published text (address lines, postcode columns), normalised.

A postcode is returned as ``OUT IN`` in upper case (``ne3 1aa`` → ``NE3 1AA``), whatever the
spacing or case it was published with.
"""

from __future__ import annotations

import pandas as pd

# A UK postcode: outward code (area, district, optional sub-district) and inward code (a digit —
# or the letter O typed for zero — and two letters, never C I K M O V). Not preceded or followed by
# an upper-case letter or digit, so "LondonnE1W 1AW" (junk "n") still yields E1W 1AW while words
# and US zip codes ("NE 68504") do not match. The leading ".*" makes the last postcode win.
POSTCODE_PATTERN = (
    r"(?s)^.*(?<![A-Z0-9])(?P<out>[A-Z]{1,2}[0-9][A-Z0-9]?)[ \t]*"
    r"(?P<in>[0-9O][ABD-HJLNP-UW-Z]{2})(?![A-Z0-9])"
)


def extract_postcodes(text: pd.Series) -> pd.Series:
    """The last UK postcode found in each text, normalised to ``OUT IN`` (string; NA if none).

    Looks at the text as written first (so junk lower-case letters glued to a postcode are
    ignored), then upper-cased for rows with no match. The letter O typed in the inward code's
    digit position is read as zero (``SW20 OBA`` → ``SW20 0BA``).
    """
    s = text.astype("string")
    found = s.str.extract(POSTCODE_PATTERN)
    missing = found["out"].isna() & s.notna()
    if missing.any():
        found.loc[missing] = s[missing].str.upper().str.extract(POSTCODE_PATTERN).to_numpy()
    inward = found["in"].str.replace(r"^O", "0", regex=True)
    return (found["out"] + " " + inward).astype("string")
