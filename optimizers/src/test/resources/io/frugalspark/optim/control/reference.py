#!/usr/bin/env python3
"""Independent reference for the driver-side AdaFRUGAL controllers (ImportanceSelection,
DriftAwareGap, EnergyTargetedRho): reads rounds.json, writes expected.json with every decision.

Written from the rules as the issue and the classes' javadoc state them, not from the Java code.
Pure python3 stdlib. Sums run in block index order and shares are full / (full + free), the same
floating-point operations the rules define, so the Java values must match exactly. Settings are
in SETTINGS below; the test reads them from expected.json.
"""
import json
import math

MASK = (1 << 64) - 1
SETTINGS = {
    "importance": [{"beta": 0.8, "epsilon": 0.0, "seed": 7, "k": 3},
                   {"beta": 0.5, "epsilon": 0.3, "seed": 11, "k": 3}],
    "drift": {"t_min": 16, "t_max": 30, "fraction": 0.75},
    "energy": [{"start": 0.75, "end": 0.125, "share": 0.6, "hold": 12},
               {"start": 0.375, "end": 0.3, "share": 0.6, "hold": 12}],
}


def num(v):
    return float(v) if isinstance(v, str) else float(v)


def fields(t):
    return {k: num(v) for k, v in t.items()}


def finite(rnd):
    return all(math.isfinite(v) for t in rnd["tensors"] for v in fields(t).values())


def energy(t):
    return t["grad_full"] + t["grad_free"]


def share(rnd):
    ts = [fields(t) for t in rnd["tensors"]]
    full = 0.0
    for t in ts:
        full += t["grad_full"]
    free = 0.0
    for t in ts:
        free += t["grad_free"]
    return 0.0 if full + free == 0 else full / (full + free)


def ranked(score):
    """Block indices by score, largest first; ties to the lower index."""
    return sorted(range(len(score)), key=lambda i: (-score[i], i))


# Java's SplittableRandom seeded as io.frugalspark.optim.Seeds.stream(seed, index) does.
def fmix64(z):
    z = ((z ^ (z >> 33)) * 0xff51afd7ed558ccd) & MASK
    z = ((z ^ (z >> 33)) * 0xc4ceb9fe1a85ec53) & MASK
    return z ^ (z >> 33)


class SplitMix:
    GAMMA = 0x9e3779b97f4a7c15

    def __init__(self, seed, index):
        self.state = fmix64((fmix64(seed & MASK) + index) & MASK)

    def next_double(self):
        self.state = (self.state + self.GAMMA) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & MASK
        z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & MASK
        z ^= z >> 31
        return (z >> 11) * 2.0 ** -53


def importance(rounds, cfg):
    """EMA of energy per element (first round: the value itself); at every round the top k, explored."""
    n = len(rounds[0]["tensors"])
    ema = None
    choices = 0
    out = []
    for rnd in rounds:
        if finite(rnd):
            x = []
            for t in map(fields, rnd["tensors"]):
                count = t["numel_full"] + t["numel_free"]
                x.append(0.0 if count == 0 else energy(t) / count)
            if ema is None:
                ema = x
            else:
                ema = [cfg["beta"] * e + (1 - cfg["beta"]) * xi for e, xi in zip(ema, x)]
        order = ranked(ema if ema is not None else [0.0] * n)
        active = order[:cfg["k"]]
        rest = sorted(order[cfg["k"]:])
        rng = SplitMix(cfg["seed"], choices)
        choices += 1
        explored = False
        if cfg["epsilon"] > 0:
            for slot in range(cfg["k"]):
                if rng.next_double() < cfg["epsilon"] and rest:
                    pick = rest.pop(int(rng.next_double() * len(rest)))
                    rest = sorted(rest + [active[slot]])
                    active[slot] = pick
                    explored = True
        out.append({"active": active, "rule": "exploration" if explored else "importance",
                    "ignored": not finite(rnd)})
    return out


def drift(rounds, cfg):
    reference = float("nan")
    out = []
    for rnd in rounds:
        if not finite(rnd):
            out.append({"reselect": False, "share": "NaN", "reference": reference, "rule": "ignored"})
            continue
        s = share(rnd)
        since = rnd["since_reselection"]
        fresh = since <= rnd["steps"]
        if fresh:
            reference = s
        if since >= cfg["t_max"]:
            decision = (True, "t_max")
        elif not fresh and s < cfg["fraction"] * reference:
            decision = (True, "drift") if since >= cfg["t_min"] else (False, "t_min")
        else:
            decision = (False, "none")
        out.append({"reselect": decision[0], "share": s, "reference": reference, "rule": decision[1]})
    return out


def density_of_blocks(k, n):
    rho = k / n
    while math.floor(n * rho) < k:
        rho = math.nextafter(rho, 1.0)
    return rho


def energy_rho(rounds, cfg):
    rho = cfg["start"]
    since_change = 0
    out = []
    for rnd in rounds:
        n = len(rnd["tensors"])
        if not finite(rnd):
            out.append({"rho": rho, "blocks": math.floor(n * rho), "captured": "NaN", "rule": "ignored"})
            continue
        since_change += rnd["steps"]
        e = [energy(fields(t)) for t in rnd["tensors"]]
        best = [e[i] for i in ranked(e)]
        cumulative = [0.0]
        for v in best:
            cumulative.append(cumulative[-1] + v)
        k = 0
        while k < n and cumulative[k] < cfg["share"] * cumulative[n]:
            k += 1
        target = max(cfg["end"], min(cfg["start"], density_of_blocks(k, n)))
        rule = "none"
        if target != rho:
            rule = "energy_rho" if since_change >= cfg["hold"] else "rho_held"
        if rule == "energy_rho":
            rho = target
            since_change = 0
        blocks = math.floor(n * rho)
        captured = 0.0 if cumulative[n] == 0 else cumulative[blocks] / cumulative[n]
        out.append({"rho": rho, "blocks": blocks, "captured": captured, "rule": rule})
    return out


def jsonable(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [jsonable(x) for x in v]
    return v


def main():
    with open("rounds.json") as f:
        rounds = json.load(f)["rounds"]
    expected = {
        "settings": SETTINGS,
        "importance": [importance(rounds, c) for c in SETTINGS["importance"]],
        "drift": drift(rounds, SETTINGS["drift"]),
        "energy": [energy_rho(rounds, c) for c in SETTINGS["energy"]],
    }
    with open("expected.json", "w") as f:
        json.dump(jsonable(expected), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
