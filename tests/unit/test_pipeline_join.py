"""Payment lines joined to the supplier table keep their own key type."""

from __future__ import annotations

import pandas as pd

from kil_analysis.pipeline import attach_supplier_attributes


def test_joined_lines_keep_their_supplier_key_type_whatever_the_supplier_tables():
    """The payment lines' keys stay text of the lines' own dtype after the join, with a
    supplier table keyed by Python strings; a line whose key is missing stays missing, and a
    redacted line reads as an individual."""
    spend = pd.DataFrame(
        {
            "supplier_key": pd.array(["ACME LTD", None, "ZED CIC"], dtype="string"),
            "amount_pence": [100, 200, 300],
            "is_redacted": [False, True, False],
        }
    )
    suppliers = pd.DataFrame(
        {
            "supplier_key": pd.Series(["ZED CIC", "ACME LTD"], dtype=object),
            "org_type": ["vcse", "private"],
            "vcse_form": ["cic", None],
            "size": ["small", "large"],
            "locality": ["in_area", "outside"],
        }
    )
    joined = attach_supplier_attributes(spend, suppliers)
    assert joined["supplier_key"].dtype == spend["supplier_key"].dtype
    assert joined["supplier_key"].isna().tolist() == [False, True, False]
    assert joined["org_type"].tolist() == ["private", "individual", "vcse"]
    assert joined["locality"].tolist() == ["outside", "unknown", "in_area"]
    assert joined["amount_pence"].sum() == 600
