#!/usr/bin/env python3
"""Baseline for docs/BENCHMARKS.md: scikit-learn TF-IDF (word 1-2 grams) +
LinearSVC on CLINC150, measured on this machine for the ratio against
`profint`. Out of scope = the best decision value below a threshold chosen on
validation with the rule of `profint eval --sweep`: the highest threshold
whose in-scope accuracy stays within 0.01 of the best in-scope accuracy.

usage: python3 scripts/baseline_clinc.py ../shared/benchmarks/clinc150
"""
import json, sys, time, statistics
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

root = sys.argv[1] if len(sys.argv) > 1 else "../shared/benchmarks/clinc150"
load = lambda p: [json.loads(l) for l in open(p, encoding="utf-8") if l.strip()]
train, val = load(f"{root}/train.jsonl"), load(f"{root}/val.jsonl")
inscope = [r for r in train if r["intent"] != "oos"]
t0 = time.perf_counter()
vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
X = vec.fit_transform([r["text"] for r in inscope])
clf = LinearSVC(C=1.0).fit(X, [r["intent"] for r in inscope])
train_s = time.perf_counter() - t0

costs, preds = [], []
for r in val:
    s = time.perf_counter()
    d = clf.decision_function(vec.transform([r["text"]]))[0]
    i = d.argmax()
    costs.append(time.perf_counter() - s)
    preds.append((clf.classes_[i], d[i], r["intent"]))

def score(th):
    ins = [(p, g) for p, v, g in [(p if v >= th else "oos", v, g) for p, v, g in preds] if g != "oos"]
    oos = [(p if v >= th else "oos") for p, v, g in preds if g == "oos"]
    return (sum(p == g for p, g in ins) / len(ins), sum(p == "oos" for p in oos) / len(oos))

sweep = [(k / 100, *score(k / 100)) for k in range(-100, 101)]
best_in = max(a for _, a, _ in sweep)
th, a, r = [row for row in sweep if row[1] >= best_in - 0.01][-1]
print(f"train {train_s:.2f} s; threshold {th:.2f}; in-scope {a:.3f}; oos recall {r:.3f}; "
      f"median {statistics.median(costs) * 1e6:.0f} µs per query")
