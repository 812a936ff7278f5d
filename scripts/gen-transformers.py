#!/usr/bin/env python3
"""Generate the transformer network files of workloads/networks/ (docs/network.md,
"Transformers") from the models' published configurations.

Usage: scripts/gen-transformers.py [--out DIR]

Every matrix product is a problem of the grouped_conv2d shape with R = S = Q = 1 (tensors
are N x channels x 1 x tokens): projections and FFN are C -> M over P tokens; attention's
Q K^T per head is G = KV heads, N = query heads per KV head, C = head size, M = context,
P = tokens, reading K into its Weights (`{name: k, into: Weights}`); A V is the same with
C = context and M = head size. Norms, softmax, activations, RoPE and the gate product are
`elementwise` operation layers, residual sums `add`. One block is written once with
`repeat:` the number of layers (the shape cache maps it once, the totals count it that many
times). The MAC count written in each file is computed here from the configuration (the
same formula as include/loopsim/network/transformer_macs.hpp, checked by
tests/unit/network_test.cpp against loopsim's sum over the layers). Stdlib only.
"""

import argparse
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SHAPE = """{name: grouped_conv2d, dimensions: [G, C, M, R, S, N, P, Q],
        coefficients: [{name: Wstride, default: 1}, {name: Hstride, default: 1},
                       {name: Wdilation, default: 1}, {name: Hdilation, default: 1}],
        data_spaces: [{name: Weights, projection: [[[G]], [[C]], [[M]], [[R]], [[S]]]},
                      {name: Inputs, projection: [[[N]], [[G]], [[C]],
                        [[R, Wdilation], [P, Wstride]], [[S, Hdilation], [Q, Hstride]]]},
                      {name: Outputs, projection: [[[N]], [[G]], [[M]], [[Q]], [[P]]],
                       read_write: true}]}"""


def ev(x, L):
    """Value of a bound written as an int or an expression of L."""
    return x if isinstance(x, int) else eval(x, {"L": L})


class Net:
    def __init__(self):
        self.rows = []
        self.shape_written = False
        self.terms = []  # (repeat, G, C, M, N, P, R*S) for the MAC formula

    def mm(self, name, inputs, C, M, P, G=1, N=1, repeat=1, R=1, stride=1, Q=1):
        """A matrix product (or the patch convolution): grouped_conv2d instance."""
        shape = "shape: &gconv " + SHAPE if not self.shape_written else "shape: *gconv"
        self.shape_written = True
        inst = (f"{{G: {G}, C: {C}, M: {M}, R: {R}, S: {R}, N: {N}, P: {P}, Q: {Q}"
                + (f", Wstride: {stride}, Hstride: {stride}" if stride > 1 else "") + "}")
        ins = ", ".join(inputs)
        rep = f"\n    repeat: {repeat}" if repeat > 1 else ""
        self.rows.append(f"  - name: {name}{rep}\n    problem:\n      {shape}\n"
                         f"      instance: {inst}\n    inputs: [{ins}]")
        self.terms.append((repeat, G, C, M, N, P, R * R * Q))
        return name

    def op(self, name, op, inputs, repeat=1, note=None, **kw):
        extra = "".join(f", {k}: {v}" for k, v in kw.items())
        rep = f", repeat: {repeat}" if repeat > 1 else ""
        c = f"  # {note}" if note else ""
        self.rows.append(f"  - {{name: {name}, op: {op}{extra}{rep}, inputs: [{', '.join(inputs)}]}}{c}")
        return name

    def macs(self, L):
        t = 0
        for rep, G, C, M, N, P, rsq in self.terms:
            t += rep * ev(G, L) * ev(C, L) * ev(M, L) * ev(N, L) * ev(P, L) * rsq
        return t


