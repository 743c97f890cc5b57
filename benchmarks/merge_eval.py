"""Merge benchmark: near-duplicate detection and statement merging on PolNeAR variants; scaling.

    python benchmarks/merge_eval.py ../shared/bench/polnear [--seed 1] [--errors N]
    python benchmarks/merge_eval.py --synthetic 100000

Quality mode. Article variants are generated on the fly from `train/text/*.txt` (never written anywhere):
rewritten boilerplate (added/removed "Read also:" blocks, share prompts, bylines), truncation,
re-paragraphing, light paraphrase (synonym swaps and clause reordering in a quarter of the sentences) and
combinations. All articles are shuffled and fed to `DuplicateIndex`; a returned link is correct when it
points into the same source article's group. Precision = correct links / links, recall = linked articles
that should be / articles that have an earlier copy.

Statements come from the PolNeAR attribution annotations (Content spans of ≥ 6 words, speaker = last
capitalised word of the Source span, date = publication date). Each gets 0-3 extra reports (other outlet
verbatim, paraphrase, a 60-85 % fragment) dated 0-2 days later; hard negatives are the other statements of
the same speaker on the same day (natural), the same words by another speaker, and the same words 30-400
days later (same claim, not the same statement). Pairwise precision/recall of `StatementMerger` groups and
of `ClaimLinker` claims against the gold are computed from cluster contingency counts.

Synthetic mode: N generated articles (Zipf vocabulary, events with entities and topic words over two
years, 10 % reprints, two statements per article) through DuplicateIndex + EventGrouper + StatementMerger;
prints cumulative time, marginal per-article cost and peak RSS at 10k, 30k, 100k … articles.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from saidwhen.merge import ClaimLinker, DuplicateIndex, EventGrouper, Similarity, StatementMerger  # noqa: E402
from saidwhen.model import Statement  # noqa: E402

SYNONYMS = {
    "big": "large",
    "large": "big",
    "people": "folks",
    "very": "really",
    "help": "assist",
    "begin": "start",
    "start": "begin",
    "think": "believe",
    "believe": "think",
    "important": "crucial",
    "country": "nation",
    "nation": "country",
    "want": "wish",
    "wants": "wishes",
    "need": "require",
    "needs": "requires",
    "show": "demonstrate",
    "get": "obtain",
    "use": "utilize",
    "try": "attempt",
    "many": "numerous",
    "but": "however",
    "quickly": "rapidly",
    "job": "position",
    "jobs": "positions",
    "money": "funds",
    "problem": "issue",
    "problems": "issues",
    "maybe": "perhaps",
    "often": "frequently",
    "because": "since",
    "about": "regarding",
    "enough": "sufficient",
    "great": "terrific",
    "bad": "poor",
    "good": "fine",
    "house": "home",
    "children": "kids",
    "world": "globe",
    "change": "alter",
    "end": "finish",
    "campaign": "race",
    "voters": "electorate",
    "win": "prevail",
    "going": "planning",
    "really": "truly",
    "said": "stated",
    "says": "states",
    "make": "create",
    "look": "appear",
    "know": "understand",
    "hard": "difficult",
    "right": "correct",
    "talk": "speak",
    "clear": "obvious",
    "whole": "entire",
}
BOILER_TOP = [
    "Advertisement",
    "Breaking News",
    "Share this article:",
    "By Staff Writer",
    "Updated 2 hours ago",
    "Listen to this article",
    "Follow us on Twitter",
]
BOILER_BOTTOM = [
    "Read also: Five things to know before the debate",
    "Share on Facebook | Share on Twitter | Email",
    "Subscribe to our newsletter for the latest news.",
    "Copyright 2016 The Associated Press. All rights reserved.",
    "Read more: What the polls say this week\nRead more: The candidates in their own words",
    "Related: Inside the campaign's final days",
    "Click here to comment on this story.",
]


# --- variants ---------------------------------------------------------------------------------------------


def paraphrase_sentence(sentence: str, rng: random.Random) -> str:
    words = sentence.split(" ")
    swapped = [SYNONYMS.get(w, w) if w in SYNONYMS and rng.random() < 0.7 else w for w in words]
    out = " ".join(swapped)
    if ", " in out and rng.random() < 0.5:
        head, tail = out.split(", ", 1)
        tail = tail.rstrip(".")
        if head and tail:
            out = tail[0].upper() + tail[1:] + ", " + head[0].lower() + head[1:] + "."
    return out


def split_sentences(paragraph: str) -> list[str]:
    return re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", paragraph)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def variant(text: str, kind: str, rng: random.Random) -> str:
    paras = paragraphs(text)
    if kind in ("paraphrase", "combo"):
        paras = [
            " ".join(paraphrase_sentence(s, rng) if rng.random() < 0.25 else s for s in split_sentences(p))
            for p in paras
        ]
    if kind in ("reparagraph", "combo"):
        sentences = [s for p in paras for s in split_sentences(p)]
        paras, cur = [], []
        for s in sentences:
            cur.append(s)
            if rng.random() < 0.35:
                paras.append(" ".join(cur))
                cur = []
        if cur:
            paras.append(" ".join(cur))
    if kind == "truncate":
        keep = max(1, int(len(paras) * rng.uniform(0.4, 0.85)))
        paras = paras[:keep]
    if kind in ("boilerplate", "combo"):
        top = rng.sample(BOILER_TOP, rng.randint(0, 2))
        bottom = rng.sample(BOILER_BOTTOM, rng.randint(1, 3))
        middle = rng.randrange(len(paras) + 1)
        paras = top + paras[:middle] + [rng.choice(BOILER_BOTTOM)] + paras[middle:] + bottom
    return "\n\n".join(paras)


KINDS = ["boilerplate", "truncate", "reparagraph", "paraphrase", "combo"]


def duplicate_eval(texts: list[tuple[str, str]], rng: random.Random, errors: int) -> None:
    corpus: list[tuple[str, str, str, str]] = []  # (doc id, group, kind, text)
    for name, text in texts:
        corpus.append((name, name, "original", text))
        for k in range(rng.choice([0, 1, 1, 2, 3])):
            kind = rng.choice(KINDS)
            corpus.append((f"{name}#{k}-{kind}", name, kind, variant(text, kind, rng)))
    rng.shuffle(corpus)
    index = DuplicateIndex()
    group = {doc_id: g for doc_id, g, _, _ in corpus}
    seen_groups: set[str] = set()
    originals = dict(texts)
    tp = fp = should = reprints = 0
    per_kind: Counter[str] = Counter()
    per_kind_hit: Counter[str] = Counter()
    wrong: list[str] = []
    missed: list[str] = []
    t0 = time.perf_counter()
    for doc_id, g, kind, text in corpus:
        link = index.add(doc_id, text)
        expected = g in seen_groups
        seen_groups.add(g)
        if expected:
            should += 1
            per_kind[kind] += 1
        if link is not None:
            if group[link] == g:
                tp += 1
                per_kind_hit[kind] += 1
            else:
                fp += 1
                jac, cont = exact_similarity(originals[g], originals[group[link]])
                if jac >= 0.5 or cont >= 0.8:  # the two source articles are themselves copies
                    reprints += 1
                wrong.append(f"  {doc_id} -> {link} (source articles: exact J={jac:.2f}, C={cont:.2f})")
        elif expected:
            missed.append(f"  {doc_id} ({kind})")
    elapsed = time.perf_counter() - t0
    links = tp + fp
    print(f"duplicates: {len(corpus)} articles ({len(texts)} originals), {elapsed:.2f} s")
    print(
        f"  precision {tp / max(1, links):.3f} ({tp}/{links})   recall {tp / max(1, should):.3f} ({tp}/{should})"
    )
    print(
        f"  {reprints} of the {fp} false links join source articles that are reprints of each other inside "
        f"PolNeAR (exact shingle J ≥ 0.5 or containment ≥ 0.8); counting those as correct: "
        f"precision {(tp + reprints) / max(1, links):.3f}"
    )
    print(
        "  recall by variant: " + ", ".join(f"{k} {per_kind_hit[k]}/{per_kind[k]}" for k in sorted(per_kind))
    )
    if errors:
        print("  false links (may be real reprints inside PolNeAR):", *wrong[:errors], sep="\n")
        print("  missed:", *missed[:errors], sep="\n")


def exact_similarity(a: str, b: str, k: int = 3) -> tuple[float, float]:
    """Exact Jaccard and containment (smaller in larger) of word k-shingle sets, for adjudication only."""

    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}

    sa, sb = shingles(a), shingles(b)
    inter = len(sa & sb)
    return inter / max(1, len(sa | sb)), inter / max(1, min(len(sa), len(sb)))


def drop_ambiguous(base: list[tuple[str, str, date]], window: int = 3) -> list[tuple[str, str, date]]:
    """Keep one of several annotated spans by one speaker within `window` days that share ≥ half of their
    words of 4+ letters (a headline and the body quoting the same words): the gold cannot tell them apart."""
    kept: list[tuple[str, str, date]] = []
    by_speaker: dict[str, list[tuple[set[str], date]]] = defaultdict(list)
    for speaker, text, when in base:
        words = set(re.findall(r"[a-z]{4,}", text.lower()))
        if any(
            abs((when - d).days) <= window and len(words & w) >= 0.5 * max(1, min(len(words), len(w)))
            for w, d in by_speaker[speaker]
        ):
            continue
        by_speaker[speaker].append((words, when))
        kept.append((speaker, text, when))
    return kept


# --- statements -----------------------------------------------------------------------------------------


def load_statements(data: Path, texts: dict[str, str], dates: dict[str, date]) -> list[tuple[str, str, date]]:
    """(speaker, content, date) from the first annotation file of each training text."""
    out = []
    done: set[str] = set()
    for ann in sorted((data / "train" / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        if name in done or name not in texts:
            continue
        done.add(name)
        spans: dict[str, tuple[str, str]] = {}
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 3 and parts[0].startswith("T"):
                spans[parts[0]] = (parts[1].split(" ")[0], parts[2])
        for line in ann.read_text(encoding="utf-8").splitlines():
            if not line.startswith("E"):
                continue
            roles = dict(p.split(":", 1) for p in line.split("\t")[1].split() if ":" in p)
            if "Source" not in roles or "Content" not in roles:
                continue
            source, content = (
                spans.get(roles["Source"], ("", ""))[1],
                spans.get(roles["Content"], ("", ""))[1],
            )
            names = re.findall(r"\b[A-Z][a-z]+(?:['’-][A-Za-z]+)?\b", source)
            names = [n for n in names if n not in {"He", "She", "They", "The", "It", "We", "I", "His", "Her"}]
            if names and len(content.split()) >= 6:
                out.append((names[-1], content.strip(' “”"').strip(), dates[name]))
    return out


def pair_counts(labels: Iterable[tuple[str, str]]) -> tuple[int, int, int]:
    """(pairs together in both, pairs together in prediction, pairs together in gold) from (pred, gold)."""
    cells: Counter[tuple[str, str]] = Counter()
    pred: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    for p, g in labels:
        cells[(p, g)] += 1
        pred[p] += 1
        gold[g] += 1

    def c2(n: int) -> int:
        return n * (n - 1) // 2

    return sum(map(c2, cells.values())), sum(map(c2, pred.values())), sum(map(c2, gold.values()))


def statement_eval(
    base: list[tuple[str, str, date]], rng: random.Random, errors: int, similarity: Similarity | None = None
) -> None:
    speakers = sorted({s for s, _, _ in base})
    reports: list[tuple[Statement, str, str]] = []  # (statement, gold statement, gold proposition)
    n = 0

    def add(speaker: str, text: str, when: date, gold: str, prop: str) -> None:
        nonlocal n
        n += 1
        reports.append(
            (
                Statement(f"s{n}", f"doc{n}", speaker, speaker, text, "direct", "said", 0, 1, 0.9, when),
                gold,
                prop,
            )
        )

    far = other = 0
    for b, (speaker, text, when) in enumerate(base):
        add(speaker, text, when, f"g{b}", f"p{b}")
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            kind = rng.choice(["verbatim", "paraphrase", "fragment"])
            words = text.split()
            if kind == "paraphrase":
                wording = paraphrase_sentence(text, rng)
            elif kind == "fragment":
                k = max(4, int(len(words) * rng.uniform(0.6, 0.85)))
                start = rng.randrange(len(words) - k + 1)
                wording = " ".join(words[start : start + k])
            else:
                wording = text
            add(speaker, wording, when + timedelta(days=rng.randint(0, 2)), f"g{b}", f"p{b}")
        r = rng.random()
        if r < 0.1:  # same words, another speaker, same day: another statement (same proposition)
            add(rng.choice(speakers), text, when, f"g{b}-other", f"p{b}")
            other += 1
        elif r < 0.2:  # restated much later: another statement, same claim
            add(
                speaker,
                paraphrase_sentence(text, rng),
                when + timedelta(days=rng.randint(30, 400)),
                f"g{b}-later",
                f"p{b}",
            )
            far += 1
    order = list(range(len(reports)))
    rng.shuffle(order)
    merger, linker = StatementMerger(similarity=similarity), ClaimLinker(similarity=similarity)
    t0 = time.perf_counter()
    for i in order:
        s = reports[i][0]
        merger.add(s)
        first = merger.first_of(s.id)
        linker.add(s, same_as=first if first != s.id else None)
    elapsed = time.perf_counter() - t0
    both, pred, gold = pair_counts((merger.merged_id(s.id) or s.id, g) for s, g, _ in reports)
    print(
        f"statements: {len(reports)} reports of {len(base)} statements by {len(speakers)} speakers "
        f"({other} same words/other speaker, {far} restated later), {elapsed:.2f} s"
    )
    print(
        f"  merge pairwise precision {both / max(1, pred):.3f} ({both}/{pred})   recall {both / max(1, gold):.3f} ({both}/{gold})"
    )
    claim_of = {s.id: linker.claim_id(s.id) for s, _, _ in reports}
    first_of: dict[str, str] = {}
    hit = total = 0
    for s, g, p in reports:
        if g == p.replace("p", "g", 1):
            first_of.setdefault(p, s.id)
    for s, g, p in reports:
        if g.endswith(("-other", "-later")):
            total += 1
            c = claim_of[s.id]
            hit += c is not None and c == claim_of[first_of[p]]
    in_claims = [(c, p) for (s, _, p) in reports if (c := claim_of[s.id])]
    both_c, pred_c, _ = pair_counts(in_claims)
    print(
        f"  claims: {len(linker.claims())}; restatements linked to their original {hit}/{total} "
        f"({hit / max(1, total):.3f}); pairwise precision inside claims {both_c / max(1, pred_c):.3f}"
    )
    if errors:
        by_pred: dict[str, list[tuple[Statement, str]]] = defaultdict(list)
        for s, g, _ in reports:
            by_pred[merger.merged_id(s.id) or s.id].append((s, g))
        shown = 0
        for members in by_pred.values():
            if len({g for _, g in members}) > 1 and shown < errors:
                shown += 1
                print(
                    "  false merge:",
                    *(f"    [{g}] {s.speaker} {s.date}: {s.text[:90]}" for s, g in members),
                    sep="\n",
                )


def quality(data: Path, seed: int, errors: int, similarity: Similarity | None = None) -> None:
    rng = random.Random(seed)
    dates: dict[str, date] = {}
    for line in (data / "metadata.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) > 5 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", cols[5]):
            dates[cols[1]] = date.fromisoformat(cols[5])
    texts: dict[str, str] = {}
    for path in sorted((data / "train" / "text").glob("*.txt")):
        name = path.stem
        if name not in dates:
            m = re.search(r"_(\d{4}-\d{2}-\d{2})_", name)
            if not m:
                continue
            dates[name] = date.fromisoformat(m.group(1))
        texts[name] = path.read_text(encoding="utf-8")
    duplicate_eval(sorted(texts.items()), rng, errors)
    base = load_statements(data, texts, dates)
    clean = drop_ambiguous(base)
    print(
        f"gold statements: {len(base)} annotated spans; {len(base) - len(clean)} dropped as ambiguous repeats"
    )
    statement_eval(clean, rng, errors, similarity)


# --- synthetic scaling ------------------------------------------------------------------------------------


class Synth:
    """Deterministic synthetic news: Zipf vocabulary, events with entities and topic words."""

    def __init__(self, seed: int, vocab: int = 30_000, names: int = 8_000) -> None:
        self.rng = np.random.default_rng(seed)
        syll = [
            "ka",
            "lo",
            "mi",
            "ne",
            "ru",
            "ta",
            "po",
            "si",
            "de",
            "va",
            "go",
            "bi",
            "ze",
            "fu",
            "ha",
            "jo",
        ]
        idx = self.rng.integers(0, len(syll), size=(vocab, 4))
        lens = self.rng.integers(1, 5, size=vocab)
        self.words = np.array(
            [
                "".join(syll[j] for j in row[:n]) + str(k % 7 or "")
                for k, (row, n) in enumerate(zip(idx, lens, strict=True))
            ]
        )
        ranks = np.arange(1, vocab + 1)
        self.p = (1.0 / ranks) / (1.0 / ranks).sum()
        nidx = self.rng.integers(0, len(syll), size=(names, 3))
        self.names = np.array(["".join(syll[j] for j in row).capitalize() for row in nidx])
        self.start = date(2022, 1, 1).toordinal()
        self.events: list[tuple[int, np.ndarray, np.ndarray, list[str]]] = []

    def new_event(self) -> int:
        day = self.start + int(self.rng.integers(0, 730))
        ents = self.rng.choice(len(self.names), size=4, replace=False)
        topic = self.rng.choice(len(self.words), size=40, replace=False, p=None)
        quotes = [
            " ".join(self.words[self.rng.choice(topic, 6)])
            + " "
            + " ".join(self.words[self.rng.choice(len(self.words), 6, p=self.p)])
            for _ in range(3)
        ]
        self.events.append((day, ents, topic, quotes))
        return len(self.events) - 1

    def article(self, ev: int, length: int = 260) -> tuple[str, date, list[tuple[str, str]]]:
        day, ents, topic, quotes = self.events[ev]
        general = self.words[self.rng.choice(len(self.words), size=length, p=self.p)]
        mask = self.rng.random(length) < 0.25
        general[mask] = self.words[self.rng.choice(topic, size=int(mask.sum()))]
        out = general.tolist()
        for pos in self.rng.integers(0, length, size=8).tolist():
            out[pos] = self.names[self.rng.choice(ents)]
        sentences = [_upper_first(" ".join(out[i : i + 20])) + "." for i in range(0, length, 20)]
        text = f"{self.names[ents[0]].upper()}, Monday — " + "\n\n".join(
            " ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)
        )
        statements = []
        for _ in range(2):
            speaker = str(self.names[self.rng.choice(ents)])
            if self.rng.random() < 0.4:
                q = quotes[int(self.rng.integers(0, len(quotes)))].split()
                if self.rng.random() < 0.5:
                    q = q[: len(q) - 2]
                statements.append((speaker, " ".join(q)))
            else:
                statements.append(
                    (speaker, " ".join(self.words[self.rng.choice(len(self.words), 12, p=self.p)]))
                )
        return text, date.fromordinal(day + int(self.rng.integers(0, 2))), statements


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(n: int, seed: int) -> None:
    synth = Synth(seed)
    checkpoints = sorted({c for c in (10_000, 30_000, 100_000, 300_000) if c < n} | {n})
    dup, grouper, merger, linker = DuplicateIndex(), EventGrouper(), StatementMerger(), ClaimLinker()
    timers = {"duplicates": 0.0, "events": 0.0, "statements": 0.0, "claims": 0.0}
    gen = 0.0
    history: list[tuple[str, str, str, tuple[str, date, list[tuple[str, str]]]]] = []  # recent, for reprints
    gold_event: dict[str, int] = {}
    doc_groups: list[tuple[str, str]] = []
    last_n, last_t, wall = 0, 0.0, 0.0
    print(f"synthetic: {n} articles, baseline RSS {rss_mb():.0f} MB")
    print(
        "CPU seconds (process_time) of the four components; wall = elapsed, which other processes inflate\n"
        f"{'articles':>9} {'wall s':>7} {'CPU s':>7} {'CPU ms/art':>11} {'marginal':>9} {'dup':>6} {'events':>7} "
        f"{'stmts':>6} {'claims':>7} {'RSS MB':>7}"
    )
    n_events = 0
    for i in range(n):
        g0 = time.perf_counter()
        if history and synth.rng.random() < 0.1:  # a reprint with other boilerplate, maybe truncated
            _, _, ev_s, (text, when, statements) = history[int(synth.rng.integers(0, len(history)))]
            ev = int(ev_s)
            paras = text.split("\n\n")
            if synth.rng.random() < 0.5:
                paras = paras[: max(2, len(paras) * 2 // 3)]
            text = "Advertisement\n\n" + "\n\n".join(paras) + "\n\nRead also: more news from the region"
        else:
            ev = (
                synth.new_event()
                if (n_events == 0 or synth.rng.random() < 0.15)
                else int(synth.rng.integers(max(0, n_events - 3000), n_events))
            )
            n_events = len(synth.events)
            text, when, statements = synth.article(ev)
        doc_id = f"d{i}"
        gold_event[doc_id] = ev
        if len(history) < 5000:
            history.append((doc_id, "", str(ev), (text, when, statements)))
        else:
            history[i % 5000] = (doc_id, "", str(ev), (text, when, statements))
        gen += time.perf_counter() - g0

        w = time.perf_counter()
        t = time.process_time()
        link = dup.add(doc_id, text)
        t2 = time.process_time()
        event = grouper.add(doc_id, text, when, same_as=link)
        t3 = time.process_time()
        root = link or doc_id
        sts = [
            Statement(f"{doc_id}s{k}", doc_id, speaker, speaker, quote, "direct", "said", 0, 1, 0.9, when)
            for k, (speaker, quote) in enumerate(statements)
        ]
        for st in sts:
            merger.add(st, doc_root=root)
        t4 = time.process_time()
        for st in sts:
            first = merger.first_of(st.id)
            linker.add(st, same_as=first if first != st.id else None)
        timers["claims"] += time.process_time() - t4
        timers["duplicates"] += t2 - t
        timers["events"] += t3 - t2
        timers["statements"] += t4 - t3
        wall += time.perf_counter() - w
        doc_groups.append((event, str(ev)))
        done = i + 1
        if done in checkpoints:
            total = sum(timers.values())
            marginal = (total - last_t) / (done - last_n) * 1000
            print(
                f"{done:>9} {wall:>7.1f} {total:>7.1f} {total / done * 1000:>11.3f} {marginal:>9.3f} "
                f"{timers['duplicates']:>6.1f} {timers['events']:>7.1f} {timers['statements']:>6.1f} {timers['claims']:>7.1f} {rss_mb():>7.0f}"
            )
            last_n, last_t = done, total
    both, pred, gold = pair_counts(doc_groups)
    print(
        f"generation (not timed above): {gen:.1f} s; duplicate links: {sum(1 for d in range(n) if dup.duplicate_of(f'd{d}'))}"
    )
    print(
        f"event grouping vs generated events: pairwise precision {both / max(1, pred):.3f}, recall {both / max(1, gold):.3f}"
    )
    print(f"merged statements: {len(merger.merged())}; claims: {len(linker.claims())}")
    t = time.perf_counter()
    sizes = {
        name: len(obj.to_state())
        for name, obj in (
            ("duplicates", dup),
            ("events", grouper),
            ("statements", merger),
            ("claims", linker),
        )
    }
    print(
        "state bytes: "
        + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sizes.items())
        + f" ({time.perf_counter() - t:.1f} s)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="?", type=Path, help="PolNeAR folder (with train/text, train/attributions)")
    ap.add_argument("--synthetic", type=int, metavar="N", help="scaling run on N synthetic articles")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--errors", type=int, default=0, help="show up to N errors of each kind")
    ap.add_argument("--embeddings", action="store_true", help="statement merging and claims with the embedding hook")
    args = ap.parse_args()
    similarity = None
    if args.embeddings:
        from saidwhen.embeddings import EmbeddingsMissingError, load_similarity

        try:
            similarity = load_similarity()
        except EmbeddingsMissingError as exc:
            sys.exit(str(exc))
    if args.synthetic:
        synthetic(args.synthetic, args.seed)
    elif args.data:
        quality(args.data, args.seed, args.errors, similarity)
    else:
        ap.error("give DATA_DIR or --synthetic N")


if __name__ == "__main__":
    main()
