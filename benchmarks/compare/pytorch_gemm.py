#!/usr/bin/env python3
"""Times, in PyTorch at one thread, the matrix products of the (batch, n0-n1-n2) two-layer MLP training step one by one,
as PyTorch's own step computes them (Linear's forward is addmm(bias, x, Wᵀ); its backward mm(δ, W) and mm(δᵀ, x)).

Usage: OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/compare/pytorch_gemm.py [rounds] [batch n0 n1 n2]
Prints one JSON object: {"threads": 1, "products": {name: {"shape": "m×n×k", dtype: µs, dtype + " min": µs}}}: the
median and the fastest of `rounds` batches of about 50 µs (at least one call), timed in the calling thread's CPU time
(time.thread_time_ns: at one thread OpenBLAS computes on the calling thread) like GemmStepComparison's `gemm` A/B, so
time spent waiting for a core on a loaded machine does not count. The products are GemmStepComparison's, in its order.
"""
import json
import sys
import time

import torch


def median_and_min_us(f, rounds):
    start, reps = time.thread_time_ns(), 0
    while time.thread_time_ns() - start < 500_000_000:  # warm-up: half a second of CPU time
        f()
        reps += 1
    reps = max(1, int(reps * 50_000 / (time.thread_time_ns() - start)))
    times = []
    for _ in range(rounds):
        t0 = time.thread_time_ns()
        for _ in range(reps):
            f()
        times.append((time.thread_time_ns() - t0) / reps / 1000)
    times.sort()
    return times[len(times) // 2], times[0]


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 101
    b, n0, n1, n2 = (int(v) for v in sys.argv[2:6]) if len(sys.argv) > 5 else (256, 784, 256, 10)
    torch.set_num_threads(1)
    torch.manual_seed(1)
    result = {"threads": 1, "torch": torch.__version__, "products": {}}
    for dtype, name in ((torch.float32, "float"), (torch.float64, "double")):
        x = torch.randn(b, n0, dtype=dtype)
        w1 = torch.randn(n1, n0, dtype=dtype)
        b1 = torch.randn(n1, dtype=dtype)
        h = torch.randn(b, n1, dtype=dtype)
        w2 = torch.randn(n2, n1, dtype=dtype)
        b2 = torch.randn(n2, dtype=dtype)
        dz2 = torch.randn(b, n2, dtype=dtype)
        dz1 = torch.randn(b, n1, dtype=dtype)
        products = [
            ("Z1 = X·W1ᵀ", f"{b}×{n1}×{n0}", lambda: torch.mm(x, w1.t())),
            ("Z1 = b1 + X·W1ᵀ (addmm)", f"{b}×{n1}×{n0}", lambda: torch.addmm(b1, x, w1.t())),
            ("Z2 = H·W2ᵀ", f"{b}×{n2}×{n1}", lambda: torch.mm(h, w2.t())),
            ("Z2 = b2 + H·W2ᵀ (addmm)", f"{b}×{n2}×{n1}", lambda: torch.addmm(b2, h, w2.t())),
            ("dH = dZ2·W2", f"{b}×{n1}×{n2}", lambda: torch.mm(dz2, w2)),
            ("dW2 = dZ2ᵀ·H", f"{n2}×{n1}×{b}", lambda: torch.mm(dz2.t(), h)),
            ("dW1 = dZ1ᵀ·X", f"{n1}×{n0}×{b}", lambda: torch.mm(dz1.t(), x)),
        ]
        for label, shape, f in products:
            entry = result["products"].setdefault(label, {"shape": shape})
            entry[name], entry[name + " min"] = median_and_min_us(f, rounds)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
