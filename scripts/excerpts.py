#!/usr/bin/env python3
"""excerpts.py [--fix]: every code block of docs/LANGUAGE.md that is
followed by a citation "(`FILE` lines A–B" (or "line A") must be lines A–B
of FILE (trailing spaces aside). Prints each mismatch and where the block is
found; --fix rewrites the citation to where it is found."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DOC = os.path.join(ROOT, "docs", "LANGUAGE.md")
CITE = re.compile(r"^\(?`([^`]+\.taxa)` (lines?) (\d+)(?:–(\d+))?")


def main():
    fix = "--fix" in sys.argv
    lines = open(DOC, encoding="utf-8").read().split("\n")
    bad = 0
    i = 0
    while i < len(lines):
        if not lines[i].startswith("```"):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        block = lines[i + 1:j]
        k = j + 1
        while k < len(lines) and not lines[k].strip():
            k += 1
        m = CITE.match(lines[k]) if k < len(lines) else None
        i = j + 1
        if not m:
            continue
        path, a = m.group(1), int(m.group(3))
        b = int(m.group(4)) if m.group(4) else a
        full = os.path.join(ROOT, path)
        if not os.path.exists(full):
            print(f"{path}: no such file")
            bad += 1
            continue
        src = [l.rstrip() for l in open(full, encoding="utf-8").read().split("\n")]
        want = [l.rstrip() for l in block]
        if src[a - 1:b] == want:
            continue
        # "lines 27, 33–34 and 46–55": the block is those pieces, blank
        # lines between them aside.
        rest = lines[k][m.end():].split(")")[0].split(":")[0].split(";")[0]
        pieces = [(a, b)] + [
            (int(x), int(y) if y else int(x))
            for x, y in re.findall(r"(\d+)(?:–(\d+))?", rest)
        ]
        def code(ls):
            return [l for l in ls if l.strip() and not l.lstrip().startswith("#")]

        joined = code([l for (x, y) in pieces for l in src[x - 1:y]])
        if len(pieces) > 1 and joined == code(want):
            continue
        found = next(
            (s + 1 for s in range(len(src) - len(want) + 1) if src[s:s + len(want)] == want),
            None,
        )
        bad += 1
        where = f"found at {found}–{found + len(want) - 1}" if found else "not found"
        print(f"docs/LANGUAGE.md:{k + 1}: {path} lines {a}–{b}: {where}: {want[0][:50]!r}")
        if fix and found:
            end = found + len(want) - 1
            cite = f"lines {found}–{end}" if end != found else f"line {found}"
            lines[k] = lines[k][: m.start(2)] + cite + lines[k][m.end():]
    if fix:
        open(DOC, "w", encoding="utf-8").write("\n".join(lines))
    print(f"{bad} excerpt(s) do not match")
    return 1 if bad and not fix else 0


sys.exit(main())
