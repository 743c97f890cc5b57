"""Recall of the parse prefilter (`saidwhen.statements.prefilter`) on PolNeAR gold attributions.

    python benchmarks/prefilter_recall.py ../shared/bench/polnear [--split dev|train] [--show N]

Reported speech is only found in sentences that are parsed. The cue lexicon alone sends a sentence to the
parser when it holds a cue word outside quotes and outside attributed quote frames; the prefilter's checks
then drop cue words whose neighbours rule them out ("the state", "United States", "was charged with").

- *Statements* (the target, >= 0.99): the gold attributions that extraction finds (a statement whose content
  overlaps the gold content by >= 50% of both, as `polnear_eval.py` scores) when every sentence with a cue
  word is parsed, and how many of them it still finds with the checks.
- *Cues*: the gold attributions whose own cue holds a cue word that makes the lexicon parse its sentence,
  and how many of these sentences the checks still parse (PolNeAR also annotates attributions that
  saidwhen never extracts, e.g. agentless passives, so this is lower).
- the share of the words each mode parses.

`--show N` prints N lost statements and cues (stderr).
"""

from __future__ import annotations

import argparse
import bisect
import sys
from pathlib import Path

from polnear_eval import load, read_brat, tokens, tokset
from saidwhen.model import CleanText, Document
from saidwhen.nlp import load_nlp
from saidwhen.statements import SpeakerRegistry
from saidwhen.statements.extract import DISABLE, analyse, resolve, to_attributions
from saidwhen.statements.prefilter import cue_words, sentences_to_parse
from saidwhen.statements.spans import Coverage


def gold_cues(folder: Path, name: str) -> list[tuple[int, int]]:
    """The cue span of each attribution of the first annotator (as `polnear_eval.py`; brat standoff:
    `T.. Cue s e[;s e]`, events name the cue)."""
    spans, events = read_brat(sorted(folder.glob(name + "_*.ann"))[0])
    return [(spans[e["Cue"]][0][0], spans[e["Cue"]][-1][1]) for e in events if e.get("Cue") in spans]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args(argv)

    arts = load(args.data_dir, args.split)
    nlp = load_nlp(disable=DISABLE)
    total = own = own_kept = found_lexicon = found_both = 0
    words = {"all": 0, "lexicon": 0, "checks": 0}
    shown = 0
    registries = {True: SpeakerRegistry(), False: SpeakerRegistry()}
    for name, text, gold, published in arts:
        doc = Document(id=name, source_path=name, source_key=name, text=text, published=published,
                       clean=CleanText(text, list(range(len(text) + 1))))
        toks = tokens(text)
        starts = [s for s, _e in toks]
        g_content = [tokset(toks, starts, c) for c in gold.content]
        found: dict[bool, set[int]] = {}
        for checks in (False, True):
            [(p, cands)] = analyse([doc], nlp, checks=checks)
            attrs = to_attributions(p, resolve(p, cands, registries[checks]))
            pred = [tokset(toks, starts, a.content) for a in attrs]
            found[checks] = {i for i, g in enumerate(g_content) if g and any(
                len(g & q) >= 0.5 * len(g) and len(g & q) >= 0.5 * len(q) for q in pred)}
            words["lexicon" if not checks else "checks"] += sum(len(p.text[s:e].split()) for s, e in p.targets)
        words["all"] += sum(len(p.text[s:e].split()) for para in p.sents for s, e in para)
        found_lexicon += len(found[False])
        found_both += len(found[False] & found[True])
        for i in sorted(found[False] - found[True])[: max(0, args.show - shown)]:
            shown += 1
            print(f"LOST STATEMENT {name}: {' '.join(text[s:e] for s, e in gold.content[i])[:160]!r}", file=sys.stderr)

        # cues: does the prefilter still parse the sentence the gold cue's own cue word sends to the parser?
        covered = Coverage((q.start, q.end) for q in p.quotes)
        used = Coverage(c.cue_span for c in p.cands if c.cue_span is not None)
        lexicon = set(sentences_to_parse(p.text, p.sents, p.quotes, p.cands, checks=False))
        flat = sorted(s for para in p.sents for s in para)
        sent_starts = [s for s, _e in flat]
        for cs, ce in gold_cues(args.data_dir / args.split / "attributions", name):
            total += 1
            i = bisect.bisect_right(sent_starts, cs) - 1
            sent = flat[i] if i >= 0 and flat[i][0] <= cs < flat[i][1] else None
            if sent is None or sent not in lexicon or not any(
                    cs <= s < ce for s, _e in cue_words(p.text, sent, covered, used)):
                continue
            own += 1
            if sent in p.targets:
                own_kept += 1
            elif shown < args.show:
                shown += 1
                print(f"LOST CUE {name}: {p.text[cs:ce]!r} in {p.text[sent[0]:sent[1]][:200]!r}", file=sys.stderr)

    print(f"PolNeAR {args.split}: {len(arts)} articles, {total} gold attributions")
    print(f"prefilter recall, statements: {found_both}/{found_lexicon} = {found_both / max(found_lexicon, 1):.4f} of the "
          f"gold attributions found when every sentence with a cue word is parsed are still found")
    print(f"prefilter recall, cues: {own_kept}/{own} = {own_kept / max(own, 1):.4f} of the gold cues holding a cue word "
          f"that sends their sentence to the parser still do")
    print(f"words parsed: every sentence with a cue word {100 * words['lexicon'] / max(words['all'], 1):.1f}% of the "
          f"text, with the checks {100 * words['checks'] / max(words['all'], 1):.1f}% ({words['all']:,} words in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
