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

`--ceiling` also runs the grouping with a perfect judge: every candidate the index and the date rules give
an article is scored by the gold answer (same event: joinable, else not), so the printed figures are what
the candidates and date rules allow at best (precision 1 by construction; the recall lost is the articles
whose event had no earlier article among their candidates), with the default window and a 30-day one.
`--per-topic` prints each held-out topic's B-cubed figures and what its predicted events hold (e.g.
`ecb 15 + ecbplus 11`: the topic's two events in one).
"""

from __future__ import annotations

import argparse
import copy
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
from saidwhen.merge import CorpusMerger, EventGrouper  # noqa: E402
from saidwhen.model import Document, RawDocument, Statement  # noqa: E402
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


def prepared(arts: Sequence[Article], with_statements: bool) -> list[tuple[Document, list[Statement]]]:
    """The articles cleaned, dated and (unless `with_statements` is false) with their dated statements."""
    raws = [
        RawDocument(source_path=a.name, source_key=a.name, text=a.text, url=a.url, outlet=None) for a in arts
    ]
    repeated = RepeatedLines()
    for raw in raws:
        repeated.observe(raw.text, raw.outlet)
    docs = [prepare(raw, repeated) for raw in raws]
    if not with_statements:
        return [(d, []) for d in docs]
    return [(d, list(sts)) for d, sts in extract_dated(docs, SpeakerRegistry())]


def saidwhen_events(
    arts: Sequence[Article], pairs: Sequence[tuple[Document, list[Statement]]], grouper: EventGrouper | None = None
) -> tuple[dict[str, str], CorpusMerger]:
    """Every article through `CorpusMerger.add` in order (copies: the documents stay as prepared)."""
    merger = CorpusMerger(events=grouper)
    pred: dict[str, str] = {}
    for (doc, statements), a in zip(pairs, arts, strict=True):
        doc = copy.copy(doc)
        merger.add(doc, [copy.copy(st) for st in statements], records=False)
        pred[a.name] = doc.event_id or doc.id
    return pred, merger


class GoldJudge(EventGrouper):
    """The event grouper with a perfect judge: its candidates (the same index lookups and date rules) are
    scored by the gold event alone, so an article joins an earlier article of its own event whenever the
    candidates hold one."""

    def __init__(self, gold: dict[str, str], **params: object) -> None:
        super().__init__(**params)  # type: ignore[arg-type]
        self.gold = gold
        self.current = ""

    def add(self, doc_id: str, *args: object, **kwargs: object) -> str:  # type: ignore[override]
        self.current = doc_id
        return super().add(doc_id, *args, **kwargs)  # type: ignore[arg-type]

    def _scores(self, ent_arr: np.ndarray, ent_w: np.ndarray, sig: np.ndarray, cands: np.ndarray) -> np.ndarray:
        mine = self.gold[self.current]
        return np.asarray([1.0 if self.gold[self._ids[c]] == mine else -1.0 for c in cands.tolist()])


def per_topic(arts: Sequence[Article], pred: dict[str, str], topics: range) -> None:
    """Each topic's B-cubed P/R/F1 and the make-up of its predicted events, largest first."""
    for topic in topics:
        sel = [a for a in arts if a.topic == topic]
        if not sel:
            continue
        made: dict[str, Counter[str]] = defaultdict(Counter)
        for a in sel:
            made[pred[a.name]][a.gold.removeprefix(str(topic))] += 1
        groups = sorted(made.values(), key=lambda c: (-sum(c.values()), sorted(c)))
        shown = ", ".join(" + ".join(f"{k} {n}" for k, n in sorted(c.items())) for c in groups)
        p, r, f1 = bcubed([a.gold for a in sel], [pred[a.name] for a in sel])
        print(f"  topic {topic:>2}: {len(sel):3d} articles  P {p:.2f} R {r:.2f} F1 {f1:.2f}  events: {shown}")


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
    ap.add_argument("--ceiling", action="store_true", help="also group with a perfect judge of the candidates")
    ap.add_argument("--per-topic", action="store_true", help="print each held-out topic's figures and events")
    args = ap.parse_args()

    arts = read_corpus(args.folder)
    random.Random(args.seed).shuffle(arts)
    t0 = time.perf_counter()
    pairs = prepared(arts, not args.no_statements)
    pred, merger = saidwhen_events(arts, pairs)
    took = time.perf_counter() - t0
    methods = [("saidwhen", pred)]
    if args.ceiling:
        gold = {doc.id: a.gold for (doc, _), a in zip(pairs, arts, strict=True)}
        for window in (EventGrouper().window_days, 30):
            judged, _ = saidwhen_events(arts, pairs, GoldJudge(gold, window_days=window))
            methods.append((f"ceiling: perfect judge, {window}-day window", judged))
    threshold, base = baseline(arts)
    print(f"ECB+: {len(arts)} articles, {len({a.gold for a in arts})} gold events, seed {args.seed}, "
          f"statements {'off' if args.no_statements else 'on'}; saidwhen pipeline {took:.1f} s")
    print(f"{'topics':<8} {'method':<40} {'P':>6} {'R':>6} {'F1':>6} {'ARI':>6} {'events':>7} {'gold':>5} {'docs':>5}")
    for label, topics in (("1-22", TUNE), ("23-35", TEST)):
        for method, p in [*methods, (f"tfidf average-link (t={threshold:.2f})", base)]:
            pr, rc, f1, ari, n, g, d = scores(arts, p, topics)
            print(f"{label:<8} {method:<40} {pr:6.3f} {rc:6.3f} {f1:6.3f} {ari:6.3f} {n:7d} {g:5d} {d:5d}")
    if args.per_topic:
        print("saidwhen per held-out topic:")
        per_topic(arts, pred, TEST)
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
