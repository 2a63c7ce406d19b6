#!/usr/bin/env python3
"""Writes rounds.json: a sequence of 40 driver rounds of per-tensor statistics for the controller tests.

Eight blocks (four small, four large matrices), two workers, rounds of 3 to 5 steps. The gradient
energy of each block follows its own trend (some concentrate, some fade); the active blocks (their
energy in the state-full part) change at scheduled re-selections, and the state-full share decays
between them so that drift-aware T has something to see. Round 17 holds a NaN and round 29 an
infinity (a diverged step). Pure python3, seeded: running it again writes the same file.
"""
import json
import math
import random

N_BLOCKS = 8
NUMEL = [64, 64, 64, 64, 172, 172, 172, 172]
WORKERS = 2


def block_energy(rng, i, r):
    trend = [1.0, 0.6, 2.5, 0.3, 1.8, 0.9, 0.2, 1.2][i]
    growth = [1.04, 0.97, 1.0, 1.06, 0.95, 1.02, 1.08, 0.99][i]
    return trend * growth ** r * NUMEL[i] * (0.8 + 0.4 * rng.random())


def main():
    rng = random.Random(20261202)
    rounds = []
    end = 0
    since = 0
    active = {6, 7}
    for r in range(40):
        steps = [4, 4, 3, 5][r % 4]
        reselect = r in (0, 5, 9, 14, 22, 27, 33)
        if reselect:
            since = 0
            active = set(rng.sample(range(N_BLOCKS), 2))
        since += steps
        end += steps
        decay = 0.93 ** since  # the active blocks' energy fades as the subspace ages
        tensors = []
        for i in range(N_BLOCKS):
            e = block_energy(rng, i, r) * steps * WORKERS
            full = e * decay * 3 if i in active else 0.0
            free = 0.0 if i in active else e
            n = NUMEL[i] * steps * WORKERS
            tensors.append({
                "grad_full": full, "grad_free": free,
                "update_full": 1e-6 * full, "update_free": 1e-4 * n if i not in active else 0.0,
                "numel_full": n if i in active else 0, "numel_free": 0 if i in active else n,
            })
        if r == 17:
            tensors[3]["grad_free"] = "NaN"
        if r == 29:
            tensors[5]["update_free"] = "Infinity"
        rounds.append({"end": end, "steps": steps, "since_reselection": since, "tensors": tensors})
    with open("rounds.json", "w") as f:
        json.dump({"blocks": ["b%d" % i for i in range(N_BLOCKS)], "rounds": rounds}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
