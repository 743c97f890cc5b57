"""saidwhen: who said what, when — with the evidence.

The Python API (documented in docs/python.md; implemented in `saidwhen.library`):

    import saidwhen
    result = saidwhen.analyze(["articles/"])        # in memory -> Analysis
    result.statements.to_pandas()
    corpus = saidwhen.open("news.db")                # a store -> Corpus
    corpus.ingest(["articles/"])
    corpus.statements(speaker="Maria Lindqvist").to_arrow()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Analysis", "ClaimHistoryRow", "Corpus", "Records", "Speaker", "Timeline", "analyze", "open"]

if TYPE_CHECKING:
    from saidwhen.library import Analysis, Corpus, Timeline, analyze, open
    from saidwhen.records import ClaimHistoryRow, Records, Speaker


def __getattr__(name: str) -> Any:
    """The API is imported on first use, so `import saidwhen.<module>` (workers, the CLI) stays light."""
    if name in ("Analysis", "Corpus", "Timeline", "analyze", "open"):
        from saidwhen import library

        return getattr(library, name)
    if name in ("ClaimHistoryRow", "Records", "Speaker"):
        from saidwhen import records

        return getattr(records, name)
    raise AttributeError(f"module 'saidwhen' has no attribute {name!r}")
