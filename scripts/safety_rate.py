#!/usr/bin/env python3
"""False-alarm rate of the safety intents on a labelled set and its predictions:
in-scope, non-safety lines predicted as a safety intent, and safety lines missed.
Usage: scripts/safety_rate.py GOLD.jsonl PRED.jsonl"""
import json, sys
gold = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
pred = {json.loads(l)["id"]: json.loads(l) for l in open(sys.argv[2]) if l.strip()}
safe = lambda i: bool(i) and i.startswith("safety.")
inscope = [g for g in gold if g.get("intent") and not safe(g["intent"])]
false = [g for g in inscope if safe(pred[g["id"]].get("intent"))]
sgold = [g for g in gold if safe(g.get("intent"))]
missed = [g for g in sgold if pred[g["id"]].get("intent") != g["intent"]]
print(f"false safety: {len(false)}/{len(inscope)} = {len(false)/max(1,len(inscope)):.3f}")
print(f"safety routed right: {len(sgold)-len(missed)}/{len(sgold)}")
for g in false: print("  FALSE", g["intent"], "->", pred[g["id"]]["intent"], "|", g["text"][:90])
for g in missed: print("  MISS ", g["intent"], "->", pred[g["id"]].get("intent"), "|", g["text"][:90])
