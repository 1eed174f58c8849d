# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Text that PostgreSQL can store.

A PostgreSQL ``text`` value cannot hold the NUL character, and a Python
string holding a lone surrogate (``"\\ud800"``, valid in JSON) cannot be
encoded to UTF-8 at all: either one aborts the transaction that sends it,
which an HTTP client sees as a server error. Every input that reaches the
database or a search (scan rows of any source, webhook and portal
parameters) is checked with :func:`storable` first and refused with a reason
when it is not (issue 11, item 1).
"""

from __future__ import annotations

import re

__all__ = ["shown", "storable"]

# NUL, and the surrogate code points (only ever lone in a Python str)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: object) -> bool:
    """Whether ``value`` (a str; anything else is left to the type checks)
    holds no NUL character and no lone surrogate."""
    return not (isinstance(value, str) and _UNSTORABLE.search(value))


def shown(value: object, limit: int = 64) -> str:
    """``value`` as text safe to echo in a reason or store in a log: the
    unstorable characters replaced by U+FFFD, at most ``limit`` characters."""
    return _UNSTORABLE.sub("\ufffd", str(value))[:limit]
