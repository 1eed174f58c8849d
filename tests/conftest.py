# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Make ``logistics_followup.core`` importable without Odoo.

The addon's own ``__init__`` imports its models, and so Odoo. The core does
not, so we register ``logistics_followup`` as a bare namespace pointing at the
addon folder: ``import logistics_followup.core.waybill`` then loads only the
core modules.
"""

import sys
import types
from pathlib import Path

ADDON_DIR = Path(__file__).resolve().parent.parent / "logistics_followup"

if "logistics_followup" not in sys.modules:
    package = types.ModuleType("logistics_followup")
    package.__path__ = [str(ADDON_DIR)]
    sys.modules["logistics_followup"] = package
