#!/usr/bin/python3
"""Plain-PyTorch reference for newsrec's benchmarks (no transformers library).

A BERT with all-MiniLM-L6-v2's shapes (random weights: the FLOPs and kernels are what matter), an MLM
head tied to the word embeddings, and PLM-NR's parts (additive attention pooling; the NRMS user
encoder: multi-head self-attention + additive attention). Modes:

  forward B T        last hidden states of B x T tokens, no gradients (tokens/s)
  train-mlm B T      forward + MLM loss on 15% of the positions + backward + AdamW step (tokens/s)
  train-plmnr        one NCE step as newsrec's NceStep: U distinct titles x T tokens through the PLM
                     (all layers trainable, or only the top k on cached inputs), the user encoder over
                     B x L history vectors, 1+K candidates, softmax cross entropy, clip, AdamW (samples/s)
  eval-plmnr         scoring as newsrec's NewsRecScorer: N titles through the PLM + pooling, users
                     through the user encoder, candidate dot products (impressions/s)
  train-punr         PUNR's steps on newsrec's own weights and inputs (--weights DIR, written by
                     `newsrec bench train --model punr`): stage finetune = Siamese MiniLM with the
                     behaviour-segment table over B user documents and B x (1+K) titles, CLS pooling,
                     dot products, softmax cross entropy, clip, AdamW; stage behaviour = MLM loss at
                     the given masked positions + the one-layer causal decoder's generation loss
                     through the shared (tied) MLM head, clip, AdamW (samples/s). Prints the loss of
                     one step without dropout first ("check_loss"), for the caller to compare.
  train-ip2          IP2's steps on newsrec's weights and inputs (--weights DIR, written by
                     `newsrec bench train --model ip2`): stages finetune / top1 / all = NCE 1+4 with
                     dot products from the title encoder (over the dumped frozen-part outputs, or
                     the whole MiniLM from token ids), the Signature Entity Encoder and the dual-tower
                     user encoder with the learned aggregation, clip, AdamW; stage contrastive = the
                     three symmetric in-batch InfoNCE terms (title-entity, title-mirror,
                     entity-mirror; tau 0.1, weights 0.3/0.2/0.2) over title vectors and signatures.
                     Prints check_loss as train-punr (mirrors without dropout in that check).

Prints one JSON object. With --serve it prints {"ready": ...} after the warm-up, then runs one timed
iteration per "run" line read from stdin (printing {"seconds": s}) until "quit": newsrec's bench
uses this to interleave its own iterations with the reference's, so load hits both alike.

Run it with the same thread count (--threads) and allocator (LD_PRELOAD=libjemalloc.so.2) as the
side it is compared with.
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    vocab = 30522
    hidden = 384
    layers = 6
    heads = 12
    intermediate = 1536
    max_positions = 512
    type_vocab = 2
    eps = 1e-12
    dropout = 0.1


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads, output=True, dropout=0.0):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.output = nn.Linear(hidden, hidden) if output else None
        self.dropout = dropout

    def forward(self, x, additive_mask, kv=None):
        """kv: the sequence keys and values come from (cross attention); None = x itself."""
        kv = x if kv is None else kv
        b, t, h = x.shape
        d = h // self.heads

        def split(y):
            return y.view(b, y.shape[1], self.heads, d).transpose(1, 2)

        q = split(self.query(x)) * (1.0 / math.sqrt(d))
        k = split(self.key(kv))
        v = split(self.value(kv))
        scores = q @ k.transpose(-1, -2)
        if additive_mask is not None:
            scores = scores + additive_mask
        probs = F.dropout(scores.softmax(-1), self.dropout, self.training)
        ctx = (probs @ v).transpose(1, 2).reshape(b, t, h)
        return self.output(ctx) if self.output is not None else ctx


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = SelfAttention(c.hidden, c.heads, True, c.dropout)
        self.attention_norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.intermediate = nn.Linear(c.hidden, c.intermediate)
        self.output = nn.Linear(c.intermediate, c.hidden)
        self.output_norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.p = c.dropout

    def forward(self, x, mask):
        a = F.dropout(self.attention(x, mask), self.p, self.training)
        x = self.attention_norm(a + x)
        i = F.gelu(self.intermediate(x))
        o = F.dropout(self.output(i), self.p, self.training)
        return self.output_norm(o + x)


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.word = nn.Embedding(c.vocab, c.hidden)
        self.position = nn.Embedding(c.max_positions, c.hidden)
        self.token_type = nn.Embedding(c.type_vocab, c.hidden)
        self.norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.layers = nn.ModuleList(BertLayer(c) for _ in range(c.layers))
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.normal_(p, std=0.02)

    @staticmethod
    def additive(mask):
        return ((1.0 - mask.to(torch.float32)) * -1e9)[:, None, None, :]

    def embed(self, ids):
        t = ids.shape[1]
        pos = torch.arange(t, dtype=torch.long)
        x = self.word(ids) + self.token_type(torch.zeros_like(ids)) + self.position(pos)[None]
        return F.dropout(self.norm(x), self.c.dropout, self.training)

    def forward(self, ids, mask, start_layer=0, hidden=None):
        x = self.embed(ids) if hidden is None else hidden
        m = self.additive(mask)
        for layer in self.layers[start_layer:]:
            x = layer(x, m)
        return x


class MlmHead(nn.Module):
    def __init__(self, c, word):
        super().__init__()
        self.transform = nn.Linear(c.hidden, c.hidden)
        self.norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.word = word  # tied decoder weight
        self.bias = nn.Parameter(torch.zeros(c.vocab))

    def forward(self, h):
        return F.linear(self.norm(F.gelu(self.transform(h))), self.word.weight, self.bias)


class AdditiveAttention(nn.Module):
    def __init__(self, size, query_dim=200):
        super().__init__()
        self.dense = nn.Linear(size, query_dim)
        self.query = nn.Parameter(torch.randn(1, query_dim) * 0.02)

    def forward(self, x, mask):
        scores = F.linear(torch.tanh(self.dense(x)), self.query).squeeze(-1)
        if mask is not None:
            scores = scores + (1.0 - mask.to(scores.dtype)) * -1e9
        w = scores.softmax(-1)
        return (w.unsqueeze(1) @ x).squeeze(1)


class UserEncoder(nn.Module):
    def __init__(self, dim, heads, query_dim, dropout):
        super().__init__()
        self.attention = SelfAttention(dim, heads, True, 0.0)
        self.pooling = AdditiveAttention(dim, query_dim)
        self.p = dropout

    def forward(self, history, mask):
        h = self.attention(history, Bert.additive(mask))
        h = F.dropout(h, self.p, self.training)
        return self.pooling(h, mask)


class PlmNr(nn.Module):
    def __init__(self, c, user_heads=12, query_dim=200, dropout=0.2):
        super().__init__()
        self.plm = Bert(c)
        self.news_pooling = AdditiveAttention(c.hidden, query_dim)
        self.user = UserEncoder(c.hidden, user_heads, query_dim, dropout)

    def news(self, ids, mask, start_layer=0, hidden=None):
        return self.news_pooling(self.plm(ids, mask, start_layer, hidden), mask)


def adamw(named, lr, plm_lr=None):
    """AdamW with newsrec's groups: no weight decay on biases and LayerNorm."""
    decay, no_decay = [], []
    for name, p in named:
        if not p.requires_grad:
            continue
        (no_decay if p.dim() < 2 or "norm" in name else decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                              {"params": no_decay, "weight_decay": 0.0}], lr=lr)


