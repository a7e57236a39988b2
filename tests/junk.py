"""Junk input for the form fuzz tests (tests/patients/test_forms_fuzz.py,
tests/regimens/test_admin_forms_fuzz.py)."""

import datetime

from hypothesis import strategies as st

# Strings a keyboard, a paste or a hostile client can send into any field.
NASTY = st.sampled_from([
    "", " ", "1,5", "70,5", "1.5e3", "1e309", "-1e-309", "NaN", "Infinity", "-0", "0x10", "١٢٣", "１２", "9" * 40,
    "2026-02-30", "0000-00-00", "31.12.2024", "9999-12-31", "\x00", "true", "false", "unknown", "on", "2", "3",
    "mg", "µmol/L", "<script>", "' OR 1=1 --", "null", "[]", "{}", "\u202e", "𝟙𝟚",
])
JUNK = st.one_of(
    NASTY, st.text(max_size=30), st.integers().map(str), st.decimals(allow_nan=True).map(str),
    st.floats().map(str), st.dates().map(datetime.date.isoformat),
)
