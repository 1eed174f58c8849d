# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Small helpers shared by the models."""


def count_by(records, comodel, field):
    """``{record: count}``: how many ``comodel`` records point at each of
    ``records`` through ``field``, in one grouped query (the counters of the
    smart buttons); records without any are absent."""
    return dict(
        records.env[comodel]._read_group(
            [(field, "in", records.ids)], groupby=[field], aggregates=["__count"]
        )
    )
