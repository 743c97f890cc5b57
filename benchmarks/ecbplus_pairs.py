"""Sentence pairs from ECB+ for the merge benchmarks (`pairs_eval.py`, `scripts/train_pair_model.py`).

ECB+ (Cybulska & Vossen, LREC 2014; CC BY 3.0) holds topics 1–35 (15 and 17 do not exist), each with two
seminal events of one kind: the `*ecb.xml` and the `*ecbplus.xml` articles. Token XML; `CROSS_DOC_COREF`
relations tie mentions across documents to one instance (`note`); `ECBplus_coreference_sentences.csv` lists
the sentences annotated for coreference, the only ones used here.

- positive: two annotated sentences of different articles of one topic that mention the same action
  instance (a `CROSS_DOC_COREF` whose note starts with `ACT`, i.e. the same happening);
- hard negative: two annotated sentences of one topic, one from each sub-corpus (the topic's other event).
  Per topic at most as many negatives as positives (seeded sample), so the classes stay balanced.
Pairs of one sub-corpus that share no action instance are neither and are left out.
"""

from __future__ import annotations

import csv
import random
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

TRAIN_TOPICS = range(1, 23)  # tune on these
TEST_TOPICS = range(23, 36)  # report on these


@dataclass(frozen=True)
class Sentence:
    topic: int
    doc: str  # file stem, e.g. "1_10ecbplus"
    plus: bool  # the ecbplus sub-corpus (the topic's second event)
    number: int
    text: str
    actions: frozenset[str]  # cross-document action instances it mentions


@dataclass(frozen=True)
class Pair:
    topic: int
    a: Sentence
    b: Sentence
    positive: bool


_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}]|'s\b|n't\b|'re\b|'ll\b|'ve\b|'d\b|'m\b|'')")
_NO_SPACE_AFTER = re.compile(r"([(\[{$]|``) ")


def detokenise(tokens: list[str]) -> str:
    """Running text from ECB+ tokens ("He said , `` yes '' ." -> 'He said, "yes".')."""
    text = " ".join(tokens)
    text = _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", text))
    return text.replace("``", '"').replace("''", '"')


def annotated(folder: Path) -> set[tuple[str, int]]:
    """(document stem, sentence number) of the sentences annotated for coreference."""
    with (folder / "ECBplus_coreference_sentences.csv").open(encoding="utf-8") as fh:
        return {(row["File"] if "_" in row["File"] else f"{row['Topic']}_{row['File']}",
                 int(row["Sentence Number"])) for row in csv.DictReader(fh)}  # fmt: skip


def read_document(path: Path, keep: set[tuple[str, int]]) -> list[Sentence]:
    """The annotated sentences of one ECB+ file, each with the action instances it mentions."""
    root = ET.parse(path).getroot()
    stem = path.name.removesuffix(".xml")
    topic = int(stem.split("_")[0])
    words: dict[int, list[str]] = defaultdict(list)
    sentence_of: dict[str, int] = {}
    for tok in root.iter("token"):
        n = int(tok.get("sentence", "0"))
        words[n].append(tok.text or "")
        sentence_of[tok.get("t_id", "")] = n
    mention_sentences: dict[str, set[int]] = {}
    markables = root.find("Markables")
    for m in markables if markables is not None else ():
        mid = m.get("m_id", "")
        mention_sentences[mid] = {sentence_of[a.get("t_id", "")] for a in m.iter("token_anchor")
                                  if a.get("t_id", "") in sentence_of}  # fmt: skip
    actions: dict[int, set[str]] = defaultdict(set)
    relations = root.find("Relations")
    for rel in relations if relations is not None else ():
        note = rel.get("note", "")
        if rel.tag != "CROSS_DOC_COREF" or not note.startswith("ACT"):
            continue
        for src in rel.iter("source"):
            for n in mention_sentences.get(src.get("m_id", ""), ()):
                actions[n].add(note)
    return [
        Sentence(topic, stem, stem.endswith("ecbplus"), n, detokenise(words[n]), frozenset(actions[n]))
        for n in sorted(words)
        if (stem, n) in keep and words[n]
    ]


def read_sentences(folder: Path, topics: range) -> dict[int, list[Sentence]]:
    """The annotated sentences of the given topics, by topic."""
    keep = annotated(folder)
    out: dict[int, list[Sentence]] = {}
    for topic in topics:
        files = sorted((folder / str(topic)).glob("*.xml")) if (folder / str(topic)).is_dir() else []
        sentences = [s for f in files for s in read_document(f, keep)]
        if sentences:
            out[topic] = sentences
    return out


def make_pairs(folder: Path, topics: range, *, seed: int = 13, max_per_topic: int = 400) -> list[Pair]:
    """Positive and hard negative pairs of the given topics (see the module doc), at most `max_per_topic`
    positives a topic (seeded sample) and as many negatives."""
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for topic, sentences in read_sentences(folder, topics).items():
        pos, neg = [], []
        for i, a in enumerate(sentences):
            for b in sentences[i + 1 :]:
                if a.doc == b.doc:
                    continue
                if a.plus != b.plus:
                    neg.append(Pair(topic, a, b, False))
                elif a.actions & b.actions:
                    pos.append(Pair(topic, a, b, True))
        pos = rng.sample(pos, min(len(pos), max_per_topic))
        neg = rng.sample(neg, min(len(neg), len(pos)))
        pairs.extend(pos + neg)
    return pairs
