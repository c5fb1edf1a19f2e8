#!/usr/bin/env bash
# The compiled training step beside the eager tape, plain loops, its GEMMs alone and PyTorch, at 1 and 2 threads.
# PyTorch's steps (pytorch_bench.py --training-only) are timed just before AutoGrad's A/B (CompiledStepComparison),
# whose table then has a PyTorch column, and once more just after it: the last table shows how far PyTorch's own
# times moved meanwhile (machine load), i.e. how far the compiled / PyTorch ratios can be trusted.
# Needs: apt-get install -y python3-torch python3-numpy libopenblas0-pthread
# Usage: bash benchmarks/compare/compiled.sh   (10–20 minutes on the 2-core machine)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/out-compiled"
rm -rf "$out" && mkdir -p "$out"
dotnet build -c Release "$root/benchmarks/AutoGrad.Benchmarks" > "$out/build.log"
for threads in 1 2; do
  torch() {
    OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads /usr/bin/python3 "$here/pytorch_bench.py" --threads "$threads" --training-only > "$1"
  }
  torch "$out/pytorch-$threads-before.json"
  dotnet run -c Release --no-build --project "$root/benchmarks/AutoGrad.Benchmarks" -- compiled "$threads" "$out/pytorch-$threads-before.json" \
    | tee "$out/autograd-$threads.md"
  torch "$out/pytorch-$threads-after.json"
  /usr/bin/python3 - "$out/pytorch-$threads-before.json" "$out/pytorch-$threads-after.json" <<'PY' | tee "$out/pytorch-drift-$threads.md"
import json, sys
before, after = (json.load(open(p))["training"] for p in sys.argv[1:3])
print("\n| PyTorch step | dtype | before (µs) | after (µs) | after / before |\n|---|---|---:|---:|---:|")
for case in before:
    for dtype in ("double", "float"):
        b, a = before[case][dtype] * 1e6, after[case][dtype] * 1e6
        print(f"| {case} | {dtype} | {b:,.2f} | {a:,.2f} | {a / b:.2f} |")
PY
done
