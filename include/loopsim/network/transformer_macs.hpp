// Multiply-accumulates of a transformer forward pass as formulas of its published
// configuration (docs/accounting.md, "Transformer MACs"), to check network files against.
// Counting convention: every matrix product as a dense einsum (the full L x L score matrix
// of a causal model is counted, as an accelerator computing it would); softmax, norms,
// activations, residual adds, biases and embedding look-ups are not MACs.
#pragma once

#include <cstdint>
#include <string>

namespace loopsim::network {

struct TransformerConfig {
  std::string name;
  std::int64_t layers = 0;
  std::int64_t d_model = 0;
  std::int64_t heads = 0;     // query heads
  std::int64_t kv_heads = 0;  // key/value heads (grouped-query attention: fewer than heads)
  std::int64_t head_dim = 0;
  std::int64_t d_ff = 0;
  bool gated_ffn = false;     // SwiGLU: gate, up and down projections (3 matrices, else 2)
  std::int64_t vocab = 0;     // output head width (LM head or classifier); 0: none
};

// MACs of one forward pass, by einsum.
struct TransformerMacs {
  std::int64_t q_proj = 0, kv_proj = 0, scores = 0, values = 0, out_proj = 0, ffn = 0;
  std::int64_t per_layer = 0;  // the six above
  std::int64_t layers = 0;     // per_layer x layers
  std::int64_t embed = 0;      // a patch-embedding projection (ViT), else 0
  std::int64_t head = 0;       // output head over head_tokens positions
  std::int64_t total = 0;
};

// `tokens` new positions, each attending to `context` positions (prefill: context = tokens;
// one decode step with a KV cache of L tokens: tokens = 1, context = L + 1, the cached
// positions and the new one); the output head is computed for `head_tokens` positions.
[[nodiscard]] inline TransformerMacs transformer_macs(const TransformerConfig& c,
                                                      std::int64_t tokens, std::int64_t context,
                                                      std::int64_t head_tokens) {
  TransformerMacs m;
  const std::int64_t q_width = c.heads * c.head_dim, kv_width = c.kv_heads * c.head_dim;
  m.q_proj = tokens * c.d_model * q_width;                  // [t, d] x [d, H*hd]
  m.kv_proj = 2 * tokens * c.d_model * kv_width;            // K and V: [t, d] x [d, Hkv*hd]
  m.scores = c.heads * tokens * context * c.head_dim;       // Q K^T per query head
  m.values = c.heads * tokens * context * c.head_dim;       // A V per query head
  m.out_proj = tokens * q_width * c.d_model;                // [t, H*hd] x [H*hd, d]
  m.ffn = (c.gated_ffn ? 3 : 2) * tokens * c.d_model * c.d_ff;
  m.per_layer = m.q_proj + m.kv_proj + m.scores + m.values + m.out_proj + m.ffn;
  m.layers = m.per_layer * c.layers;
  m.head = head_tokens * c.d_model * c.vocab;
  m.total = m.layers + m.head;
  return m;
}

// Weights of the linear layers of the blocks (no embeddings, norms or biases): the MACs per
// token of the projections and FFN equal this number.
[[nodiscard]] inline std::int64_t block_weights(const TransformerConfig& c) {
  const std::int64_t q_width = c.heads * c.head_dim, kv_width = c.kv_heads * c.head_dim;
  return c.layers * (2 * c.d_model * q_width + 2 * c.d_model * kv_width +
                     (c.gated_ffn ? 3 : 2) * c.d_model * c.d_ff);
}

// Published configurations.
// BERT-base (Devlin et al. 2019): 12 layers, hidden 768, 12 heads, FFN 3072.
[[nodiscard]] inline TransformerConfig bert_base() {
  return {"BERT-base", 12, 768, 12, 12, 64, 3072, false, 0};
}
// GPT-2 small (Radford et al. 2019; Hugging Face `gpt2` config): 12 layers, 768, 12 heads,
// FFN 4 x 768, vocabulary 50257 (LM head tied to the embedding).
[[nodiscard]] inline TransformerConfig gpt2_small() {
  return {"GPT-2 small", 12, 768, 12, 12, 64, 3072, false, 50257};
}
// ViT-B/16 (Dosovitskiy et al. 2021): 12 layers, 768, 12 heads, MLP 3072, 1000 classes.
[[nodiscard]] inline TransformerConfig vit_b16() {
  return {"ViT-B/16", 12, 768, 12, 12, 64, 3072, false, 1000};
}
// Llama-3-8B (Meta, config.json): 32 layers, 4096, 32 query heads, 8 KV heads, head 128,
// SwiGLU FFN 14336, vocabulary 128256 (untied LM head).
[[nodiscard]] inline TransformerConfig llama3_8b() {
  return {"Llama-3-8B", 32, 4096, 32, 8, 128, 14336, true, 128256};
}

// BERT-base encoder over `seq` tokens (no task head).
[[nodiscard]] inline TransformerMacs bert_base_macs(std::int64_t seq = 512) {
  return transformer_macs(bert_base(), seq, seq, 0);
}
// GPT-2 small over `seq` tokens, logits at every position.
[[nodiscard]] inline TransformerMacs gpt2_small_macs(std::int64_t seq = 1024) {
  return transformer_macs(gpt2_small(), seq, seq, seq);
}
// ViT-B/16 on a `image` x `image` RGB image: (image/16)^2 patches + the class token; the
// patch embedding is a 16x16x3 -> 768 projection per patch; the classifier reads the class
// token.
[[nodiscard]] inline TransformerMacs vit_b16_macs(std::int64_t image = 224) {
  const TransformerConfig c = vit_b16();
  const std::int64_t patches = (image / 16) * (image / 16);
  TransformerMacs m = transformer_macs(c, patches + 1, patches + 1, 1);
  m.embed = patches * 16 * 16 * 3 * c.d_model;
  m.total += m.embed;
  return m;
}
// Llama-3-8B prefill of `tokens` tokens, logits for the last position only (what generation
// needs).
[[nodiscard]] inline TransformerMacs llama3_8b_prefill_macs(std::int64_t tokens = 2048) {
  return transformer_macs(llama3_8b(), tokens, tokens, 1);
}
// One Llama-3-8B decode step with a KV cache of `cached` tokens: one new token attends to
// cached + 1 positions; logits for it.
[[nodiscard]] inline TransformerMacs llama3_8b_decode_macs(std::int64_t cached = 2048) {
  return transformer_macs(llama3_8b(), 1, cached + 1, 1);
}

}  // namespace loopsim::network
