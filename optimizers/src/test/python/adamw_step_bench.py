"""torch.optim.AdamW step over the 60M LLaMA's parameter shapes (float32, 2 threads).

The baseline for optimizers/BENCHMARKS.md: run with Debian's python (torch 1.13):
    /usr/bin/python3 optimizers/src/test/python/adamw_step_bench.py
"""
import time

import torch

VOCAB, HIDDEN, INTER, LAYERS = 32000, 512, 1376, 8


def shapes():
    yield (VOCAB, HIDDEN)
    for _ in range(LAYERS):
        yield (HIDDEN,)
        for _ in "qkvo":
            yield (HIDDEN, HIDDEN)
        yield (HIDDEN,)
        yield (INTER, HIDDEN)
        yield (HIDDEN, INTER)
        yield (INTER, HIDDEN)
    yield (HIDDEN,)
    yield (VOCAB, HIDDEN)


def main():
    torch.set_num_threads(2)
    torch.manual_seed(7)
    params = []
    for s in shapes():
        p = torch.nn.Parameter(torch.randn(s) * 0.02)
        p.grad = torch.randn(s) * 1e-3
        params.append(p)
    print("parameters", sum(p.numel() for p in params))
    for foreach in (False, True):
        opt = torch.optim.AdamW(params, lr=1e-6, weight_decay=0.0, foreach=foreach)
        for _ in range(5):
            opt.step()
        times = []
        for _ in range(30):
            t0 = time.perf_counter()
            opt.step()
            times.append((time.perf_counter() - t0) * 1e3)
        times.sort()
        print(f"torch {torch.__version__} AdamW foreach={foreach}: median {times[len(times) // 2]:.1f} ms, "
              f"min {times[0]:.1f} ms over {len(times)} steps")


if __name__ == "__main__":
    main()
