"""PolNeAR for the attribution span models' training scripts (`train-attribution*.py`): the articles and
their attributions of one split, the gold spans of a paragraph, the paragraphs parsed once (cached if asked),
and the model-only dev scores of a tagger (anything with `tag(doc, base) -> list[TaggedRun]`)."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from polnear_eval import match, prf, read_brat, tokens, tokset  # noqa: E402
from saidwhen.statements.segment import paragraphs  # noqa: E402
from saidwhen.statements.span_model import pair  # noqa: E402

Frag = list[tuple[int, int]]


def read_attributions(path: Path) -> list[dict[str, Frag]]:
    """Each attribution of a brat file as {'Content': [...], 'Cue': [...], 'Source': [...]} fragments."""
    spans, events = read_brat(path)
    out = []
    for e in events:
        out.append({k: spans[v] for k, v in e.items() if k in ("Content", "Cue", "Source") and v in spans})
    return out


def load(data_dir: Path, split: str) -> list[tuple[str, str, list[dict[str, Frag]]]]:
    arts = []
    for txt in sorted((data_dir / split / "text").glob("*.txt")):
        anns = sorted((data_dir / split / "attributions").glob(txt.stem + "_*.ann"))
        if anns:
            arts.append((txt.stem, txt.read_text(encoding="utf-8"), read_attributions(anns[0])))
    return arts


_LABEL = {"Cue": "CUE", "Source": "SRC", "Content": "CON"}


def paragraph_spans(attrs: list[dict[str, Frag]], s: int, e: int) -> list[tuple[str, int, int]]:
    """(label, start, end) relative to the paragraph [s, e); outer attributions first."""
    def extent(a: dict[str, Frag]) -> int:
        frags = [f for v in a.values() for f in v]
        return max(x for _s, x in frags) - min(x for x, _e in frags) if frags else 0

    out = []
    for a in sorted(attrs, key=extent, reverse=True):
        for key in ("Cue", "Source", "Content"):
            for fs, fe in a.get(key, []):
                if fs < e and fe > s:
                    out.append((_LABEL[key], max(fs, s) - s, min(fe, e) - s))
    return out


def parsed(nlp, arts, cache: Path | None, name: str):  # type: ignore[no-untyped-def]
    """(article index, paragraph start, spaCy doc) of every paragraph, parsed once (cached if asked)."""
    path = cache / f"{name}.pkl" if cache else None
    if path and path.is_file():
        from spacy.tokens import DocBin

        meta, data = pickle.loads(path.read_bytes())
        docs = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
        return [(i, s, d) for (i, s), d in zip(meta, docs, strict=True)]
    jobs = [(text[s:e], (i, s)) for i, (_n, text, _a) in enumerate(arts) for s, e in paragraphs(text)]
    out = [(i, s, d) for d, (i, s) in nlp.pipe(jobs, as_tuples=True, batch_size=64)]
    if path:
        from spacy.tokens import DocBin

        path.parent.mkdir(parents=True, exist_ok=True)
        db = DocBin(attrs=["ORTH", "TAG", "HEAD", "DEP", "SENT_START"], store_user_data=False)
        for _i, _s, d in out:
            db.add(d)
        path.write_bytes(pickle.dumps(([(i, s) for i, s, _d in out], db.to_bytes())))
    return out


def score(arts, paras, model) -> dict[str, tuple[float, float, float]]:  # type: ignore[no-untyped-def]
    pred_content: list[list[Frag]] = [[] for _ in arts]
    pred_source: list[list[tuple[int, int]]] = [[] for _ in arts]
    for i, s, doc in paras:
        text = arts[i][1]
        for c in pair(text, doc, model.tag(doc, s)):
            pred_content[i].append(c.content)
            if c.source:
                pred_source[i].append(c.source)
    counts = {k: [0, 0, 0] for k in ("content_exact", "content_50", "source_exact")}
    for (_n, text, attrs), pc, ps in zip(arts, pred_content, pred_source, strict=True):
        toks = tokens(text)
        starts = [x for x, _y in toks]
        g_c = [t for t in (tokset(toks, starts, a["Content"]) for a in attrs if "Content" in a) if t]
        g_s = list({t for t in (tokset(toks, starts, a["Source"]) for a in attrs if "Source" in a) if t})
        p_c = [t for t in (tokset(toks, starts, c) for c in pc) if t]
        p_s = list({t for t in (tokset(toks, starts, [x]) for x in ps) if t})
        for key, g, p, exact in (("content_exact", g_c, p_c, True), ("content_50", g_c, p_c, False),
                                 ("source_exact", g_s, p_s, True)):
            counts[key][0] += match(g, p, exact)
            counts[key][1] += len(p)
            counts[key][2] += len(g)
    return {k: prf(*v) for k, v in counts.items()}
