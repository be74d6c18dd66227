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


def test_each_payment_line_finds_its_supplier_row_as_pandas_would():
    """The Arrow lookup of each line's supplier row agrees with pandas' own on every text dtype
    the tables come in: a line whose key the table lacks finds none, a missing key finds the
    table's missing key if it has one."""
    import numpy as np

    from kil_analysis.pipeline import positions_in, text_dtype

    rng = np.random.default_rng(7)
    pool = ["ACME LTD", "AGE UK", "", "BARNARDOS", "ÉCOLE", None]
    for dtype in ("string[pyarrow]", text_dtype(), object, "string[python]"):
        for table in (["AGE UK", "ACME LTD", None, "ÉCOLE"], ["BARNARDOS", ""], []):
            lines = pd.Series(rng.choice(np.array(pool, dtype=object), 200), dtype=dtype)
            keys = pd.Series(table, dtype=dtype)
            expected = pd.Index(keys).get_indexer(lines)
            assert positions_in(lines, keys).tolist() == expected.tolist()