def block(n, x, cfg, t, c, kv_cache=None):
    """One transformer block over t new tokens attending to c positions, repeated
    cfg['layers'] times. x: the block's input tensor [1, d, 1, t]. Returns its output."""
    d, H, Hkv, h, f = cfg["d"], cfg["heads"], cfg["kv_heads"], cfg["head_dim"], cfg["ffn"]
    ell, gated, post_norm = cfg["layers"], cfg["gated"], cfg.get("post_norm", False)
    g = H // Hkv
    r = {"repeat": ell}
    norm = "RMSNorm" if gated else "LayerNorm"
    a_in = x if post_norm else n.op("norm1", "elementwise", [x], note=norm, **r)
    q = n.mm("q_proj", [a_in], d, H * h, t, **r)
    k = n.mm("k_proj", [a_in], d, Hkv * h, t, **r)
    v = n.mm("v_proj", [a_in], d, Hkv * h, t, **r)
    if gated:  # Llama: rotary position embedding on Q and K
        q = n.op("rope_q", "elementwise", [q], note="RoPE", **r)
        k = n.op("rope_k", "elementwise", [k], note="RoPE", **r)
    if kv_cache:  # decode: the cached keys and values, then the new token's
        k = n.op("k_all", "concat", [kv_cache[0], k], axis=3, **r)
        v = n.op("v_all", "concat", [kv_cache[1], v], axis=3, **r)
    if g > 1:  # grouped-query attention: the g query heads of a KV head are N
        q = n.op("q_heads", "reshape", [q], shape=f"[{g}, {Hkv * h}, 1, {t}]", **r)
    s = n.mm("scores", [q, f"{{name: {k}, into: Weights}}"], h, c, t, G=Hkv, N=g, **r)
    p = n.op("softmax", "elementwise", [s], note="scale, causal mask, softmax", **r)
    o = n.mm("attn_v", [p, f"{{name: {v}, into: Weights}}"], c, h, t, G=Hkv, N=g, **r)
    if g > 1:
        o = n.op("attn_concat", "reshape", [o], shape=f"[1, {H * h}, 1, {t}]", **r)
    o = n.mm("o_proj", [o], H * h, d, t, **r)
    x1 = n.op("add1", "add", [o, x], **r)
    if post_norm:
        x1 = n.op("norm1", "elementwise", [x1], note=norm, **r)
    f_in = x1 if post_norm else n.op("norm2", "elementwise", [x1], note=norm, **r)
    if gated:
        gate = n.op("silu", "elementwise", [n.mm("gate_proj", [f_in], d, f, t, **r)], note="SiLU", **r)
        up = n.mm("up_proj", [f_in], d, f, t, **r)
        hid = n.op("gate_mul", "elementwise", [gate, up], note="SiLU(gate) * up", **r)
    else:
        hid = n.op("gelu", "elementwise", [n.mm("ffn_up", [f_in], d, f, t, **r)], note="GELU", **r)
    y = n.op("add2", "add", [n.mm("ffn_down", [hid], f, d, t, **r), x1], **r)
    if post_norm:
        y = n.op("norm2", "elementwise", [y], note=norm, **r)
    return y


BERT = dict(layers=12, d=768, heads=12, kv_heads=12, head_dim=64, ffn=3072, gated=False,
            post_norm=True)
GPT2 = dict(layers=12, d=768, heads=12, kv_heads=12, head_dim=64, ffn=3072, gated=False)
VIT = dict(layers=12, d=768, heads=12, kv_heads=12, head_dim=64, ffn=3072, gated=False)
LLAMA = dict(layers=32, d=4096, heads=32, kv_heads=8, head_dim=128, ffn=14336, gated=True)


def formula(cfg, t, c, head_tokens, vocab, embed=0):
    """MACs of transformer_macs.hpp, as an expression string (t, c may contain L)."""
    d, H, Hkv, h, f = cfg["d"], cfg["heads"], cfg["kv_heads"], cfg["head_dim"], cfg["ffn"]
    per_t = 2 * d * H * h + 2 * d * Hkv * h + (3 if cfg["gated"] else 2) * d * f
    attn = 2 * H * h
    cc = f"({c})" if " " in str(c) else c
    tok = "" if t == 1 else f" * {t}"
    expr = f"{cfg['layers']} * ({per_t}{tok} + {attn}{tok} * {cc})"
    if vocab:
        expr += f" + {head_tokens * d * vocab}" if isinstance(head_tokens, int) else \
            f" + {head_tokens} * {d * vocab}"
    if embed:
        expr += f" + {embed}"
    return expr


def bert():
    n = Net()
    block(n, "embeddings", BERT, 512, 512)
    return n, [("embeddings", "[1, 768, 1, 512]")], formula(BERT, 512, 512, 0, 0)


def gpt2():
    n = Net()
    y = block(n, "embeddings", GPT2, 1024, 1024)
    y = n.op("norm_f", "elementwise", [y], note="LayerNorm")
    n.mm("lm_head", [y], 768, 50257, 1024)
    return n, [("embeddings", "[1, 768, 1, 1024]")], formula(GPT2, 1024, 1024, 1024, 50257)