def random_ids(b, t, vocab, gen):
    ids = torch.randint(1000, vocab, (b, t), generator=gen)
    ids[:, 0] = 101
    ids[:, -1] = 102
    return ids


def case_forward(a, gen):
    c = Config()
    model = Bert(c).eval()
    ids = random_ids(a.batch, a.length, c.vocab, gen)
    mask = torch.ones(a.batch, a.length, dtype=torch.long)

    def step():
        with torch.no_grad():
            model(ids, mask)

    return step, a.batch * a.length, "tokens_per_s"


def case_train_mlm(a, gen):
    c = Config()
    model = Bert(c).train()
    head = MlmHead(c, model.word).train()
    params = list(model.named_parameters()) + [("head." + n, p) for n, p in head.named_parameters()
                                               if not n.startswith("word.")]
    opt = adamw(params, 1e-4)
    ids = random_ids(a.batch, a.length, c.vocab, gen)
    mask = torch.ones(a.batch, a.length, dtype=torch.long)
    n = a.batch * a.length
    picked = torch.randperm(n, generator=gen)[: max(1, round(0.15 * n))].sort().values
    labels = ids.reshape(-1)[picked]
    inputs = ids.clone().reshape(-1)
    inputs[picked] = 103  # [MASK]
    inputs = inputs.reshape(a.batch, a.length)

    def step():
        h = model(inputs, mask).reshape(n, c.hidden)
        logits = head(h[picked])  # the head only on the masked positions
        loss = F.cross_entropy(logits, labels)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return step, n, "tokens_per_s"


