#!/usr/bin/env python3
"""Print the Markdown table of every helpline line in Knowledge/en/helplines/
(number, name, situations, source, reviewed): the table docs/SAFETY.md holds.

usage: scripts/helplines-table.py [KNOWLEDGE_DIR]   (default: Knowledge)
"""
import pathlib
import sys

try:
    import yaml
except ImportError:  # pip install pyyaml
    sys.exit("scripts/helplines-table.py needs PyYAML: python3 -m pip install pyyaml")

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "Knowledge") / "en" / "helplines"
print("| Item | Number | Service | Situations (`for`) | Checked against | Reviewed |")
print("|---|---|---|---|---|---|")
for path in sorted(root.glob("*.md")):
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    for line in front.get("lines", []):
        print("| {} | {} | {} | {} | {} | {} |".format(
            front["id"], line.get("number", "—"), line["name"].replace("|", "/"),
            ", ".join(line["for"]), line.get("source", "—"), front.get("reviewed", "—")))