def vit():
    n = Net()
    x = n.mm("patch_embed", ["image"], 3, 768, 14, R=16, stride=16, Q=14)
    x = n.op("patches", "reshape", [x], shape="[1, 768, 1, 196]")
    x = n.op("tokens", "concat", ["class_token", x], axis=3)
    x = n.op("pos_embed", "add", [x, "position_embeddings"])
    y = block(n, x, VIT, 197, 197)
    y = n.op("norm_f", "elementwise", [y], note="LayerNorm")
    y = n.op("class_out", "slice", [y], shape="[1, 768, 1, 1]")
    n.mm("head", [y], 768, 1000, 1)
    ins = [("image", "[1, 3, 224, 224]"), ("class_token", "[1, 768, 1, 1]"),
           ("position_embeddings", "[1, 768, 1, 197]")]
    return n, ins, formula(VIT, 197, 197, 1, 1000, embed=196 * 16 * 16 * 3 * 768)


def llama_prefill():
    n = Net()
    y = block(n, "embeddings", LLAMA, "L", "L")
    y = n.op("norm_f", "elementwise", [y], note="RMSNorm")
    y = n.op("last_token", "slice", [y], shape="[1, 4096, 1, 1]")
    n.mm("lm_head", [y], 4096, 128256, 1)
    return n, [("embeddings", "[1, 4096, 1, L]")], formula(LLAMA, "L", "L", 1, 128256)


def llama_decode():
    n = Net()
    y = block(n, "embedding", LLAMA, 1, "L + 1", kv_cache=("k_cache", "v_cache"))
    y = n.op("norm_f", "elementwise", [y], note="RMSNorm")
    n.mm("lm_head", [y], 4096, 128256, 1)
    ins = [("embedding", "[1, 4096, 1, 1]"), ("k_cache", "[1, 1024, 1, L]"),
           ("v_cache", "[1, 1024, 1, L]")]
    return n, ins, formula(LLAMA, 1, "L + 1", 1, 128256)


LLAMA_SRC = ("Meta Llama 3 (2024), Meta-Llama-3-8B config.json: 32 layers, hidden 4096, 32 query "
             "heads, 8 key/value heads (grouped-query attention), head 128, SwiGLU FFN 14336, "
             "vocabulary 128256, untied LM head")

NETWORKS = [
    ("bert-base.yaml", bert, "BERT-base (sequence 512)",
     "Devlin et al., NAACL 2019: 12 layers, hidden 768, 12 heads, FFN 3072 (post-norm); "
     "encoder over 512 tokens, no task head", None),
    ("gpt2-small.yaml", gpt2, "GPT-2 small (sequence 1024)",
     "Radford et al. 2019; Hugging Face gpt2 config.json: 12 layers, n_embd 768, 12 heads, "
     "FFN 3072, n_ctx 1024, vocabulary 50257 (tied LM head); 1024 tokens, logits at each", None),
    ("vit-b16.yaml", vit, "ViT-B/16 (224x224, 197 tokens)",
     "Dosovitskiy et al., ICLR 2021: patch 16, 12 layers, hidden 768, 12 heads, MLP 3072; "
     "196 patches + the class token; 1000-class head on the class token", None),
    ("llama3-8b-prefill.yaml", llama_prefill, "Llama-3-8B prefill of L tokens",
     LLAMA_SRC + "; prefill of L prompt tokens (logits for the last one)", 2048),
    ("llama3-8b-decode.yaml", llama_decode, "Llama-3-8B decode step, KV cache of L tokens",
     LLAMA_SRC + "; one new token attending to the L cached positions and itself", 2048),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(REPO, "workloads", "networks"))
    a = ap.parse_args()
    for fname, build, title, source, L in NETWORKS:
        n, inputs, expr = build()
        total = n.macs(L or 0)
        assert total == eval(expr, {"L": L or 0}), (fname, total, eval(expr, {"L": L or 0}))
        macs = expr if L else str(total)
        note = (f"{total} MACs at L = {L}; `--var L=N` for another length" if L
                else f"{total} MACs")
        with open(os.path.join(a.out, fname), "w") as f:
            f.write(f"# {title}: {note}.\n"
                    "# Generated by scripts/gen-transformers.py from the published configuration; "
                    "do not edit.\n"
                    "# Matrix products are grouped_conv2d problems over tensors N x channels x 1 x "
                    "tokens (docs/network.md, Transformers).\n"
                    "network:\n"
                    f"  name: {title}\n"
                    f"  source: \"{source}\"\n")
            if L:
                f.write(f"  variables: {{L: {L}}}   # tokens (prefill) or cached tokens (decode)\n"
                        f"  # MACs as a formula of L (transformer_macs.hpp): {total} at L = {L}\n")
            f.write(f"  macs: {macs}\n  inputs:\n")
            for name, shape in inputs:
                f.write(f"  - {{name: {name}, shape: {shape}}}\n")
            f.write("  layers:\n" + "\n".join(n.rows) + "\n")
        print(f"{fname}: {sum(1 for r in n.rows if 'problem:' in r)} problem layers, {total} MACs")


if __name__ == "__main__":
    main()
