"""Event grouping on real news: ECB+ (Cybulska & Vossen 2014, CC BY 3.0).

    python benchmarks/events_eval.py ../shared/bench/ecbplus [--seed 1] [--no-statements] [--titles 5]

ECB+ has topics 1-35 (15 and 17 missing), each holding articles about two different seminal events of one
kind (two celebrity rehab stays, two earthquakes ...): the `*ecb.xml` and the `*ecbplus.xml` files. The gold
event of an article is its topic + sub-corpus. The token XML is turned into text here (never written
anywhere): sentence 0 of an `ecbplus` file is the page URL (given as the article's url, not as text), every
sentence becomes a line, tokens are joined with the usual detokenisation.

All articles of all topics go together, in a seeded random order, through the real path of `analyze` and
`ingest`: `pipeline.prepare` (clean + date), statement extraction (`extract_dated`, spaCy; `--no-statements`
skips it, so undated articles are placed by their own text only) and `CorpusMerger.add`. Printed: B-cubed
precision / recall / F1 and the adjusted Rand index (scikit-learn) on topics 1-22 (used for tuning) and on
topics 23-35 (held out), beside a baseline: TF-IDF vectors + average-link agglomerative clustering
(cosine), its distance threshold chosen on topics 1-22, run on all articles together.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from saidwhen.clean import RepeatedLines  # noqa: E402
from saidwhen.merge import CorpusMerger  # noqa: E402
from saidwhen.model import RawDocument, Statement  # noqa: E402
from saidwhen.pipeline import extract_dated, prepare  # noqa: E402
from saidwhen.statements import SpeakerRegistry  # noqa: E402

TUNE = range(1, 23)
TEST = range(23, 36)


@dataclass
class Article:
    name: str  # e.g. 3_2ecbplus
    topic: int
    gold: str  # topic + sub-corpus
    url: str | None
    text: str


_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}]|'s\b|'re\b|'ll\b|'ve\b|'d\b|'m\b|n't\b)")
_NO_SPACE_AFTER = re.compile(r"([(\[{$]) ")


def detokenise(tokens: Sequence[str]) -> str:
    text = " ".join(tokens)
    text = text.replace("``", '"').replace("''", '"')
    text = re.sub(r'" (.*?) "', r'"\1"', text)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    return _NO_SPACE_AFTER.sub(r"\1", text)


def read_article(path: Path) -> Article:
    sentences: dict[int, list[str]] = defaultdict(list)
    for tok in ET.parse(path).getroot().iter("token"):
        sentences[int(tok.get("sentence", "0"))].append(tok.text or "")
    lines = [detokenise(sentences[k]) for k in sorted(sentences)]
    url = None
    if lines and lines[0].replace(" ", "").startswith("http"):
        url = "".join(sentences[min(sentences)])
        lines = lines[1:]
    name = path.stem
    topic = int(name.split("_")[0])
    sub = "ecbplus" if name.endswith("ecbplus") else "ecb"
    return Article(name, topic, f"{topic}{sub}", url, "\n".join(lines) + "\n")


def read_corpus(folder: Path) -> list[Article]:
    return [read_article(p) for p in sorted(folder.glob("*/*.xml"))]


# --- metrics --------------------------------------------------------------------------------------------


def bcubed(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float, float]:
    pairs = Counter(zip(gold, pred, strict=True))
    g, p = Counter(gold), Counter(pred)
    n = len(gold)
    prec = sum(c * c / p[k[1]] for k, c in pairs.items()) / n
    rec = sum(c * c / g[k[0]] for k, c in pairs.items()) / n
    return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def scores(arts: Sequence[Article], pred: dict[str, str], topics: range) -> tuple[float, ...]:
    from sklearn.metrics import adjusted_rand_score

    sel = [a for a in arts if a.topic in topics]
    gold = [a.gold for a in sel]
    labels = [pred[a.name] for a in sel]
    return (*bcubed(gold, labels), adjusted_rand_score(gold, labels), len(set(labels)), len(set(gold)), len(sel))


# --- saidwhen --------------------------------------------------------------------------------------------


def saidwhen_events(arts: Sequence[Article], with_statements: bool) -> tuple[dict[str, str], CorpusMerger]:
    raws = [
        RawDocument(source_path=a.name, source_key=a.name, text=a.text, url=a.url, outlet=None) for a in arts
    ]
    repeated = RepeatedLines()
    for raw in raws:
        repeated.observe(raw.text, raw.outlet)
    docs = [prepare(raw, repeated) for raw in raws]
    pairs = list(extract_dated(docs, SpeakerRegistry())) if with_statements else [(d, []) for d in docs]
    merger = CorpusMerger()
    pred: dict[str, str] = {}
    statements: list[Statement]
    for (doc, statements), a in zip(pairs, arts, strict=True):
        merger.add(doc, statements, records=False)
        pred[a.name] = doc.event_id or doc.id
    return pred, merger


# --- baseline --------------------------------------------------------------------------------------------


def baseline(arts: Sequence[Article]) -> tuple[float, dict[str, str]]:
    """TF-IDF + average-link clustering; the cosine distance threshold maximising B-cubed F1 on 1-22."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([a.text for a in arts]).toarray()
    tree = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=0.0, compute_full_tree=True
    ).fit(x)
    best: tuple[float, float, dict[str, str]] = (-1.0, 0.0, {})
    for t in np.arange(0.50, 1.0, 0.01):
        labels = _cut(tree, len(arts), float(t))
        pred = {a.name: str(k) for a, k in zip(arts, labels, strict=True)}
        f1 = scores(arts, pred, TUNE)[2]
        if f1 > best[0]:
            best = (f1, float(t), pred)
    return best[1], best[2]


