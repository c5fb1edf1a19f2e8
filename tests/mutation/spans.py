#!/usr/bin/env python3
"""Stryker.NET `-m` patterns for lines of a file.

Stryker.NET reads `-m "**/File.cs{a..b}"` as a span of *character positions* (Roslyn TextSpan), not of lines, and keeps
a mutant only if a span wholly contains it. This script turns lines into those positions.

  python3 tests/mutation/spans.py src/AutoGrad/Kernels/Gemm.cs 133-170 265-299
      -> -m "**/Kernels/Gemm.cs{7381..9733}{14508..15801}"
  python3 tests/mutation/spans.py --since 7d3b911 src/AutoGrad/Compilation/Plan.cs ...
      -> one pattern per file for the lines added or changed since that commit (files with none are skipped)

Positions count UTF-16 code units after a byte-order mark, as Roslyn does; lines are 1-based and inclusive.
"""
import re
import subprocess
import sys


def line_starts(path):
    text = open(path, encoding="utf-8-sig").read()
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line.encode("utf-16-le")) // 2 + 1)
    return starts


def pattern(path, ranges):
    starts = line_starts(path)
    spans = "".join("{%d..%d}" % (starts[a - 1], starts[b] - 1) for a, b in ranges)
    name = path.split("src/AutoGrad/", 1)[-1]
    return '-m "**/%s%s"' % (name, spans)


def changed_lines(base, path):
    diff = subprocess.run(["git", "diff", "-U0", base, "HEAD", "--", path], capture_output=True, text=True, check=True).stdout
    ranges = []
    for m in re.finditer(r"^@@ -\S+ \+(\d+)(?:,(\d+))? @@", diff, re.M):
        first, count = int(m.group(1)), int(m.group(2)) if m.group(2) is not None else 1
        if count > 0:
            ranges.append((first, first + count - 1))
    return ranges


def main(args):
    if len(args) >= 3 and args[0] == "--since":
        patterns = []
        for path in args[2:]:
            ranges = changed_lines(args[1], path)
            if ranges:
                patterns.append(pattern(path, ranges))
        print(" ".join(patterns))
    elif len(args) >= 2:
        print(pattern(args[0], [tuple(map(int, r.split("-"))) for r in args[1:]]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
