#!/usr/bin/env bash
# Runs AutoGrad's BenchmarkDotNet benchmarks and the same cases in PyTorch/numpy, 1 thread each then 2 threads
# each, and prints the side-by-side tables. Needs: apt-get install -y python3-torch python3-numpy libopenblas0-pthread
# Usage: bash benchmarks/compare/run.sh   (about 30 minutes on the 2-core machine)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/out"
rm -rf "$out" && mkdir -p "$out"
dotnet build -c Release "$root/benchmarks/AutoGrad.Benchmarks" > "$out/build.log"
for threads in 1 2; do
  AUTOGRAD_THREADS=$threads AUTOGRAD_QUICK=${AUTOGRAD_QUICK:-1} dotnet run -c Release --no-build --project "$root/benchmarks/AutoGrad.Benchmarks" -- \
    --filter '*TrainingStep*' '*GemmBenchmarks*' --artifacts "$out/autograd-$threads" > "$out/autograd-$threads.log"
  OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads /usr/bin/python3 "$here/pytorch_bench.py" --threads "$threads" > "$out/pytorch-$threads.json"
done
/usr/bin/python3 "$here/table.py" "$out" | tee "$out/table.md"
