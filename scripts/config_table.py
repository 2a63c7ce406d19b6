#!/usr/bin/env python3
"""Renders the README's configuration table from spark-job/src/main/resources/frugal-defaults.conf.

Usage: scripts/config_table.py [--write]   (--write replaces the table between the README markers)
The defaults file is the single source: each key's comment lines above it become its description.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULTS = ROOT / "spark-job/src/main/resources/frugal-defaults.conf"
README = ROOT / "README.md"
START, END = "<!-- config-table:start -->", "<!-- config-table:end -->"


def rows():
    stack, comments, out = [], [], []
    for raw in DEFAULTS.read_text().splitlines():
        line = raw.strip()
        if line.startswith("#"):
            comments.append(line.lstrip("# ").strip())
        elif line.endswith("{"):
            stack.append(line[:-1].strip())
            comments = []
        elif line == "}":
            stack.pop()
        elif "=" in line:
            key, value = (p.strip() for p in line.split("=", 1))
            out.append((".".join(stack + [key]), value, " ".join(comments)))
            comments = []
        else:
            comments = []
    return out


def table():
    lines = ["| key | default | meaning |", "|---|---|---|"]
    for key, value, doc in rows():
        lines.append(f"| `{key}` | `{value}` | {doc.replace('|', '/')} |")
    return "\n".join(lines)


if __name__ == "__main__":
    text = table()
    if "--write" in sys.argv:
        readme = README.read_text()
        new = re.sub(re.escape(START) + ".*?" + re.escape(END), START + "\n" + text + "\n" + END, readme, flags=re.S)
        README.write_text(new)
    else:
        print(text)
