"""Statement extraction: direct quotes, reported speech, and who said them.

`extract_statements(docs, nlp)` streams `(Document, [Statement])` in input order. It works on
`doc.clean.text` (identity map when the clean stage is absent) and maps every span back with
`CleanText.to_original`, so `doc.text[s.start:s.end]` is the evidence.

`extract_attributions` yields the same statements wrapped in `Attribution` with the spans a benchmark
needs, all in `Document.text`: `content` = the content fragments (a direct quote with its marks; a split
quote `"A," he said, "B"` as two fragments; reported speech as the clause incl. "that", without final
punctuation) -- `Statement.start/end` cover the first to the last fragment; `source` = the speaker
mention as written (with an appositive: "Jens Stoltenberg, NATO's secretary general,"); `cue` = the verb
or mark. `SpeakerRegistry` keeps canonical speakers, aliases and role bindings across the corpus.

Modules: `segment` (paragraphs, sentences, the analysis text), `quotes` (quote marks and frames),
`direct` (direct-quote candidates, headlines), `reported` (dependency rules), `cues` (lexicon),
`speakers` (resolution inside an article), `registry` (corpus-wide people and roles), `extract`.

Pass `nlp=None` (or `load_nlp(disable=NLP_DISABLE)`): only the parser is needed.
"""

from __future__ import annotations

from saidwhen.statements.extract import DISABLE as NLP_DISABLE
from saidwhen.statements.extract import Attribution, extract_attributions, extract_statements
from saidwhen.statements.registry import SpeakerRegistry

__all__ = ["NLP_DISABLE", "Attribution", "SpeakerRegistry", "extract_attributions", "extract_statements"]