def case_train_plmnr(a, gen):
    c = Config()
    model = PlmNr(c).train()
    cached = a.trainable_layers >= 0 and a.cached
    start = c.layers - a.trainable_layers if a.trainable_layers >= 0 else 0
    if a.trainable_layers >= 0:
        for p in model.plm.word.parameters():
            p.requires_grad_(False)
        for m in (model.plm.position, model.plm.token_type, model.plm.norm):
            for p in m.parameters():
                p.requires_grad_(False)
        for layer in model.plm.layers[:start]:
            for p in layer.parameters():
                p.requires_grad_(False)
    named = list(model.named_parameters())
    opt = adamw(named, 1e-4)
    u, t, b, cands, l = a.unique, a.length, a.batch, 1 + a.negatives, a.history
    ids = random_ids(u, t, c.vocab, gen)
    mask = torch.ones(u, t, dtype=torch.long)
    hidden = torch.randn(u, t, c.hidden, generator=gen) if cached else None
    cand_idx = torch.randint(0, u, (b, cands), generator=gen)
    hist_idx = torch.randint(0, u, (b, l), generator=gen)
    hist_mask = torch.ones(b, l)
    target = torch.zeros(b, dtype=torch.long)
    trainable = [p for _, p in named if p.requires_grad]

    def step():
        if cached:
            vectors = model.news(ids, mask, start, hidden)
        elif a.trainable_layers >= 0 and start > 0:
            with torch.no_grad():
                h = model.plm.embed(ids)
                m = Bert.additive(mask)
                for layer in model.plm.layers[:start]:
                    h = layer(h, m)
            vectors = model.news(ids, mask, start, h)
        else:
            vectors = model.news(ids, mask)
        users = model.user(vectors[hist_idx], hist_mask)
        scores = (vectors[cand_idx] @ users.unsqueeze(-1)).squeeze(-1)
        loss = F.cross_entropy(scores, target)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        opt.step()

    return step, b, "samples_per_s"


def case_eval_plmnr(a, gen):
    c = Config()
    model = PlmNr(c).eval()
    batch = a.eval_batch
    ids = random_ids(batch, a.length, c.vocab, gen)
    mask = torch.ones(batch, a.length, dtype=torch.long)
    hist = torch.randn(batch, a.history, c.hidden, generator=gen)
    hist_mask = torch.ones(batch, a.history)

    def step():
        with torch.no_grad():
            table = []
            for start in range(0, a.news, batch):
                n = min(batch, a.news - start)
                table.append(model.news(ids[:n], mask[:n]))
            table = torch.cat(table)
            users = []
            for start in range(0, a.users, batch):
                n = min(batch, a.users - start)
                users.append(model.user(hist[:n], hist_mask[:n]))
            users = torch.cat(users)
            # candidate scores: one dot product per candidate
            cand = torch.randint(0, a.news, (a.impressions * a.candidates,), generator=gen)
            who = torch.randint(0, a.users, (a.impressions * a.candidates,), generator=gen)
            (table[cand] * users[who]).sum(-1)

    return step, a.impressions, "impressions_per_s"


# ---- PUNR (weights and inputs from newsrec: --weights DIR holds index.json + data.bin) ----

def load_dump(folder):
    import os
    with open(os.path.join(folder, "index.json")) as f:
        index = json.load(f)
    with open(os.path.join(folder, "data.bin"), "rb") as f:
        raw = f.read()
    out = {}
    for name, e in index.items():
        dtype = torch.float32 if e["dtype"] == "float32" else torch.int64
        size = 4 if dtype == torch.float32 else 8
        n = 1
        for d in e["shape"]:
            n *= d
        t = torch.frombuffer(bytearray(raw[e["offset"]:e["offset"] + n * size]), dtype=dtype)
        out[name] = t.reshape(e["shape"]).clone()
    return out


