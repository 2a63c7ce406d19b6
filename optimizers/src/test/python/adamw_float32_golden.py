"""Golden values for AdamW on float32 tensors from torch.optim.AdamW (foreach off and on).

Inputs are exact float32 values that AdamFloat32GoldenTest rebuilds in Java from integers (no RNG
or libm has to agree): parameters and per-step gradients from a multiplicative hash, scaled by powers
of two over twelve orders of magnitude (so some elements sit where sqrt(v) is near eps). Six steps at
lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.1; the parameters after every step and both
moments after the last, as float32 bit patterns. foreach on and off give the same bits (checked here).

    /usr/bin/python3 optimizers/src/test/python/adamw_float32_golden.py > optimizers/src/test/resources/adamw-float32-golden.json

Needs Debian's python3-torch; the test suite only reads the JSON.
"""
import json
import struct

import torch

N = 1031  # not a multiple of any vector width
STEPS = 6
LR, BETAS, EPS, WD = 1e-3, (0.9, 0.999), 1e-8, 0.1


def hashed(i, salt):
    """An exact float32 in [-1, 1): 24 bits of a multiplicative hash over 2^23, times 2^-(4 * (i mod 10))."""
    h = ((i * 2654435761 + salt * 40503) % (1 << 32)) >> 8
    return (h - (1 << 23)) / float(1 << 23) * 2.0 ** -(4 * (i % 10))


def tensor(salt):
    return torch.tensor([hashed(i, salt) for i in range(N)], dtype=torch.float32)


def bits(t):
    return [struct.unpack("<I", struct.pack("<f", x))[0] for x in t.tolist()]


def run(foreach):
    p = torch.nn.Parameter(tensor(0))
    opt = torch.optim.AdamW([p], lr=LR, betas=BETAS, eps=EPS, weight_decay=WD, foreach=foreach)
    params = []
    for t in range(1, STEPS + 1):
        p.grad = tensor(t)
        opt.step()
        params.append(bits(p.detach()))
    s = opt.state[p]
    return {"params": params, "exp_avg": bits(s["exp_avg"]), "exp_avg_sq": bits(s["exp_avg_sq"])}


def main():
    torch.set_num_threads(1)
    off, on = run(False), run(True)
    assert off == on, "torch's foreach and per-tensor AdamW differ"
    out = {"n": N, "steps": STEPS, "lr": LR, "beta1": BETAS[0], "beta2": BETAS[1], "eps": EPS, "weight_decay": WD,
           "torch": torch.__version__}
    out.update(off)
    print(json.dumps(out, separators=(",", ":")))


if __name__ == "__main__":
    main()
