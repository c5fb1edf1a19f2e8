#!/usr/bin/env bash
# The (256, 784-256-10) training step against PyTorch's, in the same minutes: PyTorch's step (pytorch_bench.py's
# training_step_time) and AutoGrad's (the `windows` mode: compiled, and the eager tape without any scope), timed the
# same way — median of 7 windows of ≥ 0.2 s of back-to-back steps — run alternately, PyTorch first in odd rounds and
# AutoGrad first in even ones, so a change of machine load hits both sides alike. Prints one row per round (with the
# load average) and the median of the per-round ratios.
# Needs: apt-get install -y python3-torch python3-numpy libopenblas0-pthread
# Usage: bash benchmarks/compare/step_vs_pytorch.sh [rounds=6] [threads=1] [float|double] [base.dll]
#   base.dll: optionally a second build of the benchmarks (e.g. an older commit with StepWindows.cs copied in), run in
#   the same rounds; its columns follow.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-6}" threads="${2:-1}" dtype="${3:-float}" base="${4:-}"
out="$here/out-step-vs-pytorch"
rm -rf "$out" && mkdir -p "$out"
dotnet build -c Release "$root/benchmarks/AutoGrad.Benchmarks" > "$out/build.log"
dll="$root/benchmarks/AutoGrad.Benchmarks/bin/Release/net10.0/AutoGrad.Benchmarks.dll"
torch() {
  OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads /usr/bin/python3 - "$here" "$threads" "$dtype" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import torch
import pytorch_bench
torch.set_num_threads(int(sys.argv[2]))
dtype = torch.float32 if sys.argv[3] == "float" else torch.float64
print(json.dumps({"pytorch": pytorch_bench.training_step_time(256, 784, 256, 10, dtype) * 1e6}))
PY
}
ours() { AUTOGRAD_NUM_THREADS=$threads dotnet "$1" windows "$threads" "$dtype"; }
for round in $(seq 1 "$rounds"); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  if (( round % 2 == 1 )); then
    t="$(torch)"; a="$(ours "$dll")"; b="$([ -n "$base" ] && ours "$base" || echo '{}')"
  else
    a="$(ours "$dll")"; b="$([ -n "$base" ] && ours "$base" || echo '{}')"; t="$(torch)"
  fi
  echo "{\"round\": $round, \"load\": $load, \"torch\": $t, \"new\": $a, \"base\": $b}" | tee -a "$out/rounds.jsonl"
done
/usr/bin/python3 - "$out/rounds.jsonl" "$threads" "$dtype" <<'PY' | tee "$out/table.md"
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
has_base = any(r["base"] for r in rows)
print(f"\n(256, 784-256-10) {sys.argv[3]}, {sys.argv[2]} thread(s): µs per step (median of 7 windows of ≥ 0.2 s), per round")
head = "| round | load | PyTorch | compiled | tape (no scope) | compiled / PyTorch | tape / PyTorch |"
sep = "|---:|---:|---:|---:|---:|---:|---:|"
if has_base:
    head += " base compiled | base tape | base compiled / PyTorch | base tape / PyTorch |"
    sep += "---:|---:|---:|---:|"
print(head); print(sep)
ratios = {k: [] for k in ("c", "t", "bc", "bt")}
for r in rows:
    p, c, t = r["torch"]["pytorch"], r["new"]["compiled"], r["new"]["tape"]
    ratios["c"].append(c / p); ratios["t"].append(t / p)
    line = f"| {r['round']} | {r['load']} | {p:,.0f} | {c:,.0f} | {t:,.0f} | {c / p:.2f} | {t / p:.2f} |"
    if has_base:
        bc, bt = r["base"]["compiled"], r["base"]["tape"]
        ratios["bc"].append(bc / p); ratios["bt"].append(bt / p)
        line += f" {bc:,.0f} | {bt:,.0f} | {bc / p:.2f} | {bt / p:.2f} |"
    print(line)
line = f"| median | | | | | **{statistics.median(ratios['c']):.2f}** | **{statistics.median(ratios['t']):.2f}** |"
if has_base:
    line += f" | | {statistics.median(ratios['bc']):.2f} | {statistics.median(ratios['bt']):.2f} |"
print(line)
PY
