"""torch.optim.AdamW step over the 60M LLaMA's parameter shapes (float32, 2 threads).

The baseline for optimizers/BENCHMARKS.md: run with Debian's python (torch 1.13):
    /usr/bin/python3 optimizers/src/test/python/adamw_step_bench.py [--steps 30 --warmup 5 --threads 2 --scale 1]

--scale divides every dimension (a quick check of the script itself, not a benchmark).
"""
import argparse
import time

import torch

VOCAB, HIDDEN, INTER, LAYERS = 32000, 512, 1376, 8


def shapes(scale=1):
    v, h, i = VOCAB // scale, HIDDEN // scale, INTER // scale
    yield (v, h)
    for _ in range(LAYERS):
        yield (h,)
        for _ in "qkvo":
            yield (h, h)
        yield (h,)
        yield (i, h)
        yield (h, i)
        yield (i, h)
    yield (h,)
    yield (v, h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--scale", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    params = []
    for s in shapes(a.scale):
        p = torch.nn.Parameter(torch.randn(s) * 0.02)
        p.grad = torch.randn(s) * 1e-3
        params.append(p)
    print("parameters", sum(p.numel() for p in params))
    for foreach in (False, True):
        opt = torch.optim.AdamW(params, lr=1e-6, weight_decay=0.0, foreach=foreach)
        for _ in range(a.warmup):
            opt.step()
        times = []
        for _ in range(a.steps):
            t0 = time.perf_counter()
            opt.step()
            times.append((time.perf_counter() - t0) * 1e3)
        times.sort()
        print(f"torch {torch.__version__} AdamW foreach={foreach}: median {times[len(times) // 2]:.1f} ms, "
              f"min {times[0]:.1f} ms over {len(times)} steps")


if __name__ == "__main__":
    main()
