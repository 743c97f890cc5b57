"""Score saidwhen's resolved speakers against hand-annotated PolNeAR dev attributions.

    python benchmarks/speakers_eval.py /work/shared/bench/polnear [--gold FILE] [--show N]

Gold: `benchmarks/data/speakers/polnear_dev_speakers.tsv` (508 attributions, 41 dev articles, used to tune
the rules) by default; `--gold benchmarks/data/speakers/polnear_dev_speakers_heldout.tsv` scores the held-out
set (288 attributions, 10 other dev articles, never used for tuning). Offsets and labels only, guidelines in
the README beside them. The articles are read from the PolNeAR folder given.
A statement matches a gold attribution when their content spans share at least half of each one's tokens
(one-to-one, best overlap first). On matched statements the resolved speaker is *correct*, *null* (no
speaker, or an unnamed label where the article names the source) or *wrong*; the figures are printed
overall, by mention kind (name, surname, pronoun, role, description) and by gold type.
`--show N` prints N wrong or null cases to stderr (nothing is saved).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from polnear_eval import tokens, tokset  # noqa: E402
from saidwhen.model import CleanText, Document  # noqa: E402
from saidwhen.statements import SpeakerRegistry, cues, extract_attributions  # noqa: E402
from saidwhen.statements.extract import DISABLE  # noqa: E402
from saidwhen.statements.registry import name_key  # noqa: E402

GOLD = Path(__file__).resolve().parent / "data" / "speakers" / "polnear_dev_speakers.tsv"
UNNAMED = " (unnamed)"
_PRONOUNS = set(cues.PERSON_PRONOUNS) | cues.GROUP_PRONOUNS | {
    "his", "its", "their", "our", "my", "it", "who", "which", "that", "this"}


def spans(field: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (p.split(":") for p in field.split(";"))]


def norm(name: str) -> str:
    name = name.replace("’", "'").strip().strip(".,\"'")
    name = re.sub(r"'s?$", "", name)
    name = re.sub(r"(?i)^the\s+", "", name)
    return name_key(name)


def heads(label: str) -> set[str]:
    """The head nouns of a description: its last word, and the word before "of" ("52 percent of voters")."""
    words = label.removesuffix(UNNAMED).lower().split()
    out = {words[-1]} if words else set()
    if "of" in words[1:]:
        out.add(words[words.index("of", 1) - 1])
    return {w.removesuffix("s") for w in out}


def mention_kind(text: str) -> str:
    words = text.replace("’", "'").split()
    low = [w.lower().strip(".,") for w in words]
    if len(low) == 1 and (low[0] in _PRONOUNS or low[0].removesuffix("'s") in _PRONOUNS):
        return "pronoun"
    caps = [w for w in words if w[:1].isupper() and w.lower().strip(".,") not in {"the", "a", "an"}]
    named = [w for w in caps if w.lower().strip(".,'s") not in cues.ROLE_WORDS and not w.isupper()]
    if len(named) >= 2:
        return "name"
    if len(named) == 1 and len(words) <= 2:
        return "surname"
    if any(w in cues.ROLE_WORDS for w in low):
        return "role"
    return "description"


def judge(pred: str | None, gold: str, surnames: Counter, gold_type: str = "") -> str:
    """correct | null | wrong, for one matched statement."""
    alts = gold.split("|")
    if gold == "-":
        return "correct" if pred is None or pred.endswith(UNNAMED) else "wrong"
    if pred is None:
        return "null"
    if pred.endswith(UNNAMED):
        unnamed = [a for a in alts if a.endswith(UNNAMED)]
        if any(heads(a) & heads(pred) for a in unnamed):
            return "correct"
        return "wrong" if unnamed else "null"
    p = norm(pred)
    caps = {w.strip(".,'’").lower() for w in pred.split() if w[:1].isupper()}
    if gold_type == "document" and caps and any(
            heads(a) & heads(pred) and caps <= {w.strip(".,'’").lower() for w in a.split()} for a in alts):
        return "correct"  # "Reuters/Ipsos opinion poll" for "Reuters/Ipsos poll"
    for alt in alts:
        if alt.endswith(UNNAMED):
            continue
        a = norm(alt)
        if p == a:
            return "correct"
        if a.endswith(" " + p) and surnames[p.split()[-1]] <= 1:
            return "correct"  # "Trump" for "Donald Trump" when the article has one Trump
        parts_g = [norm(x) for x in re.split(r"\s+and\s+", alt)]
        parts_p = [norm(x) for x in re.split(r"\s+and\s+", pred)]
        if len(parts_g) > 1 and len(parts_g) == len(parts_p) and all(
                g == q or g.endswith(" " + q) for g, q in zip(sorted(parts_g, key=lambda s: s.split()[-1]),
                                                            sorted(parts_p, key=lambda s: s.split()[-1]), strict=True)):
            return "correct"
    return "wrong"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args(argv)

    rows = list(csv.DictReader(args.gold.open(encoding="utf-8"), delimiter="\t"))
    by_article: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_article[r["article"]].append(r)
    docs = []
    for name in sorted(by_article):
        text = (args.data_dir / "dev" / "text" / f"{name}.txt").read_text(encoding="utf-8")
        m = re.search(r"_(\d{4}-\d{2}-\d{2})_", name)
        docs.append(Document(id=name, source_path=name, source_key=name, text=text,
                             clean=CleanText(text, list(range(len(text) + 1))),
                             published=date.fromisoformat(m.group(1)) if m else None))
    from saidwhen.nlp import load_nlp

    results = list(extract_attributions(docs, load_nlp(disable=DISABLE), registry=SpeakerRegistry()))

    tally: Counter = Counter()
    by_kind: dict[str, Counter] = defaultdict(Counter)
    by_type: dict[str, Counter] = defaultdict(Counter)
    type_ok = Counter()
    shown = 0
    for doc, attrs in results:
        text = doc.text
        toks = tokens(text)
        starts = [s for s, _e in toks]
        gold = by_article[doc.id]
        people = {norm(g["speaker"].split("|")[0]) for g in gold if g["type"] == "person"} - {""}
        surnames = Counter(a.split()[-1] for a in people)  # distinct people per surname, not rows
        g_sets = [tokset(toks, starts, spans(g["content"])) for g in gold]
        p_sets = [tokset(toks, starts, a.content) for a in attrs]
        pairs = sorted(((len(g & p), i, j) for i, g in enumerate(g_sets) for j, p in enumerate(p_sets)
                        if g & p and len(g & p) >= 0.5 * len(g) and len(g & p) >= 0.5 * len(p)), reverse=True)
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _ov, i, j in pairs:
            if i in used_g or j in used_p:
                continue
            used_g.add(i)
            used_p.add(j)
            g, st = gold[i], attrs[j].statement
            src = spans(g["source"])
            kind = mention_kind(" ".join(text[s:e] for s, e in src))
            verdict = judge(st.speaker, g["speaker"], surnames, g["type"])
            tally[verdict] += 1
            by_kind[kind][verdict] += 1
            by_type[g["type"]][verdict] += 1
            type_ok[getattr(st, "speaker_type", None) == g["type"]] += 1
            if verdict != "correct" and shown < args.show:
                shown += 1
                print(f"{verdict.upper():7} {doc.id[:40]} mention={' '.join(text[s:e] for s, e in src)!r} "
                      f"gold={g['speaker']!r} pred={st.speaker!r} ({getattr(st, 'speaker_type', None)}) "
                      f"written={st.speaker_mention!r}", file=sys.stderr)
        tally["gold"] += len(gold)

    matched = sum(tally[k] for k in ("correct", "null", "wrong"))

    def line(label: str, c: Counter) -> str:
        n = sum(c[k] for k in ("correct", "null", "wrong"))
        return (f"{label:14}{n:6}{c['correct'] / max(1, n):10.3f}{c['null'] / max(1, n):8.3f}"
                f"{c['wrong'] / max(1, n):8.3f}")

    print(f"Speakers on PolNeAR dev (hand-annotated, real news; {args.gold.name}): {len(docs)} articles, "
          f"{tally['gold']} gold attributions, {matched} matched by a statement ({matched / max(1, tally['gold']):.1%})")
    print(f"{'':14}{'n':>6}{'accuracy':>10}{'null':>8}{'wrong':>8}")
    print(line("all", tally))
    for kind in ("name", "surname", "pronoun", "role", "description"):
        print(line(f"  {kind}", by_kind[kind]))
    for typ in ("person", "organisation", "group", "document", "anonymous", "unknown"):
        print(line(f"  [{typ}]", by_type[typ]))
    print(f"speaker_type equal to the gold type on {type_ok[True] / max(1, matched):.3f} of matched statements")
    print("targets: accuracy >= 0.92, null <= 0.05, wrong <= 0.03")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