def layer_names(layers, prefix):
    """newsrec's (Hugging Face) names of a stack of BertLayers -> their parameters."""
    names = {}
    for i, layer in enumerate(layers):
        pre = "%slayer.%d." % (prefix, i)
        for part, jn in (("query", "self.query"), ("key", "self.key"), ("value", "self.value"),
                         ("output", "output.dense")):
            lin = getattr(layer.attention, part)
            names[pre + "attention." + jn + ".weight"] = lin.weight
            names[pre + "attention." + jn + ".bias"] = lin.bias
        for jn, mod in (("attention.output.LayerNorm", layer.attention_norm),
                        ("intermediate.dense", layer.intermediate), ("output.dense", layer.output),
                        ("output.LayerNorm", layer.output_norm)):
            names[pre + jn + ".weight"] = mod.weight
            names[pre + jn + ".bias"] = mod.bias
    return names


def bert_names(b, prefix=""):
    """newsrec's names of a Bert's embeddings and layers -> its parameters."""
    names = {prefix + "embeddings.word_embeddings.weight": b.word.weight,
             prefix + "embeddings.position_embeddings.weight": b.position.weight,
             prefix + "embeddings.token_type_embeddings.weight": b.token_type.weight,
             prefix + "embeddings.LayerNorm.weight": b.norm.weight,
             prefix + "embeddings.LayerNorm.bias": b.norm.bias}
    names.update(layer_names(b.layers, prefix + "encoder."))
    return names


def copy_weights(mode, w, names):
    """Copies the dump's param.NAME into each named parameter; stops on a missing name or shape."""
    missing = [n for n in names if "param." + n not in w]
    if missing:
        raise SystemExit("%s: weights missing from the dump: %s (dump has %s)"
                         % (mode, missing[:5], [n for n in w if n.startswith("param.")][:12]))
    with torch.no_grad():
        for n, p in names.items():
            src = w["param." + n]
            if tuple(src.shape) != tuple(p.shape):
                raise SystemExit("%s: %s has shape %s in the dump, %s here"
                                 % (mode, n, tuple(src.shape), tuple(p.shape)))
            p.copy_(src)


class CausalBlock(nn.Module):
    """GPT-2 style: x + attn(ln_1 x) (causal + padding), + mlp(ln_2 .), then ln_f."""

    def __init__(self, c):
        super().__init__()
        self.ln_1 = nn.LayerNorm(c.hidden, eps=c.eps)
        self.attn = SelfAttention(c.hidden, c.heads, True, c.dropout)
        self.ln_2 = nn.LayerNorm(c.hidden, eps=c.eps)
        self.fc = nn.Linear(c.hidden, c.intermediate)
        self.proj = nn.Linear(c.intermediate, c.hidden)
        self.ln_f = nn.LayerNorm(c.hidden, eps=c.eps)
        self.p = c.dropout

    def forward(self, x, mask):
        t = x.shape[1]
        causal = torch.triu(torch.full((t, t), -1e9), diagonal=1)[None, None]
        additive = causal + Bert.additive(mask)
        h = x + F.dropout(self.attn(self.ln_1(x), additive), self.p, self.training)
        y = h + F.dropout(self.proj(F.gelu(self.fc(self.ln_2(h)))), self.p, self.training)
        return self.ln_f(y)