def _cut(tree: object, n: int, threshold: float) -> list[int]:
    """Flat clusters of a full agglomerative tree at a distance threshold (union of merges below it)."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    node_leaf: list[int] = list(range(n))
    for (a, b), dist in zip(tree.children_, tree.distances_, strict=True):  # type: ignore[attr-defined]
        la, lb = node_leaf[a], node_leaf[b]
        node_leaf.append(la)
        if dist <= threshold:
            parent[find(lb)] = find(la)
    return [find(i) for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-statements", action="store_true")
    ap.add_argument("--titles", type=int, default=5, help="print this many event titles of topics 23-35")
    args = ap.parse_args()

    arts = read_corpus(args.folder)
    random.Random(args.seed).shuffle(arts)
    t0 = time.perf_counter()
    pred, merger = saidwhen_events(arts, not args.no_statements)
    took = time.perf_counter() - t0
    threshold, base = baseline(arts)
    print(f"ECB+: {len(arts)} articles, {len({a.gold for a in arts})} gold events, seed {args.seed}, "
          f"statements {'off' if args.no_statements else 'on'}; saidwhen pipeline {took:.1f} s")
    print(f"{'topics':<8} {'method':<34} {'P':>6} {'R':>6} {'F1':>6} {'ARI':>6} {'events':>7} {'gold':>5} {'docs':>5}")
    for label, topics in (("1-22", TUNE), ("23-35", TEST)):
        for method, p in (("saidwhen", pred), (f"tfidf average-link (t={threshold:.2f})", base)):
            pr, rc, f1, ari, n, g, d = scores(arts, p, topics)
            print(f"{label:<8} {method:<34} {pr:6.3f} {rc:6.3f} {f1:6.3f} {ari:6.3f} {n:7d} {g:5d} {d:5d}")
    if args.titles:
        shown = 0
        seen: set[str] = set()
        for a in arts:
            eid = pred[a.name]
            if a.topic in TEST and eid not in seen and shown < args.titles:
                seen.add(eid)
                ev = merger.grouper.event(eid, members=True)
                if ev is not None:
                    shown += 1
                    print(f"  [{a.gold}] {len(ev.document_ids)} articles: {ev.title} | {ev.place} | {ev.date}")


if __name__ == "__main__":
    main()
