#!/usr/bin/env python3
"""Reference implementation of the official MIND metrics, for newsrec's evaluation benchmark.

Reads a labelled behaviors.tsv (the truth) and a leaderboard prediction (prediction.txt, or a
prediction.zip holding it) and computes, per impression, the four numbers the MIND leaderboard
reports, in the same way the official evaluation script does:
  - scores are 1 / rank (rank 1 = best);
  - AUC with sklearn.metrics.roc_auc_score;
  - MRR and DCG by ordering with numpy argsort (reversed, best first) and np.take;
  - nDCG@k = DCG@k of the scores / DCG@k of the labels themselves.
Impressions whose labels are all 0 or all 1 have no AUC and are skipped from every mean; they are
counted. Prints one JSON object: the four unweighted means (fractions), the counts, and the seconds
spent reading and computing (interpreter start-up and imports excluded).

Usage: /usr/bin/python3 mind_metrics_reference.py BEHAVIORS PREDICTION
Needs numpy and scikit-learn (Debian: apt-get install python3-numpy python3-sklearn).
"""
import io
import json
import sys
import time
import zipfile

import numpy as np
from sklearn.metrics import roc_auc_score


def dcg_at(labels, scores, k):
    best_first = np.argsort(scores)[::-1]
    top = np.take(labels, best_first[:k])
    gains = np.power(2.0, top) - 1.0
    discounts = np.log2(np.arange(len(top)) + 2.0)
    return float(np.sum(gains / discounts))


def ndcg_at(labels, scores, k):
    return dcg_at(labels, scores, k) / dcg_at(labels, labels, k)


def mean_reciprocal_rank(labels, scores):
    best_first = np.argsort(scores)[::-1]
    ordered = np.take(labels, best_first)
    reciprocal = ordered / (np.arange(len(ordered)) + 1.0)
    return float(np.sum(reciprocal) / np.sum(ordered))


def read_truth(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            columns = line.rstrip("\r\n").split("\t")
            if len(columns) != 5:
                sys.exit(f"{path}:{number}: expected 5 tab-separated columns")
            labels = [int(token.rsplit("-", 1)[1]) for token in columns[4].split()]
            rows.append((columns[0], np.asarray(labels, dtype=np.float64)))
    return rows


def prediction_lines(path):
    if path.lower().endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if not n.endswith("/")]
            name = next((n for n in names if n.split("/")[-1] == "prediction.txt"), names[0])
            with z.open(name) as raw:
                yield from io.TextIOWrapper(raw, encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as f:
            yield from f


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    truth_path, prediction_path = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    truth = read_truth(truth_path)
    sums = np.zeros(4)
    evaluated = skipped_negative = skipped_positive = 0
    count = 0
    for number, line in enumerate(prediction_lines(prediction_path), 1):
        line = line.strip()
        if not line:
            continue
        if count >= len(truth):
            sys.exit(f"{prediction_path}:{number}: more impressions than the truth")
        impression_id, ranks_text = line.split(" ", 1)
        true_id, labels = truth[count]
        count += 1
        if impression_id != true_id:
            sys.exit(f"{prediction_path}:{number}: impression id {impression_id}, expected {true_id}")
        ranks = json.loads(ranks_text)
        if len(ranks) != len(labels):
            sys.exit(f"{prediction_path}:{number}: {len(ranks)} ranks for {len(labels)} candidates")
        clicked = labels.sum()
        if clicked == 0:
            skipped_negative += 1
            continue
        if clicked == len(labels):
            skipped_positive += 1
            continue
        scores = 1.0 / np.asarray(ranks, dtype=np.float64)
        sums += (roc_auc_score(labels, scores), mean_reciprocal_rank(labels, scores),
                 ndcg_at(labels, scores, 5), ndcg_at(labels, scores, 10))
        evaluated += 1
    if count != len(truth):
        sys.exit(f"{prediction_path}: {count} impressions, the truth has {len(truth)}")
    means = sums / evaluated if evaluated else np.full(4, float("nan"))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "auc": means[0], "mrr": means[1], "ndcg5": means[2], "ndcg10": means[3],
        "impressions": evaluated, "skipped_all_negative": skipped_negative,
        "skipped_all_positive": skipped_positive, "seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
