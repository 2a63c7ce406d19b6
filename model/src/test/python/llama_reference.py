"""Independent LLaMA reference in plain PyTorch (Hugging Face LlamaForCausalLM conventions,
ALGORITHMS.md section 11), a minimal safetensors writer, and the golden-value generator for
model/src/test/resources/golden/.

    /usr/bin/python3 model/src/test/python/llama_reference.py model/src/test/resources/golden
"""
import json
import math
import struct
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

# Small config of the golden test: 2 layers, 2 heads of 16, intermediate 88, vocab 61.
CFG = dict(hidden=32, intermediate=88, heads=2, layers=2, vocab=61, eps=1e-6, rope_base=10000.0)
PAD = 0


def param_names(layers):
    """Hugging Face names in the reference's order (per layer q, k, v, o, gate, down, up)."""
    names = ["model.embed_tokens.weight"]
    for i in range(layers):
        p = f"model.layers.{i}."
        names += [p + "input_layernorm.weight"]
        names += [p + f"self_attn.{x}_proj.weight" for x in "qkvo"]
        names += [p + "post_attention_layernorm.weight"]
        names += [p + f"mlp.{x}_proj.weight" for x in ("gate", "down", "up")]
    return names + ["model.norm.weight", "lm_head.weight"]


def param_shapes(cfg):
    d, f, v = cfg["hidden"], cfg["intermediate"], cfg["vocab"]
    shapes = {}
    for n in param_names(cfg["layers"]):
        if "embed_tokens" in n or n.startswith("lm_head"):
            shapes[n] = (v, d)
        elif "norm" in n:
            shapes[n] = (d,)
        elif "gate_proj" in n or "up_proj" in n:
            shapes[n] = (f, d)
        elif "down_proj" in n:
            shapes[n] = (d, f)
        else:
            shapes[n] = (d, d)
    return shapes


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def rope_tables(seq, head_dim, base, dtype):
    inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    freqs = torch.outer(torch.arange(seq, dtype=torch.float64), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().to(dtype), emb.sin().to(dtype)


def logits_of(params, cfg, inputs):
    """inputs [B, T] -> logits [B, T, V]."""
    b, t = inputs.shape
    d, h = cfg["hidden"], cfg["heads"]
    hd = d // h
    x = params["model.embed_tokens.weight"][inputs]
    cos, sin = rope_tables(t, hd, cfg["rope_base"], x.dtype)
    mask = torch.full((t, t), float("-inf"), dtype=x.dtype).triu(1)
    for i in range(cfg["layers"]):
        p = lambda n: params[f"model.layers.{i}.{n}.weight"]
        hn = rms_norm(x, p("input_layernorm"), cfg["eps"])
        heads = lambda w: (hn @ w.T).view(b, t, h, hd).transpose(1, 2)
        q, k, v = heads(p("self_attn.q_proj")), heads(p("self_attn.k_proj")), heads(p("self_attn.v_proj"))
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, dim=-1)
        o = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + o @ p("self_attn.o_proj").T
        hn = rms_norm(x, p("post_attention_layernorm"), cfg["eps"])
        x = x + (F.silu(hn @ p("mlp.gate_proj").T) * (hn @ p("mlp.up_proj").T)) @ p("mlp.down_proj").T
    x = rms_norm(x, params["model.norm.weight"], cfg["eps"])
    return x @ params["lm_head.weight"].T


def loss_of(params, cfg, tokens, pad):
    """Mean next-token cross entropy over targets that are not pad; also returns the logits."""
    logits = logits_of(params, cfg, tokens[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, cfg["vocab"]), tokens[:, 1:].reshape(-1), ignore_index=pad)
    return loss, logits


def write_safetensors(path, tensors):
    """tensors: name -> torch tensor (float32, bfloat16, float64 or int64), written in order."""
    codes = {torch.float32: "F32", torch.bfloat16: "BF16", torch.float64: "F64", torch.int64: "I64"}
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * ((8 - len(head) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for raw in blobs:
            f.write(raw)


def main(out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gen = torch.Generator().manual_seed(1234)
    weights = {}
    for name, shape in param_shapes(CFG).items():
        noise = torch.randn(shape, generator=gen, dtype=torch.float64)
        # Larger than the 0.02 init so attention is far from uniform and every gradient matters.
        weights[name] = (1 + 0.1 * noise if "norm" in name else 0.15 * noise).float()
    tokens = torch.randint(1, CFG["vocab"], (3, 13), generator=gen)
    tokens[1, 9:] = PAD      # padding among the targets
    tokens[2, 12] = PAD
    write_safetensors(out / "weights.safetensors", weights)
    write_safetensors(out / "weights-bf16.safetensors", {n: w.to(torch.bfloat16) for n, w in weights.items()})

    # The golden run is float64 on the float32 weights, so it holds no float32 rounding of its own.
    params = {n: w.double().requires_grad_(True) for n, w in weights.items()}
    loss, logits = loss_of(params, CFG, tokens, PAD)
    loss.backward()
    golden = {"tokens": tokens, "loss": loss.detach().reshape(1),
              "count": (tokens[:, 1:] != PAD).sum().reshape(1).to(torch.int64), "logits": logits.detach()}
    golden.update({"grad." + n: p.grad for n, p in params.items()})
    write_safetensors(out / "golden.safetensors", golden)
    (out / "config.json").write_text(json.dumps(dict(CFG, pad=PAD, torch=torch.__version__), indent=1) + "\n")
    print(f"loss {loss.item():.10f} over {int(golden['count'])} targets")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "model/src/test/resources/golden")
