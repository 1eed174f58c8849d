# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The COPY text of the ingest's staging rows (``models/pg_copy.py``, moved
from the former ``core/tracking.py`` with its property test)."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import TransactionCase, tagged

from ..models.pg_copy import copy_text


def _copy_reference(rows):
    """Every field escaped on its own (what ingest did before copy_text)."""

    def field(value):
        if value is None:
            return "\\N"
        if not isinstance(value, str):
            return str(value)
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )

    return "".join("\t".join(map(field, row)) + "\n" for row in rows)


_copy_values = st.one_of(
    st.none(),
    st.integers(),
    st.datetimes(),
    st.sampled_from(("", "\\N", "a\tb", "a\\b", "a\nb", "a\rb", "\\", "深圳", "\t")),
    st.text(alphabet="ab\\\t\n\r\x00 N深", max_size=6),
    st.text(max_size=6),
)


@tagged("post_install", "-at_install")
class TestCopyText(TransactionCase):
    @settings(max_examples=500, deadline=None)
    @given(st.lists(st.lists(_copy_values, min_size=0, max_size=12), max_size=6))
    def test_copy_text_like_escaping_every_field(self, rows):
        """The COPY text of ingest is the text of every field escaped alone."""
        rows = [tuple(row) for row in rows]
        self.assertEqual(copy_text(rows), _copy_reference(rows))

    def test_copy_text_round_trip(self):
        """PostgreSQL reads back exactly the texts copy_text wrote."""
        rows = [
            ("plain", None, "深圳"),
            ("a\tb", "a\\b", "\\N"),
            ("a\nb", "a\rb", ""),
        ]
        cr = self.env.cr
        cr.execute(
            "CREATE TEMPORARY TABLE logistics_copy_probe (a text, b text, c text)"
        )
        cr.copy_expert(
            "COPY logistics_copy_probe FROM STDIN",
            io.BytesIO(copy_text(rows).encode()),
        )
        cr.execute("SELECT a, b, c FROM logistics_copy_probe")
        self.assertEqual(sorted(cr.fetchall()), sorted(rows))
