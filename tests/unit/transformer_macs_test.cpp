// Transformer MAC formulas against the models' published configurations. Each count is
// derived by hand in the comments; the weight counts are checked against the published
// parameter counts (adding embeddings, biases and norms here), which ties the projection
// shapes to the real models. Sources:
//   BERT-base: Devlin et al., NAACL 2019 (L=12, H=768, A=12, 110M parameters).
//   GPT-2 small: Radford et al. 2019 and Hugging Face `gpt2` config (n_ctx 1024, vocab 50257;
//     124M parameters).
//   ViT-B/16: Dosovitskiy et al., ICLR 2021, Table 1 (86M); timm `vit_base_patch16_224`
//     model card: 86.6M parameters, 17.6 GMACs at 224x224.
//   Llama-3-8B: Meta's config.json (hidden 4096, 32 layers, 32 heads, 8 KV heads,
//     intermediate 14336, vocab 128256); model card: 8.03B parameters.
#include <gtest/gtest.h>

#include "loopsim/network/transformer_macs.hpp"

using namespace loopsim::network;

// Per layer 4 x 768^2 + 2 x 768 x 3072 = 7,077,888 weights; x 12 = 84,934,656. With the
// embeddings (30522 + 512 + 2) x 768, per-layer biases and norms 9,984, the embedding norm
// 1,536 and the pooler 768^2 + 768: 109,482,240 = "110M".
TEST(TransformerMacs, BertBaseWeightsMatchThePublishedParameterCount) {
  const TransformerConfig c = bert_base();
  EXPECT_EQ(block_weights(c), 84'934'656);
  const std::int64_t params = block_weights(c) + (30522 + 512 + 2) * 768 + 12 * 9'984 + 1'536 +
                              768 * 768 + 768;
  EXPECT_EQ(params, 109'482'240);
  EXPECT_NEAR(static_cast<double>(params) / 110e6, 1.0, 0.01);
}

// Sequence 512: per layer 512 x 7,077,888 + 2 x 12 heads x 512^2 x 64 = 3,623,878,656 +
// 402,653,184 = 4,026,531,840; x 12 layers = 48,318,382,080.
TEST(TransformerMacs, BertBaseSeq512) {
  TransformerMacs m = bert_base_macs(512);
  EXPECT_EQ(m.scores, 201'326'592);
  EXPECT_EQ(m.per_layer, 4'026'531'840);
  EXPECT_EQ(m.total, 48'318'382'080);
}

// Weights as BERT's; with wte 50257 x 768, wpe 1024 x 768, biases and norms 9,984 per layer
// and the final norm 1,536: 124,439,808 = "124M". Sequence 1024: per layer 1024 x 7,077,888
// + 2 x 12 x 1024^2 x 64 = 8,858,370,048; x 12 = 106,300,440,576; LM head at every position
// 1024 x 768 x 50257 = 39,523,713,024; total 145,824,153,600.
TEST(TransformerMacs, Gpt2Small) {
  const TransformerConfig c = gpt2_small();
  const std::int64_t params = block_weights(c) + 50257 * 768 + 1024 * 768 + 12 * 9'984 + 1'536;
  EXPECT_EQ(params, 124'439'808);
  TransformerMacs m = gpt2_small_macs(1024);
  EXPECT_EQ(m.layers, 106'300'440'576);
  EXPECT_EQ(m.head, 39'523'713'024);
  EXPECT_EQ(m.total, 145'824'153'600);
}

// 224x224: 196 patches + class token = 197 tokens. Per layer 197 x 7,077,888 + 2 x 12 x 197^2
// x 64 = 1,453,954,560; x 12 = 17,447,454,720; patch embedding 196 x 768 x 768 = 115,605,504;
// classifier 768 x 1000; total 17,563,828,224 (timm: 17.6 GMACs). Parameters: patch
// embedding 768^2 + 768, class token 768, positions 197 x 768, blocks with biases and norms,
// final norm 1,536, head 768,000 + 1,000: 86,567,656 (timm: 86.6M).
TEST(TransformerMacs, VitB16) {
  const TransformerConfig c = vit_b16();
  const std::int64_t params = 768 * 768 + 768 + 768 + 197 * 768 + block_weights(c) +
                              12 * 9'984 + 1'536 + 768 * 1000 + 1000;
  EXPECT_EQ(params, 86'567'656);
  TransformerMacs m = vit_b16_macs(224);
  EXPECT_EQ(m.embed, 115'605'504);
  EXPECT_EQ(m.total, 17'563'828'224);
  EXPECT_NEAR(static_cast<double>(m.total) / 17.6e9, 1.0, 0.005);
}

// Per layer: q and o 2 x 4096^2, k and v 2 x 4096 x 1024 (8 KV heads x 128), gate/up/down
// 3 x 4096 x 14336: 218,103,808; x 32 = 6,979,321,856. With the embedding and the untied LM
// head 2 x 128256 x 4096 and norms (2 x 32 + 1) x 4096: 8,030,261,248 = "8.03B".
TEST(TransformerMacs, Llama3_8bWeightsMatchThePublishedParameterCount) {
  const TransformerConfig c = llama3_8b();
  EXPECT_EQ(block_weights(c), 6'979'321'856);
  EXPECT_EQ(block_weights(c) + 2 * 128256 * 4096 + 65 * 4096, 8'030'261'248);
}

// Prefill of 2048 tokens: per layer 2048 x 218,103,808 + 2 x 32 heads x 2048^2 x 128 =
// 446,676,598,784 + 34,359,738,368; x 32 = 15,393,162,788,864; logits of the last token
// 4096 x 128256 = 525,336,576; total 15,393,688,125,440.
TEST(TransformerMacs, Llama3_8bPrefill2048) {
  TransformerMacs m = llama3_8b_prefill_macs(2048);
  EXPECT_EQ(m.kv_proj, 17'179'869'184);  // 2 x 2048 x 4096 x 1024: a quarter of q's width
  EXPECT_EQ(m.layers, 15'393'162'788'864);
  EXPECT_EQ(m.total, 15'393'688'125'440);
}

// One decode step with 2048 cached tokens: per layer 218,103,808 + 2 x 32 x 2049 x 128 =
// 234,889,216; x 32 = 7,516,454,912; + 525,336,576 = 8,041,791,488.
TEST(TransformerMacs, Llama3_8bDecodeWithKvCache2048) {
  TransformerMacs m = llama3_8b_decode_macs(2048);
  EXPECT_EQ(m.kv_proj, 8'388'608);
  EXPECT_EQ(m.scores, 8'392'704);
  EXPECT_EQ(m.per_layer, 234'889'216);
  EXPECT_EQ(m.total, 8'041'791'488);
  // Without grouped-query attention (32 KV heads) the K and V projections are 4x larger.
  TransformerConfig mha = llama3_8b();
  mha.kv_heads = 32;
  EXPECT_EQ(transformer_macs(mha, 1, 2049, 1).kv_proj, 4 * m.kv_proj);
}