class Punr(nn.Module):
    def __init__(self, c, segments):
        super().__init__()
        self.c = c
        self.bert = Bert(c)
        self.segment = nn.Embedding(segments, c.hidden)
        self.mlm = MlmHead(c, self.bert.word)
        self.decoder = CausalBlock(c)

    def embed(self, ids, segments):
        t = ids.shape[1]
        b = self.bert
        x = (b.word(ids) + b.token_type(torch.zeros_like(ids)) + b.position(torch.arange(t))[None]
             + self.segment(segments))
        return F.dropout(b.norm(x), self.c.dropout, self.training)

    def hidden(self, ids, mask, segments):
        x = self.embed(ids, segments)
        m = Bert.additive(mask)
        for layer in self.bert.layers:
            x = layer(x, m)
        return x

    def load(self, w, heads):
        """newsrec's parameter names (Hugging Face style) -> this module's."""
        b = self.bert
        names = bert_names(b)
        names.update({"embeddings.segment_embeddings.weight": self.segment.weight,
                 "mlm.transform.dense.weight": self.mlm.transform.weight,
                 "mlm.transform.dense.bias": self.mlm.transform.bias,
                 "mlm.transform.LayerNorm.weight": self.mlm.norm.weight,
                 "mlm.transform.LayerNorm.bias": self.mlm.norm.bias, "mlm.bias": self.mlm.bias})
        names.update(layer_names(b.layers, "encoder."))
        d = self.decoder
        for jn, mod in (("ln_1", d.ln_1), ("attn.query", d.attn.query), ("attn.key", d.attn.key),
                        ("attn.value", d.attn.value), ("attn.c_proj", d.attn.output), ("ln_2", d.ln_2),
                        ("mlp.c_fc", d.fc), ("mlp.c_proj", d.proj), ("ln_f", d.ln_f)):
            names["decoder." + jn + ".weight"] = mod.weight
            names["decoder." + jn + ".bias"] = mod.bias
        if not heads:
            names = {n: p for n, p in names.items() if not n.startswith(("mlm.", "decoder."))}
        copy_weights("train-punr", w, names)


def checked_step(model, opt, trainable, loss_fn):
    """The loss without dropout (the check against newsrec), then one training step: forward,
    backward, clip to norm 1, AdamW; as newsrec's NCE step does."""
    model.eval()
    with torch.no_grad():
        check = float(loss_fn())
    model.train()

    def step():
        loss = loss_fn()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        opt.step()

    return check, step


def case_train_punr(a, gen):
    c = Config()
    w = load_dump(a.weights)
    segments = w["param.embeddings.segment_embeddings.weight"].shape[0]
    model = Punr(c, segments)
    model.load(w, a.stage == "behaviour")
    behaviour = a.stage == "behaviour"
    # the word embedding is tied (one parameter); the decoder and MLM head train only in behaviour
    params = [(n, p) for n, p in model.named_parameters()
              if behaviour or not (n.startswith("mlm.") or n.startswith("decoder."))]
    opt = adamw(params, a.lr)
    trainable = [p for _, p in params]
    ids, mask, seg = w["input.doc_ids"], w["input.doc_mask"], w["input.doc_segments"]
    b, t = ids.shape

    if behaviour:
        masked_ids = w["input.masked_ids"]
        positions, labels = w["input.mlm_positions"], w["input.mlm_labels"]
        steps = t - 1
        in_mask = mask[:, :steps]
        target_mask = mask[:, 1:].reshape(-1) != 0
        gen_labels = ids[:, 1:].reshape(-1)[target_mask]

        def loss_fn():
            h = model.hidden(masked_ids, mask, seg)
            mlm_logits = model.mlm(h.reshape(-1, c.hidden)[positions])
            mlm_loss = F.cross_entropy(mlm_logits, labels)
            user = h[:, 0]
            e = model.embed(ids, seg)
            x = torch.cat([user[:, None], e[:, 1:t - 1]], 1)
            x = F.dropout(x, c.dropout, model.training)
            dh = model.decoder(x, in_mask)
            dec_logits = model.mlm(dh.reshape(-1, c.hidden)[target_mask])
            return mlm_loss + F.cross_entropy(dec_logits, gen_labels)
    else:
        titles, title_mask = w["input.title_ids"], w["input.title_mask"]
        cands = titles.shape[0] // b
        target = torch.zeros(b, dtype=torch.long)

        def loss_fn():
            users = model.hidden(ids, mask, seg)[:, 0]
            news = model.hidden(titles, title_mask, torch.zeros_like(titles))[:, 0]
            scores = (news.reshape(b, cands, c.hidden) @ users[:, :, None]).squeeze(-1)
            return F.cross_entropy(scores, target)

    a.check_loss, step = checked_step(model, opt, trainable, loss_fn)
    return step, b, "samples_per_s"


# ---- IP2 (weights and inputs from newsrec: --weights DIR, written by `newsrec bench train --model ip2`) ----

class SeeConfig:
    """The Signature Entity Encoder's Transformer layers: BERT's post-LayerNorm layers, 100 wide."""
    hidden = 100
    heads = 5
    intermediate = 400
    eps = 1e-12
    dropout = 0.5


