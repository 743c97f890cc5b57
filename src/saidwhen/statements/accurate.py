"""`--attribution accurate`: the trained span model and the rules together.

The mode is process-wide (`SAIDWHEN_ATTRIBUTION=fast|accurate`, set by the CLI's `--attribution`), so
worker processes inherit it; `extract.analyse` asks `attribution_mode()` and calls `model_candidates` and
`combine` here, its one hook. How they combine: quote-mark candidates of the rules stay as they are (exact
on direct quotes); where a model content extends a rule's reported-speech candidate (the rule stopped at a
comma or coordination), the model's boundaries replace the rule's and the rule keeps its cue and source;
model candidates the rules did not find are added when they have a source (recall). Candidates whose cue is a thinking verb get kind `belief` and are dropped unless
`beliefs=True` (PolNeAR annotates beliefs; saidwhen's default output is speech)."""

from __future__ import annotations

import importlib.util
import os
import re
from typing import TYPE_CHECKING

from saidwhen.statements import cues
from saidwhen.statements.base import Candidate, Span
from saidwhen.statements.span_features import cue_class
from saidwhen.statements.span_model import MODEL_PATH, load_span_model, pair
from saidwhen.statements.transformer_tagger import ONNX_PATH, TOKENIZER_PATH, load_transformer_tagger

if TYPE_CHECKING:
    from spacy.language import Language

MODES = ("fast", "accurate")
MODE_ENV = "SAIDWHEN_ATTRIBUTION"
# the model's content boundaries instead of a rule's reported speech: measured on PolNeAR dev, it lowers the
# exact-match content F1 (the rules' clause boundaries are better than the CRF's), so only where the model's
# content extends the rule's (a clause cut at a comma or coordination)
REFINE_BOUNDARIES = False
# drop a rule's reported-speech candidate that no model content overlaps (the model as a second opinion)
CONFIRM_INDIRECT = False
# the shipped span model: "transformer" (MiniLM-L6 int8 ONNX, `transformer_tagger`) or "crf" (`span_model`)
TAGGER = "crf"
_WORTH = re.compile(r"[\"“”„«»:]|\baccording\b", re.IGNORECASE)


def attribution_mode() -> str:
    """'fast' (rules only, the default) or 'accurate' (span model + rules), from $SAIDWHEN_ATTRIBUTION."""
    mode = os.environ.get(MODE_ENV, "fast").strip().lower()
    return mode if mode in MODES else "fast"


def model_problem() -> str | None:
    """What is missing for the accurate mode (a package or the shipped weights), as an install hint; None if
    nothing (checked without loading the model, so the CLI can say it before any work starts)."""
    if TAGGER == "transformer":
        needs = {"onnxruntime": "onnxruntime", "tokenizers": "tokenizers"}
        files = [ONNX_PATH, TOKENIZER_PATH]
    else:
        needs, files = {"pycrfsuite": "python-crfsuite"}, [MODEL_PATH]
    missing = [pkg for mod, pkg in needs.items() if importlib.util.find_spec(mod) is None]
    if missing:
        return f"--attribution accurate needs {', '.join(missing)}: pip install {' '.join(missing)}"
    absent = [str(f) for f in files if not f.is_file()]
    if absent:
        return (f"--attribution accurate: the model file is missing ({', '.join(absent)}); reinstall saidwhen, "
                "or rebuild it with scripts/train-attribution.py / train-attribution-transformer.py")
    return None


def load_tagger():  # type: ignore[no-untyped-def]
    """The shipped span model (one per process); anything with `tag(doc, base) -> list[TaggedRun]`."""
    return load_transformer_tagger() if TAGGER == "transformer" else load_span_model()


def worth_tagging(text: str) -> bool:
    """A paragraph with a quote mark, a colon or a cue word (a content needs a cue in its paragraph)."""
    return bool(_WORTH.search(text)) or any(m.group(0).lower() in cues.CUE_WORDS
                                            for m in cues.WORD_RE.finditer(text))


def model_candidates(texts: list[str], paras: list[list[Span]], nlp: Language) -> list[list[Candidate]]:
    """The span model's candidates of each text (paragraphs with a possible cue, parsed and tagged)."""
    model = load_tagger()
    # the CRF's features need the tagger, which the rules' pipeline leaves disabled (another pipeline may lack
    # it); the transformer needs the sentences only
    tagger = nlp.get_pipe("tagger") if TAGGER == "crf" and "tagger" in nlp.component_names \
        and "tagger" not in nlp.pipe_names else None
    jobs = [(texts[i][s:e], (i, s)) for i, ps in enumerate(paras) for s, e in ps
            if worth_tagging(texts[i][s:e])]
    out: list[list[Candidate]] = [[] for _ in texts]
    for doc, (i, s) in nlp.pipe(jobs, as_tuples=True, batch_size=64):
        if tagger is not None:
            doc = tagger(doc)
        out[i].extend(pair(texts[i], doc, model.tag(doc, s)))
    return out


def combine(rules: list[Candidate], model: list[Candidate], beliefs: bool = False) -> list[Candidate]:
    """The rules' candidates refined and completed by the model's (see the module docstring)."""
    for r in rules:
        if r.kind == "indirect" and r.cue and cue_class(r.cue.split()[-1].lower()) == "attitude":
            r.kind = "belief"
    out = [r for r in rules if beliefs or r.kind != "belief"]
    for m in model:
        if m.kind == "belief" and not beliefs:
            continue
        hits = [r for r in out if any(r.overlaps(span) for span in m.content)]
        if any(r.kind != "indirect" for r in hits):
            continue
        if hits:
            r = hits[0]
            longer = m.start <= r.start and m.end > r.end + 1  # the rule stopped early ("…, had completed …")
            if (REFINE_BOUNDARIES or longer) and len(hits) == 1 and r.source and r.kind == "indirect" \
                    and not any(s <= r.source[0] < e for s, e in m.content):
                r.content = m.content
                r.flags.add("model")
            continue
        # an added attribution needs its source ("Tell him why …" has none). Requiring a lexicon cue word as
        # well was measured (PolNeAR dev): indirect precision 77.6 -> 81.0 but content F1 (50%) 65.9 -> 63.4,
        # no better than the rules alone, so the model's own cues are kept
        if m.source is not None:
            out.append(m)
    if CONFIRM_INDIRECT:
        out = [r for r in out if r.kind != "indirect" or "model" in r.flags
               or any(r.overlaps(span) for m in model for span in m.content)]
    out.sort(key=lambda c: c.start)
    return out
