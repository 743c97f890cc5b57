"""Statement extraction: direct quotes, reported speech, and who said them.

`extract_statements(docs, nlp)` streams `(Document, [Statement])`; `extract_attributions` yields the same
with content fragments, source (speaker mention) and cue spans in the original text, for evaluation.
`SpeakerRegistry` keeps canonical speakers, aliases and role bindings across the corpus.
"""

from __future__ import annotations

from saidwhen.statements.extract import Attribution, extract_attributions, extract_statements
from saidwhen.statements.registry import SpeakerRegistry

__all__ = ["Attribution", "SpeakerRegistry", "extract_attributions", "extract_statements"]