def sinusoid(length, dim):
    """Vaswani et al.'s positions [T, dim]: sin at even, cos at odd offsets."""
    pos = torch.arange(length, dtype=torch.float64)[:, None]
    i = torch.arange(dim)
    angle = pos / torch.pow(10000.0, (i - i % 2).to(torch.float64) / dim)
    return torch.where(i % 2 == 0, torch.sin(angle), torch.cos(angle)).to(torch.float32)


class Ip2(nn.Module):
    """IP2 as configs/ip2/*-cpu.yaml run it (title self-attention off): title encoder (MiniLM ->
    additive attention -> Linear 400, dropout 0.2, LeakyReLU), Signature Entity Encoder (memory
    rows of max-norm 1 scaled by sqrt(100), [handle, entities], sinusoidal positions, 2 BERT-style
    layers, the handle's output -> Linear 400), news vector [title ; signature]; dual-tower user
    encoder (20-head cross attention without output projection, residual + LayerNorm, additive
    attention per tower) and the learned aggregation (sigmoids of four scalars)."""

    USER_SIDE = ("title_attention", "title_norm", "title_user_pooling", "entity_attention",
                 "entity_norm", "entity_user_pooling", "aggregation")

    def __init__(self, c, memory_rows, news_dim=400, query_dim=200, user_heads=20):
        super().__init__()
        self.c = c
        self.bert = Bert(c)
        self.title_pooling = AdditiveAttention(c.hidden, query_dim)
        self.title_projection = nn.Linear(c.hidden, news_dim)
        e = SeeConfig()
        self.see_c = e
        self.handle = nn.Parameter(torch.zeros(1, e.hidden))
        self.memory = nn.Parameter(torch.zeros(memory_rows, e.hidden))
        self.see = nn.ModuleList(BertLayer(e) for _ in range(2))
        self.see_projection = nn.Linear(e.hidden, news_dim)
        self.title_attention = SelfAttention(news_dim, user_heads, output=False)
        self.title_norm = nn.LayerNorm(news_dim, eps=1e-12)
        self.title_user_pooling = AdditiveAttention(news_dim, query_dim)
        self.entity_attention = SelfAttention(news_dim, user_heads, output=False)
        self.entity_norm = nn.LayerNorm(news_dim, eps=1e-12)
        self.entity_user_pooling = AdditiveAttention(news_dim, query_dim)
        # sigmoid arguments of a_u, b_u (user) and a_n, b_n (candidate)
        self.aggregation = nn.Parameter(torch.zeros(4))
        self.news_dim = news_dim

    def load(self, w):
        names = bert_names(self.bert, "news.title.plm.")
        names.update({"news.title.pooling.dense.weight": self.title_pooling.dense.weight,
                      "news.title.pooling.dense.bias": self.title_pooling.dense.bias,
                      "news.title.pooling.query": self.title_pooling.query,
                      "news.title.projection.weight": self.title_projection.weight,
                      "news.title.projection.bias": self.title_projection.bias,
                      "news.entity.handle": self.handle, "news.entity.entity_memory": self.memory,
                      "news.entity.projection.weight": self.see_projection.weight,
                      "news.entity.projection.bias": self.see_projection.bias})
        names.update(layer_names(self.see, "news.entity.transformer."))
        for tower in ("title", "entity"):
            att = getattr(self, tower + "_attention")
            for part in ("query", "key", "value"):
                names["user.%s_attention.%s.weight" % (tower, part)] = getattr(att, part).weight
                names["user.%s_attention.%s.bias" % (tower, part)] = getattr(att, part).bias
            norm = getattr(self, tower + "_norm")
            names["user.%s_norm.weight" % tower] = norm.weight
            names["user.%s_norm.bias" % tower] = norm.bias
            pool = getattr(self, tower + "_user_pooling")
            names["user.%s_pooling.dense.weight" % tower] = pool.dense.weight
            names["user.%s_pooling.dense.bias" % tower] = pool.dense.bias
            names["user.%s_pooling.query" % tower] = pool.query
        copy_weights("train-ip2", w, names)
        with torch.no_grad():
            for i, n in enumerate(("user_title", "user_entity", "news_title", "news_entity")):
                self.aggregation[i] = w["param.user.aggregation." + n].reshape(())

    def titles(self, frozen, mask, hidden=None, ids=None):
        """Title vectors [N, 400] from the frozen part's outputs (hidden) or from token ids."""
        m = Bert.additive(mask)
        h = self.bert.embed(ids) if hidden is None else hidden
        for layer in self.bert.layers[frozen:]:
            h = layer(h, m)
        v = self.title_projection(self.title_pooling(h, mask))
        return F.leaky_relu(F.dropout(v, 0.2, self.training), 0.01)

    def signatures(self, rows, mask):
        e = self.see_c
        n = rows.shape[0]
        x = torch.cat([self.handle.expand(n, 1, e.hidden), self.memory[rows]], 1)
        norm = x.norm(dim=-1, keepdim=True)
        x = x * (1.0 / (norm + 1e-7)).clamp(0.0, 1.0) * math.sqrt(e.hidden)
        x = x + sinusoid(x.shape[1], e.hidden)
        m = Bert.additive(torch.cat([torch.ones(n, 1, dtype=mask.dtype), mask], 1))
        for layer in self.see:
            x = layer(x, m)
        return self.see_projection(x[:, 0])

    def user(self, history, mask):
        t, e = history[..., :self.news_dim], history[..., self.news_dim:]
        m = Bert.additive(mask)
        tt = self.title_norm(t + self.title_attention(t, m, kv=e))
        ee = self.entity_norm(e + self.entity_attention(e, m, kv=t))
        a = torch.sigmoid(self.aggregation)
        u = a[0] * self.title_user_pooling(tt, mask) + a[1] * self.entity_user_pooling(ee, mask)
        return torch.cat([a[2] * u, a[3] * u], 1)


