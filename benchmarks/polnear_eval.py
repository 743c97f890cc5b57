"""Score saidwhen's statement extractor on PolNeAR (brat standoff) attribution spans.

    python benchmarks/polnear_eval.py /work/shared/bench/polnear [--split dev|train] [--limit N]
        [--clean] (run saidwhen.clean first) [--broad] (also evaluative speech acts/intentions)
        [--show N] (print N spurious/misaligned content spans to stderr; nothing is saved)
        [--attribution fast|accurate] (rules only, or the trained span model + rules) [--beliefs]

Mapping (see docs in the statements package): a `Statement` is one attribution;
content = its content fragments (`Attribution.content`: the quote with its marks, a split quote as
several fragments, reported speech as the clause incl. "that", without final punctuation); source = the
speaker mention span (`Attribution.source`; inherited continuation quotes have none).

Scoring: text is tokenised (words and punctuation marks); a span is the set of tokens inside its
fragments. Spans are matched one-to-one (greedy, best overlap first). *exact*: identical token sets.
*50% overlap*: shared tokens >= 50% of the gold span's and of the predicted span's tokens. Content and
source spans are scored separately (PolNeAR sources shared by several attributions count once).
Articles with several annotators use the first annotator (sorted by id). Nothing of the data is copied.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

from saidwhen.model import CleanText, Document  # noqa: E402
from saidwhen.statements import SpeakerRegistry, cues, extract_attributions  # noqa: E402
from saidwhen.statements.extract import DISABLE  # noqa: E402

_TOKEN = re.compile(r"\w+(?:[’'.-]\w+)*|[^\w\s]")
Spans = list[tuple[int, int]]


@dataclass
class Gold:
    content: list[Spans]
    source: list[Spans]
    cue: list[str]  # cue text of each content's attribution


def read_brat(path: Path) -> tuple[dict[str, Spans], list[dict[str, str]]]:
    """A brat .ann file: its text-bound spans by id (fragments) and its events (role -> span id)."""
    spans: dict[str, Spans] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            _label, _, offs = parts[1].partition(" ")
            spans[parts[0]] = [tuple(map(int, o.split())) for o in offs.split(";")]  # type: ignore[misc]
        elif parts[0].startswith("E"):
            events.append(dict(x.split(":", 1) for x in parts[1].split()))
    return spans, events


def read_ann(path: Path) -> Gold:
    spans, events = read_brat(path)
    content, source, cue, seen = [], [], [], set()
    text_of = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0].startswith("T"):
            text_of[parts[0]] = parts[2]
    for e in events:
        if "Content" in e and e["Content"] in spans:
            content.append(spans[e["Content"]])
            cue.append(text_of.get(e.get("Cue", ""), ""))
        if "Source" in e and e["Source"] in spans and e["Source"] not in seen:
            seen.add(e["Source"])
            source.append(spans[e["Source"]])
    return Gold(content, source, cue)


def load(data_dir: Path, split: str) -> list[tuple[str, str, Gold, date | None]]:
    out = []
    for txt in sorted((data_dir / split / "text").glob("*.txt")):
        anns = sorted((data_dir / split / "attributions").glob(txt.stem + "_*.ann"))
        if not anns:
            continue
        m = re.search(r"_(\d{4}-\d{2}-\d{2})_", txt.name)
        published = date.fromisoformat(m.group(1)) if m else None
        out.append((txt.stem, txt.read_text(encoding="utf-8"), read_ann(anns[0]), published))
    return out


def tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


def tokset(toks: list[tuple[int, int]], starts: list[int], spans: Spans) -> frozenset[int]:
    import bisect

    out: set[int] = set()
    for s, e in spans:
        i = bisect.bisect_left(starts, s)
        if i > 0 and toks[i - 1][1] > s:  # a span starting inside a token
            i -= 1
        while i < len(toks) and toks[i][0] < e:
            out.add(i)
            i += 1
    return frozenset(out)


def match(gold: list[frozenset[int]], pred: list[frozenset[int]], exact: bool) -> int:
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            ov = len(g & p)
            if not ov:
                continue
            ok = g == p if exact else (ov >= 0.5 * len(g) and ov >= 0.5 * len(p))
            if ok:
                pairs.append((ov, i, j))
    pairs.sort(reverse=True)
    gi: set[int] = set()
    pj: set[int] = set()
    for _ov, i, j in pairs:
        if i not in gi and j not in pj:
            gi.add(i)
            pj.add(j)
    return len(gi)


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return 100 * p, 100 * r, 100 * f


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--limit", type=int, default=0, help="random subsample of N articles (seed 0)")
    ap.add_argument("--broad", action="store_true",
                    help="also extract evaluative speech acts and intentions (not statements in saidwhen's sense)")
    ap.add_argument("--clean", action="store_true", help="run the clean stage first (saidwhen.clean.clean_text)")
    ap.add_argument("--attribution", default="fast", choices=["fast", "accurate"],
                    help="rules only (fast) or the trained span model + rules (accurate)")
    ap.add_argument("--beliefs", action="store_true",
                    help="accurate mode: keep thinking-verb attributions (kind 'belief'; PolNeAR annotates them)")
    ap.add_argument("--show", type=int, default=0, help="print N missed/spurious content spans (not saved)")
    args = ap.parse_args(argv)

    arts = load(args.data_dir, args.split)
    if args.limit:
        arts = random.Random(0).sample(arts, min(args.limit, len(arts)))
    if args.clean:
        from saidwhen.clean import clean_text

        cleaned = [clean_text(text) for _n, text, _g, _p in arts]
    else:
        cleaned = [CleanText(text, list(range(len(text) + 1))) for _n, text, _g, _p in arts]
    docs = [
        Document(id=name, source_path=name, source_key=name, text=text, clean=clean, published=pub)
        for (name, text, _g, pub), clean in zip(arts, cleaned, strict=True)
    ]
    from saidwhen.nlp import load_nlp

    nlp = load_nlp(disable=DISABLE)
    list(nlp.pipe(["Warm up the pipeline, he said."]))
    registry = SpeakerRegistry()
    if args.attribution == "accurate":
        from saidwhen.statements.accurate import load_tagger, model_problem

        if problem := model_problem():
            print(problem, file=sys.stderr)
            return 2
        load_tagger()
    t0 = time.process_time()
    w0 = time.perf_counter()
    results = list(extract_attributions(docs, nlp, registry=registry, broad=args.broad,
                                        attribution=args.attribution, beliefs=args.beliefs))
    cpu = time.process_time() - t0
    wall = time.perf_counter() - w0

    counts = {k: [0, 0, 0] for k in ("content_exact", "content_50", "source_exact", "source_50")}
    by_kind: dict[str, list[int]] = {}  # statement kind: [predictions overlapping a gold content >= 50%, all]
    speech = [0, 0, 0]  # gold attributions with a speech cue: found exact, found 50%, total
    shown = 0
    for (_name, text, gold, _pub), (_doc, attrs) in zip(arts, results, strict=True):
        toks = tokens(text)
        starts = [s for s, _e in toks]
        g_content = [tokset(toks, starts, c) for c in gold.content]
        p_content = [tokset(toks, starts, a.content) for a in attrs]
        g_source = [tokset(toks, starts, s) for s in gold.source]
        p_source = list({tokset(toks, starts, [a.source]) for a in attrs if a.source})
        for kind, g, p in (("content", g_content, p_content), ("source", g_source, p_source)):
            g = [x for x in g if x]
            p = [x for x in p if x]
            for exact, key in ((True, f"{kind}_exact"), (False, f"{kind}_50")):
                counts[key][0] += match(g, p, exact)
                counts[key][1] += len(p)
                counts[key][2] += len(g)
        for a, ps in zip(attrs, p_content, strict=True):
            ok = any(len(g & ps) >= 0.5 * max(len(g), len(ps)) for g in g_content if g) if ps else False
            by_kind.setdefault(a.statement.kind, [0, 0])
            by_kind[a.statement.kind][0] += ok
            by_kind[a.statement.kind][1] += 1
        for g, cue in zip(g_content, gold.cue, strict=True):
            last = cue.lower().split()[-1] if cue.split() else ""
            if not g or not (cues.is_speech(last) or cue.lower() == "according to" or cue == ":"):
                continue
            speech[2] += 1
            speech[0] += any(g == p for p in p_content)
            speech[1] += any(len(g & p) >= 0.5 * max(len(g), len(p)) for p in p_content)
        if args.show and shown < args.show:
            for a in attrs:
                ps = tokset(toks, starts, a.content)
                if ps not in g_content and shown < args.show:
                    shown += 1
                    best = max(g_content, key=lambda g, ps=ps: len(g & ps), default=frozenset())
                    gtxt = " ".join(text[toks[i][0]:toks[i][1]] for i in sorted(best)) if best & ps else "-"
                    print(f"PRED [{a.statement.kind}] {text[a.statement.start:a.statement.end][:160]!r}\n"
                          f"GOLD {gtxt[:160]!r}\n", file=sys.stderr)

    flags = (("broad mode", args.broad), ("clean stage", args.clean), ("beliefs kept", args.beliefs))
    mode = f" [attribution {args.attribution}]" + "".join(f" ({m})" for m, on in flags if on)
    print(f"PolNeAR {args.split}{mode}: {len(arts)} articles, {sum(len(a) for _d, a in results)} statements")
    print(f"{'':16}{'P':>7}{'R':>7}{'F1':>7}")
    for key, (tp, n_pred, n_gold) in counts.items():
        p, r, f = prf(tp, n_pred, n_gold)
        print(f"{key:16}{p:7.1f}{r:7.1f}{f:7.1f}   (tp {tp}, pred {n_pred}, gold {n_gold})")
    print(f"recall on speech-cue attributions only ({speech[2]} gold, cue = speech verb, 'according to' or ':'): "
          f"exact {100 * speech[0] / max(1, speech[2]):.1f}, 50% {100 * speech[1] / max(1, speech[2]):.1f}")
    print("precision by kind (>= 50% overlap with some gold content): " + ", ".join(
        f"{k} {100 * ok / n:.1f} ({n})" for k, (ok, n) in sorted(by_kind.items())))
    print(f"speed: {len(arts) / cpu:.1f} articles/s CPU time on one core "
          f"({len(arts) / wall:.1f}/s wall), extraction stage only")
    print("anchors (PolNeAR test, exact): CofeNet BERT content 72.9 / source 83.2; CoreNLP 17.5 / 13.9")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
