#!/usr/bin/env python3
"""readme_blocks.py README SECTION LANG OUTDIR [MARKER]: writes the fenced LANG blocks of the `## SECTION`
section of README (only those preceded by `<!-- yaml: MARKER -->` when MARKER is given) to OUTDIR/1, 2, ...
and prints how many it wrote. CI runs the README's commands and snippets from these files, so what the
README says is what CI runs. Standard library only (runs before CI installs anything)."""
import os
import re
import sys


def main() -> int:
    if len(sys.argv) not in (5, 6):
        print(__doc__, file=sys.stderr)
        return 2
    readme, title, lang, outdir = sys.argv[1:5]
    marker = sys.argv[5] if len(sys.argv) == 6 else None
    text = open(readme, encoding="utf-8").read()
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if not m:
        print(f"{readme}: no '## {title}' section", file=sys.stderr)
        return 1
    os.makedirs(outdir, exist_ok=True)
    lines = m.group(1).split("\n")
    n, i, before = 0, 0, ""
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), None)
            if end is None:
                print(f"{readme}: unclosed code block in '## {title}'", file=sys.stderr)
                return 1
            if line[3:].strip() == lang and (marker is None or before == f"<!-- yaml: {marker} -->"):
                n += 1
                with open(os.path.join(outdir, str(n)), "w", encoding="utf-8") as f:
                    f.write("\n".join(lines[i + 1:end]) + "\n")
            i, before = end + 1, ""
            continue
        if line.strip():
            before = line.strip()
        i += 1
    print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