def info_nce(a, b, tau):
    logits = F.normalize(a, dim=1, eps=1e-8) @ F.normalize(b, dim=1, eps=1e-8).t() / tau
    return F.cross_entropy(logits, torch.arange(a.shape[0]))


def symmetric_nce(a, b, tau):
    return 0.5 * (info_nce(a, b, tau) + info_nce(b, a, tau))


def case_train_ip2(a, gen):
    c = Config()
    w = load_dump(a.weights)
    model = Ip2(c, w["param.news.entity.entity_memory"].shape[0])
    model.load(w)
    frozen = int(w["input.frozen_layers"][0])
    cached = "input.title_hidden" in w
    every = not cached and frozen == 0  # every layer trainable, embeddings too
    for n, p in model.bert.named_parameters():
        layer = int(n.split(".")[1]) if n.startswith("layers.") else -1
        p.requires_grad_(every or layer >= frozen)
    # newsrec's groups: the PLM at its own rate; no weight decay on biases and norms
    plm_lr = 1e-5 if a.stage == "contrastive" else 5e-5
    groups = {}
    for n, p in model.named_parameters():
        if not p.requires_grad:
            continue
        if a.stage == "contrastive" and n.startswith(Ip2.USER_SIDE):
            continue  # the user encoder does not take part in the contrastive stage
        key = (n.startswith("bert."), "bias" in n or "norm" in n)
        groups.setdefault(key, []).append(p)
    opt = torch.optim.AdamW([{"params": ps, "lr": plm_lr if k[0] else 1e-3,
                              "weight_decay": 0.0 if k[1] else 0.01} for k, ps in groups.items()])
    trainable = [p for ps in groups.values() for p in ps]
    mask = w["input.title_mask"]
    hidden = w.get("input.title_hidden")
    ids = w.get("input.title_ids")
    rows, rows_mask = w["input.entity_rows"], w["input.entity_mask"]

    # newsrec copies each step's rows out of its cache of every title's frozen outputs: so does this
    rows_of_cache = torch.arange(mask.shape[0])

    def news():
        if cached:
            t = model.titles(frozen, mask, hidden=hidden[rows_of_cache])
        else:
            t = model.titles(0, mask, ids=ids)
        return t, model.signatures(rows, rows_mask)

    if a.stage == "contrastive":
        def loss_fn():
            t, e = news()
            tm = F.dropout(t, 0.1, True) if model.training else t
            em = F.dropout(e, 0.1, True) if model.training else e
            return (0.3 * symmetric_nce(t, e, 0.1) + 0.2 * symmetric_nce(t, tm, 0.1)
                    + 0.2 * symmetric_nce(e, em, 0.1))
        units = rows.shape[0]
    else:
        cands, hist, target = w["input.candidates"], w["input.history"], w["input.targets"]
        hist_mask = torch.ones(hist.shape)

        def loss_fn():
            v = torch.cat(news(), 1)
            users = model.user(v[hist], hist_mask)
            scores = (v[cands] @ users[:, :, None]).squeeze(-1)
            return F.cross_entropy(scores, target)
        units = cands.shape[0]

    a.check_loss, step = checked_step(model, opt, trainable, loss_fn)
    return step, units, "samples_per_s"


