#!/usr/bin/env python3
"""Per-file scores from Stryker.NET JSON reports, and one composite over several runs.

  python3 tests/mutation/report.py RUN.json                 per-file killed / total and the run's score
  python3 tests/mutation/report.py --survivors RUN.json     ... and each survivor with its line
  python3 tests/mutation/report.py A.json B.json C.json     composite: each file's figure from the LAST report that
                                                            tested it (list reports oldest first)

Score as Stryker counts it: (Killed + Timeout) / (Killed + Timeout + Survived + NoCoverage); compile errors and
ignored mutants are not counted. A file that a report tested only in part (a `{a..b}` span) is that part.
"""
import collections
import json
import sys


def per_file(path):
    report = json.load(open(path))
    result = {}
    for name, f in report["files"].items():
        counts = collections.Counter(m["status"] for m in f["mutants"])
        detected = counts["Killed"] + counts["Timeout"]
        total = detected + counts["Survived"] + counts["NoCoverage"]
        if total:
            short = name.split("src/AutoGrad/", 1)[-1]
            lines = f["source"].split("\n")
            survivors = [
                (m["location"]["start"]["line"], m["status"], m["mutatorName"], m.get("replacement", ""))
                for m in f["mutants"] if m["status"] in ("Survived", "NoCoverage")
            ]
            result[short] = (detected, total, sorted(survivors), lines)
    return result


def main(args):
    show = "--survivors" in args
    reports = [a for a in args if not a.startswith("--")]
    latest = {}
    for index, path in enumerate(reports):
        for name, figures in per_file(path).items():
            latest[name] = (index, figures)
    killed = total = 0
    for name in sorted(latest):
        index, (detected, count, survivors, lines) = latest[name]
        killed += detected
        total += count
        source = f"  [report {index + 1}]" if len(reports) > 1 else ""
        print(f"{name:50s} {detected:4d}/{count:<4d} {100 * detected / count:6.1f} %{source}")
        if show:
            for line, status, mutator, replacement in survivors:
                print(f"    L{line} [{status}] {mutator}: `{replacement[:100]}` | `{lines[line - 1].strip()[:110]}`")
    print(f"TOTAL {killed}/{total} {100 * killed / max(total, 1):.2f} %")


if __name__ == "__main__":
    main(sys.argv[1:])
