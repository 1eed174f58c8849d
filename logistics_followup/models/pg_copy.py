# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""PostgreSQL ``COPY`` text encoding of the event rows that
``logistics.tracking.event._ingest_insert_events`` sends to the server
(infrastructure beside the SQL that uses it, not a business rule; moved from
the former ``core/tracking.py``). Imports nothing from Odoo."""

from collections.abc import Iterable

_COPY_NULL = "\\N"


def _copy_field(value: object) -> str:
    if value is None:
        return _COPY_NULL
    if not isinstance(value, str):
        return str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


def copy_text(rows: Iterable[tuple]) -> str:
    """The rows in PostgreSQL's COPY text format (one line each, fields
    separated by tabs, ``None`` as ``\\N``, backslash, tab, newline and
    carriage return escaped; other values as ``str``).

    Each line is joined at once; only a line whose values have a backslash,
    a newline, a carriage return or a tab has its fields escaped one by one:
    without those characters escaping changes nothing. (The backslashes of
    the line are those of its ``\\N``, one per ``None``, unless a value has
    some.)
    """
    lines = []
    append = lines.append
    for row in rows:
        line = "\t".join(
            [
                _COPY_NULL
                if value is None
                else value
                if isinstance(value, str)
                else str(value)
                for value in row
            ]
        )
        if (
            "\n" in line
            or "\r" in line
            or line.count("\t") != len(row) - 1
            or line.count("\\") != sum(value is None for value in row)
        ):
            line = "\t".join(map(_copy_field, row))
        append(line)
    return "\n".join(lines) + "\n" if lines else ""