CASES = {"forward": case_forward, "train-mlm": case_train_mlm,
         "train-plmnr": case_train_plmnr, "eval-plmnr": case_eval_plmnr,
         "train-punr": case_train_punr, "train-ip2": case_train_ip2}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("mode", choices=sorted(CASES))
    p.add_argument("batch", nargs="?", type=int, default=64, help="B (sequences or NCE samples)")
    p.add_argument("length", nargs="?", type=int, default=32, help="T (tokens per sequence/title)")
    p.add_argument("--threads", type=int, required=True, help="torch.set_num_threads(N)")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--iterations", type=int, default=5, help="at least this many timed iterations")
    p.add_argument("--min-seconds", type=float, default=0.0, help="and at least this long")
    p.add_argument("--serve", action="store_true", help="one timed iteration per stdin 'run' line")
    p.add_argument("--seed", type=int, default=42)
    g = p.add_argument_group("train-plmnr / eval-plmnr")
    g.add_argument("--unique", type=int, default=0, help="distinct titles U of an NCE batch")
    g.add_argument("--negatives", type=int, default=4)
    g.add_argument("--history", type=int, default=50)
    g.add_argument("--trainable-layers", type=int, default=-1, help="-1 = all (embeddings too)")
    g.add_argument("--cached", action="store_true", help="frozen lower layers' outputs precomputed")
    g.add_argument("--news", type=int, default=0, help="eval: titles to encode")
    g.add_argument("--users", type=int, default=0, help="eval: distinct users")
    g.add_argument("--impressions", type=int, default=0, help="eval: impressions")
    g.add_argument("--candidates", type=int, default=0, help="eval: mean candidates per impression")
    g.add_argument("--eval-batch", type=int, default=128)
    g = p.add_argument_group("train-punr / train-ip2")
    g.add_argument("--weights", help="folder of newsrec's dump (index.json, data.bin)")
    g.add_argument("--stage", choices=["finetune", "behaviour", "top1", "all", "contrastive"],
                   default="finetune", help="train-punr: finetune, behaviour; train-ip2: finetune, top1,"
                   " all, contrastive")
    g.add_argument("--lr", type=float, default=1e-5)
    a = p.parse_args()
    a.check_loss = None
    if a.mode in ("train-punr", "train-ip2") and not a.weights:
        p.error(a.mode + " needs --weights DIR")
    if a.mode == "train-plmnr" and a.unique <= 0:
        a.unique = a.batch * (1 + a.negatives + a.history)
    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    step, units, unit_name = CASES[a.mode](a, gen)
    check = a.check_loss
    for _ in range(a.warmup):
        step()
    info = {"mode": a.mode, "threads": torch.get_num_threads(), "torch": torch.__version__,
            "units_per_iteration": units, "unit": unit_name}
    if check is not None:
        info["check_loss"] = check
    if a.serve:
        print(json.dumps(dict(info, ready=True)), flush=True)
        for line in sys.stdin:
            cmd = line.strip()
            if cmd == "quit":
                break
            if cmd == "rss":
                import resource
                print(json.dumps({"peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}),
                      flush=True)
                continue
            if cmd != "run":
                continue
            t0 = time.perf_counter()
            step()
            print(json.dumps({"seconds": time.perf_counter() - t0}), flush=True)
        return
    times = []
    start = time.perf_counter()
    while len(times) < a.iterations or time.perf_counter() - start < a.min_seconds:
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    info.update({unit_name: units / med, "seconds": med, "iterations": len(times)})
    print(json.dumps(info))


if __name__ == "__main__":
    main()
