#!/usr/bin/env python3
"""PyTorch's (256, 784-256-10) training step at one thread, timed by the thread's CPU time (time.thread_time).

The counterpart of `dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- cputime`: the same step as
pytorch_bench.py, for a machine too loaded for wall-clock comparisons. Run with OPENBLAS_NUM_THREADS=1
OMP_NUM_THREADS=1 so that every multiply-add runs on the calling thread. Prints one line per dtype.
"""
import sys
import time

import torch

torch.set_num_threads(1)
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 201
for name, dtype in (("double", torch.float64), ("float", torch.float32)):
    torch.manual_seed(1)
    l1 = torch.nn.Linear(784, 256).to(dtype)
    l2 = torch.nn.Linear(256, 10).to(dtype)
    params = list(l1.parameters()) + list(l2.parameters())
    x = torch.randn(256, 784, dtype=dtype)
    y = torch.rand(256, 10, dtype=dtype)

    def step():
        for p in params:
            p.grad = None
        y_hat = torch.sigmoid(l2(torch.sigmoid(l1(x))))
        loss = 0.5 * ((y_hat - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.01 * p.grad

    warm = time.thread_time()
    while time.thread_time() - warm < 1.0:
        step()
    times = []
    for _ in range(rounds):
        t0 = time.thread_time()
        step()
        times.append((time.thread_time() - t0) * 1e6)
    times.sort()
    print(f"PyTorch (256, 784-256-10) {name}: {times[rounds // 2]:.1f} µs CPU per step (median of {rounds})")
