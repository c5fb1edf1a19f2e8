#!/usr/bin/env python3
"""Joins BenchmarkDotNet's CSV reports (AutoGrad) with pytorch_bench.py's JSON (PyTorch, numpy) into markdown tables."""
import csv
import glob
import json
import os
import sys

UNITS = {"ns": 1e-9, "us": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0}


def seconds(text):
    value, unit = text.replace(",", "").split()
    return float(value) * UNITS[unit]


def same_case(reported, case):
    """BenchmarkDotNet shortens long parameter values, e.g. "(1024(...)1024) [22]" for "(1024, 1024-1024-1024)"."""
    if reported == case:
        return True
    if "(...)" in reported:
        head, tail = reported.split("(...)")
        tail = tail.split(" [")[0]
        return case.startswith(head) and case.endswith(tail)
    return False


def load_autograd(folder):
    rows = []
    for path in glob.glob(os.path.join(folder, "**", "*-report.csv"), recursive=True):
        with open(path, newline="", encoding="utf-8") as f:
            rows.extend(csv.DictReader(f))
    return rows


def main(out):
    lines = []
    for threads in (1, 2):
        ag = load_autograd(os.path.join(out, f"autograd-{threads}"))
        pt = json.load(open(os.path.join(out, f"pytorch-{threads}.json"), encoding="utf-8"))
        lines.append(f"\n### {threads} thread{'s' if threads > 1 else ''}\n")
        lines.append("| training step (batch, n0-n1-n2) | dtype | AutoGrad tape | tape in scope | hand-written in scope | tape / hand (in scope) | PyTorch | tape / PyTorch | tape in scope / PyTorch | bytes/step | bytes/step in scope |")
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for case, by_dtype in pt["training"].items():
            for dtype in ("double", "float"):
                kind = "TrainingStepDouble" if dtype == "double" else "TrainingStepFloat"

                def row(method):
                    return next((r for r in ag if r.get("Type") == kind and r.get("Method") == method and same_case(r.get("Case", ""), case)), None)

                tape, scoped, hand = row("Tape"), row("'Tape in scope'"), row("'Hand in scope'")
                if tape is None or scoped is None or hand is None:
                    continue
                t, s, h, p = seconds(tape["Median"]), seconds(scoped["Median"]), seconds(hand["Median"]), by_dtype[dtype]
                lines.append(f"| {case} | {dtype} | {t * 1e6:,.1f} µs | {s * 1e6:,.1f} µs | {h * 1e6:,.1f} µs | {s / h:.2f} | {p * 1e6:,.1f} µs"
                             f" | {t / p:.3f} | {s / p:.3f} | {tape['Allocated']} | {scoped['Allocated']} |")
        lines.append("")
        lines.append("| GEMM n | dtype | form | AutoGrad GFLOP/s | numpy (OpenBLAS) GFLOP/s | AutoGrad / OpenBLAS | MathNet GFLOP/s |")
        lines.append("|---|---|---|---:|---:|---:|---:|")
        for form in ("A·B", "Aᵀ·B", "A·Bᵀ"):
            for dtype in ("double", "float"):
                for n in ("64", "256", "1024"):
                    row = next((r for r in ag if r.get("Method") == f"'{dtype} {form}'" and r.get("N") == n), None)
                    if row is None:
                        continue
                    gf = 2 * int(n) ** 3 / seconds(row["Median"]) / 1e9
                    ref = pt["gemm"][form][dtype][n]
                    mathnet = ""
                    if form == "A·B" and dtype == "double":
                        m = next((r for r in ag if r.get("Method") == "'MathNet double A·B'" and r.get("N") == n), None)
                        mathnet = f"{2 * int(n) ** 3 / seconds(m['Median']) / 1e9:.1f}" if m else ""
                    lines.append(f"| {n} | {dtype} | {form} | {gf:.1f} | {ref:.1f} | {gf / ref:.2f} | {mathnet} |")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "out"))
