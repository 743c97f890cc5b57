"""Cross-document merging: near-duplicate articles, one statement across outlets, events, claims.

Every component is incremental (`add` one item at a time, answers never change once given except that a
group becomes reportable when its second member arrives), sub-quadratic (LSH / posting-list candidates,
never all pairs) and serialisable (`to_state() -> bytes`, `from_state(bytes)`), so a store can persist it
and merge new articles without reprocessing the corpus.

Per-item state is compact (`_columns`): strings in UTF-8 buffers, stems as vocabulary codes, groups as
linked lists in integer arrays, id lookups through hashes in sorted arrays; a new statement is scored
against all its candidates at once (`_similarity.StemSets`, exactly `lexical_similarity`).
"""

from saidwhen.merge._similarity import Similarity, lexical_similarity
from saidwhen.merge.claims import ClaimLinker
from saidwhen.merge.corpus import CorpusMerger, MergeResult, MergeUpdate, document_day, merge_corpus
from saidwhen.merge.duplicates import DuplicateIndex
from saidwhen.merge.events import EventGrouper, find_place
from saidwhen.merge.statements import StatementMerger

__all__ = [
    "ClaimLinker",
    "CorpusMerger",
    "DuplicateIndex",
    "EventGrouper",
    "MergeResult",
    "MergeUpdate",
    "Similarity",
    "StatementMerger",
    "document_day",
    "find_place",
    "lexical_similarity",
    "merge_corpus",
]
