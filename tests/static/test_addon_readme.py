# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tier 1: the addon's README.rst is generated from its readme fragments.

``scripts/gen_addon_readme.py`` assembles it the way OCA's generator does;
this check fails when someone edits README.rst by hand or a fragment without
regenerating, and when docutils (as Odoo renders the Apps page) warns.
"""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = importlib.util.spec_from_file_location(
    "gen_addon_readme", ROOT / "scripts" / "gen_addon_readme.py"
)
GEN = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(GEN)


def test_readme_is_generated_from_the_fragments():
    readme = (ROOT / "logistics_followup" / "README.rst").read_text(encoding="utf-8")
    assert readme == GEN.generate(), "run scripts/gen_addon_readme.py"


def test_readme_renders_without_warnings():
    GEN.check_rst(GEN.generate())


def test_fragments_carry_the_sections():
    text = GEN.generate()
    for title in ("Configuration", "Usage", "Credits", "Contributors"):
        assert f"\n{title}\n" in text


def test_markdown_subset():
    rst = GEN.md_to_rst(
        "Intro with `code` and [a link](https://example.com).\n\n"
        "1.  First item\n    continued:\n\n        code line\n\n"
        "    after the code.\n2.  Second\n\n- bullet\n\nAfter the list.\n"
    )
    assert rst == (
        "Intro with ``code`` and `a link <https://example.com>`_.\n\n"
        "#. First item\n   continued::\n\n       code line\n\n"
        "   after the code.\n#. Second\n\n- bullet\n\nAfter the list.\n"
    )


def test_pre_commit_config_is_valid():
    """The hooks run the tools of tier 1 with the same pins and settings."""
    config = ROOT / ".pre-commit-config.yaml"
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config)],
        check=True,
    )
    text = config.read_text(encoding="utf-8")
    pins = dict(
        re.findall(
            r"^([a-z-]+)==(\S+)",
            (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8"),
            re.M,
        )
    )
    for tool in ("ruff", "pylint-odoo", "docutils"):
        assert f'"{tool}=={pins[tool]}"' in text, f"{tool} pin differs"
    assert "--rcfile=.pylintrc" in text and "gen_addon_readme.py" in text


def test_repository_readme_renders_without_warnings():
    GEN.check_rst((ROOT / "README.rst").read_text(encoding="utf-8"))
