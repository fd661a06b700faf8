#!/usr/bin/env python3
"""The yardstick of issue 13: a plain classifier trained on nothing but the
examples in Intents/ (and the out-of-scope examples as one more class),
scored on a labelled set beside the engine's predictions for the same lines.

TF-IDF over words (1-2 grams) and characters within words (2-5 grams),
logistic regression (C=30). A line is out of scope when the out-of-scope
class wins or the best probability is below the engine's threshold (0.15),
the rule `profint` uses. Lines with a `conversation` are left out: the
baseline has no dialogue state (the engine's follow-ups are scored by
score.py, not here).

usage: scripts/baseline_intents.py GOLD.jsonl [ENGINE_PRED.jsonl] [--intents Intents]
  GOLD:   {"id", "text", "intent" (null = out of scope)} per line
  ENGINE: the output of `profint classify` on GOLD (optional)
needs:  python3 -m pip install scikit-learn pyyaml
"""
import json
import pathlib
import sys

try:
    import yaml
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union
except ImportError:
    sys.exit("scripts/baseline_intents.py needs scikit-learn and PyYAML: python3 -m pip install scikit-learn pyyaml")

THRESHOLD = 0.15
args = [a for a in sys.argv[1:] if not a.startswith("--")]
intents_dir = pathlib.Path(sys.argv[sys.argv.index("--intents") + 1]) if "--intents" in sys.argv else pathlib.Path("Intents")
if "--intents" in sys.argv:
    args.remove(str(intents_dir))
if not args:
    sys.exit(__doc__)

texts, labels = [], []
for path in sorted(intents_dir.glob("*.yml")):
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for intent in data.get("intents", []) or []:
        for examples in (intent.get("examples") or {}).values():
            for example in examples:
                texts.append(example)
                labels.append(intent["id"])
    for examples in (data.get("out_of_scope") or {}).values():
        for example in examples:
            texts.append(example)
            labels.append("oos")

model = make_pipeline(
    make_union(TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
               TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True)),
    LogisticRegression(C=30, max_iter=3000))
model.fit(texts, labels)

gold = [json.loads(l) for l in open(args[0], encoding="utf-8") if l.strip()]
gold = [g for g in gold if not g.get("conversation")]
probabilities = model.predict_proba([g["text"] for g in gold])
classes = list(model.classes_)
baseline = {}
for g, p in zip(gold, probabilities):
    best = max(range(len(classes)), key=lambda i: p[i])
    label = classes[best]
    baseline[g["id"]] = None if label == "oos" or p[best] < THRESHOLD else label

engine = {}
if len(args) > 1:
    for line in open(args[1], encoding="utf-8"):
        if line.strip():
            row = json.loads(line)
            engine[row["id"]] = row.get("intent")


def scores(pred):
    ins = [g for g in gold if g.get("intent")]
    oos = [g for g in gold if not g.get("intent")]
    right = lambda g: pred.get(g["id"]) == g.get("intent")
    return (sum(map(right, gold)) / len(gold), sum(map(right, ins)) / max(1, len(ins)),
            sum(pred.get(g["id"]) is None for g in oos) / max(1, len(oos)))


print(f"{len(gold)} single-turn lines ({sum(1 for g in gold if g.get('intent'))} in scope); "
      f"trained on {len(texts)} examples of {len(set(labels)) - 1} intents + out of scope")
print("            accuracy  in-scope  oos recall")
print("baseline    {:.3f}     {:.3f}     {:.3f}".format(*scores(baseline)))
if engine:
    print("engine      {:.3f}     {:.3f}     {:.3f}".format(*scores(engine)))
