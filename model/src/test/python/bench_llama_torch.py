"""PyTorch side of model/BENCHMARKS.md: forward plus backward of the same LLaMA (llama_reference.py)
in float32 on random tokens, 2 threads.

    /usr/bin/python3 model/src/test/python/bench_llama_torch.py --preset llama-60m --batch 8 --seq 256
"""
import argparse
import resource
import time

import torch

import llama_reference as ref

PRESETS = {"tiny": (64, 172, 2, 2), "small": (256, 688, 4, 4), "llama-60m": (512, 1376, 8, 8),
           "llama-130m": (768, 2048, 12, 12)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="llama-60m")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--vocab", type=int, default=32000)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    d, f, h, layers = PRESETS[a.preset]
    cfg = dict(ref.CFG, hidden=d, intermediate=f, heads=h, layers=layers, vocab=a.vocab)
    gen = torch.Generator().manual_seed(1)
    params = {n: (torch.ones(s) if "norm" in n else 0.02 * torch.randn(s, generator=gen)).requires_grad_(True)
              for n, s in ref.param_shapes(cfg).items()}
    tokens = torch.randint(0, a.vocab, (a.batch, a.seq + 1), generator=gen)
    n = a.batch * a.seq
    flops = 3 * (2 * n * (layers * (4 * d * d + 3 * d * f) + d * a.vocab) + 4 * layers * a.batch * a.seq ** 2 * d)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {a.preset} batch {a.batch} x seq {a.seq}")
    times, cpu = [], 0.0
    for s in range(a.warmup + a.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        loss, _ = ref.loss_of(params, cfg, tokens, -1)
        loss.backward()
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        print(f"step {s}: {dt:.3f} s (cpu {dc:.3f} s), loss {loss.item():.4f}")
        if s >= a.warmup:
            times.append(dt)
            cpu += dc
    mean, best = sum(times) / len(times), min(times)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20
    print(f"forward+backward: mean {mean:.3f} s/step (best {best:.3f}), {n / mean:.1f} tokens/s (best {n / best:.1f}), "
          f"{flops / mean / 1e9:.1f} GFLOP/s (best {flops / best / 1e9:.1f}), {cpu / len(times):.2f} cpu-s/step, "
          f"peak RSS {peak:.2f} GiB")


if __name__ == "__main__":
    main()
