#!/usr/bin/env python3
"""Times the same training steps as AutoGrad's TrainingStepBenchmarks in PyTorch, and GEMM in numpy (OpenBLAS).

Run with Debian's python3-torch and python3-numpy (`/usr/bin/python3`). The thread count is set by the caller:
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS in the environment (before numpy is imported) and --threads for torch.
Prints one JSON object: {"training": {case: {dtype: seconds}}, "gemm": {form: {dtype: {n: gflops}}}}.
"""
import argparse
import json
import time

import numpy as np
import torch

CASES = [(1, 4, 8, 1), (32, 16, 32, 4), (64, 64, 128, 10), (256, 784, 256, 10), (1024, 1024, 1024, 1024)]


def median_time(step, min_seconds=0.2, samples=7):
    """Median over `samples` of the mean time of `step`, each sample repeating it for at least `min_seconds`."""
    for _ in range(3):
        step()
    start, reps = time.perf_counter(), 0
    while time.perf_counter() - start < min_seconds / 4:
        step()
        reps += 1
    reps = max(1, int(reps * 4))
    results = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        results.append((time.perf_counter() - t0) / reps)
    results.sort()
    return results[len(results) // 2]


def training_step_time(batch, n0, n1, n2, dtype):
    torch.manual_seed(1)
    l1 = torch.nn.Linear(n0, n1).to(dtype)
    l2 = torch.nn.Linear(n1, n2).to(dtype)
    params = list(l1.parameters()) + list(l2.parameters())
    x = torch.randn(batch, n0, dtype=dtype)
    y = torch.rand(batch, n2, dtype=dtype)
    lr = 0.01

    def step():
        for p in params:
            p.grad = None
        y_hat = torch.sigmoid(l2(torch.sigmoid(l1(x))))
        loss = 0.5 * ((y_hat - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
        return loss

    return median_time(step)


def gemm_gflops(n, dtype, form):
    rng = np.random.default_rng(42)
    a = rng.random((n, n)).astype(dtype) - 0.5
    b = rng.random((n, n)).astype(dtype) - 0.5
    if form == "A·B":
        f = lambda: a @ b
    elif form == "Aᵀ·B":
        f = lambda: a.T @ b
    else:
        f = lambda: a @ b.T
    return 2.0 * n ** 3 / median_time(f) / 1e9


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--training-only", action="store_true",
                        help="only the training steps up to (256, 784-256-10), for compare/compiled.sh")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    result = {"threads": args.threads, "torch": torch.__version__, "numpy": np.__version__, "training": {}, "gemm": {}}
    for case in CASES[:4] if args.training_only else CASES:
        key = f"({case[0]}, {case[1]}-{case[2]}-{case[3]})"
        result["training"][key] = {
            "double": training_step_time(*case, torch.float64),
            "float": training_step_time(*case, torch.float32),
        }
    for form in [] if args.training_only else ["A·B", "Aᵀ·B", "A·Bᵀ"]:
        result["gemm"][form] = {
            name: {str(n): gemm_gflops(n, dt, form) for n in (64, 256, 1024)}
            for name, dt in (("double", np.float64), ("float", np.float32))
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
