"""Cross-document grouping on Spark, reproducing `saidwhen.merge.merge_corpus` with joins.

Each local component adds items one at a time (documents in ingest order, each with its statements) and
attaches a new item to its *best earlier candidate*; groups are the trees this builds, named after their
first item. Here the same happens set-wise:

1. per row (executor): the component's own features — shingles/MinHash/LSH band keys (`merge._index`),
   content stems, entities — computed by the `saidwhen.merge` functions with the component's parameters;
2. candidates: a self-join on the posting keys the local index uses (band keys; (speaker block, week,
   stem); (entity or band, day)), restricted to earlier items, with the local hit counts and the local cap
   on candidates (`max_candidates`, best hit counts first);
3. verification (executor): the local score and threshold; the best candidate (ties: the earlier one in the
   local candidate order) becomes the parent;
4. pointer jumping turns parents into roots: `duplicate_of`, `event_id`, `merged_id`, `claim_id`; the
   records (events, claims, merged statements) are built per group.

Nothing is collected to the driver. Known differences from the local run: a key yields its 200 newest
entries on both sides, but the local `KeyIndex` caps its compacted arrays and its recent buffer separately
(past 50 000 postings); float sums of idf weights may add up in another order (last-bit differences).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from saidwhen.spark.group_documents import duplicate_links, event_groups
from saidwhen.spark.group_statements import claim_groups, statement_groups

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

DOCS_IN = "id string, pos bigint, text string, title string, day int"
STATEMENTS_IN = "id string, document_id string, pos bigint, speaker string, text string, day int"


# --- all together ----------------------------------------------------------------------------------------


@dataclass
class CrossDoc:
    documents: DataFrame  # id, duplicate_of, event_id
    statements: DataFrame  # id, merged_id, claim_id
    events: DataFrame
    claims: DataFrame
    merged: DataFrame


def cross_document(docs: DataFrame, statements: DataFrame) -> CrossDoc:
    """All four groupings. `docs`: DOCS_IN (text = cleaned text, day = `merge.document_day` ordinal);
    `statements`: STATEMENTS_IN (pos orders them like the local run: by document, then within it;
    day = statement date, else the document day)."""
    from pyspark.sql import functions as F

    dups = duplicate_links(docs).cache()
    event_links, events = event_groups(docs, dups)
    roots = dups.select(F.col("id").alias("document_id"), F.coalesce("duplicate_of", "id").alias("doc_root"))
    st = statements.join(roots, "document_id", "left")
    merged_links, merged, firsts = statement_groups(st)
    claim_links, claims = claim_groups(statements, firsts)
    return CrossDoc(
        documents=dups.join(event_links, "id"),
        statements=merged_links.join(claim_links, "id"),
        events=events,
        claims=claims,
        merged=merged,
    )
