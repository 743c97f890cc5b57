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

Nothing is collected to the driver. Known differences from the local run: the local posting lists keep at
most 200 entries per key (`KeyIndex.max_bucket`), Spark keeps all; float sums of idf weights may add up in
another order (last-bit differences).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from saidwhen.merge import (
    ClaimLinker,
    DuplicateIndex,
    EventGrouper,
    StatementMerger,
    find_place,
    lexical_similarity,
)
from saidwhen.merge._index import MinHasher, band_keys
from saidwhen.merge._text import content_stems, normalise, shingle_hashes, string_hash64, token_hashes, tokens
from saidwhen.merge._text import entities as find_entities
from saidwhen.merge.duplicates import _containment
from saidwhen.merge.events import _display
from saidwhen.merge.statements import _features
from saidwhen.model import stable_id
from saidwhen.spark import grouping

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

NODATE = -(2**31)
_MASK63 = (1 << 63) - 1

DOCS_IN = "id string, pos bigint, text string, title string, day int"
STATEMENTS_IN = "id string, document_id string, pos bigint, speaker string, text string, day int"


def _signed(keys: np.ndarray) -> list[int]:
    return np.asarray(keys, dtype=np.uint64).view(np.int64).tolist()


def _u64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


# --- near-duplicate documents ------------------------------------------------------------------------


def _dup_features(rows: Iterable[Any], params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    hasher = MinHasher(params["num_perm"], params["seed"])
    for r in rows:
        hashes = shingle_hashes(tokens(r.text or ""), params["shingle"])
        sig = hasher.signature(hashes)
        keys = _signed(band_keys(sig, params["bands"], params["rows"])) if len(hashes) else []
        yield r.id, r.pos, sig.tobytes(), len(hashes), keys


def _dup_score(params: dict[str, Any]) -> Callable[[Any], float | None]:
    def score(r: Any) -> float | None:
        jac = float(np.mean(np.frombuffer(r.l_sig, np.uint32) == np.frombuffer(r.e_sig, np.uint32)))
        cont = float(_containment(jac, r.l_size, np.array([r.e_size]))[0])
        ok = jac >= params["threshold"] or (
            cont >= params["containment"] and min(r.l_size, r.e_size) >= params["min_containment_shingles"]
        )
        return max(jac, cont) if ok else None

    return score


def duplicate_links(docs: DataFrame, params: dict[str, Any] | None = None) -> DataFrame:
    """(id, duplicate_of) for every document (id, pos, text = cleaned text), as `DuplicateIndex.add`."""
    from pyspark.sql import functions as F

    params = {**DuplicateIndex().params, **(params or {})}
    spark = docs.sparkSession
    feats = spark.createDataFrame(
        docs.select("id", "pos", "text").rdd.mapPartitions(lambda rows: _dup_features(rows, params)),
        "id string, pos bigint, sig binary, size int, keys array<bigint>",
    ).localCheckpoint()
    postings = feats.select("id", "pos", F.explode("keys").alias("key"))
    index = postings.toDF("early", "early_pos", "key")
    query = postings.toDF("late", "late_pos", "key")
    # no hit counts here: `DuplicateIndex` breaks score ties by position only
    cands = grouping.payload(
        grouping.candidates(index, query).withColumn("count", F.lit(0)), feats, ["sig", "size"]
    )
    parents = grouping.best_parents(grouping.scored(cands, _dup_score(params)))
    roots = grouping.roots(docs, parents)
    return roots.select("id", F.when(F.col("root") != F.col("id"), F.col("root")).alias("duplicate_of"))


# --- events -------------------------------------------------------------------------------------------


def _event_features(rows: Iterable[Any], params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    hasher = MinHasher(params["num_perm"], params["seed"])
    for r in rows:
        text = r.text or ""
        ents = list(dict.fromkeys(find_entities(text, params["max_entities"])))
        sig = hasher.signature(token_hashes(sorted(set(content_stems(text)))))
        place, weight = find_place(text)
        keys = [_u64(string_hash64("e", e)) for e in ents] + _signed(
            band_keys(sig, params["bands"], params["rows"], salt=1)
        )
        title = r.title.strip() if r.title and r.title.strip() else None
        yield r.id, r.pos, r.day, r.duplicate_of, ents, sig.tobytes(), place, weight, title, keys


def _event_score(params: dict[str, Any]) -> Callable[[Any], float | None]:
    ew = params["entity_weight"]

    def score(r: Any) -> float | None:
        jac = float(np.mean(np.frombuffer(r.l_sig, np.uint32) == np.frombuffer(r.e_sig, np.uint32)))
        n = r.late_pos + 1
        mine, theirs = set(r.l_ents), set(r.e_ents)
        df = r.df or {}
        if mine or theirs:
            w = {k: math.log(1.0 + n / (df.get(k, 0) + 1.0)) for k in mine | theirs}
            ent = sum(w[k] for k in mine & theirs) / sum(w.values())
        else:
            ent = 0.0
        s = ew * ent + (1.0 - ew) * min(1.0, 2.0 * jac)
        return s if s >= params["threshold"] else None

    return score


def _event_record(
    root: str, members: list[Any], words_display: Callable[[str], str] = _display
) -> tuple[Any, ...]:
    """The events table row for one group, as `EventGrouper._record` builds it (members in add order)."""
    members = sorted(members, key=lambda m: m.pos)
    days = Counter(m.day for m in members if m.day is not None)
    day = min(days, key=lambda d: (-days[d], d)) if days else None
    places: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for i, m in enumerate(members):
        if m.place:
            places[m.place] += int(m.weight)
            first_seen.setdefault(m.place, i)
    place = min(places, key=lambda p: (-places[p], first_seen[p])) if places else None
    title = next((m.title for m in members if m.title), None)
    if title is None:
        counts: Counter[str] = Counter(e for m in members for e in m.ents)
        top = sorted(counts, key=lambda k: (-counts[k], k))[:3]
        title = ", ".join(words_display(w) for w in top) or "(untitled)"
    return (
        stable_id(root, prefix="e"),
        date.fromordinal(day).isoformat() if day is not None else None,
        title,
        place,
        [m.id for m in members],
    )


def event_groups(
    docs: DataFrame, duplicates: DataFrame, params: dict[str, Any] | None = None
) -> tuple[DataFrame, DataFrame]:
    """((id, event_id), events table) for documents (id, pos, text, title, day) and their duplicate links."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    params = {**EventGrouper().params, **(params or {})}
    spark = docs.sparkSession
    source = docs.select("id", "pos", "text", "title", "day").join(duplicates, "id")
    feats = spark.createDataFrame(
        source.rdd.mapPartitions(lambda rows: _event_features(rows, params)),
        "id string, pos bigint, day int, duplicate_of string, ents array<string>, sig binary, place string, "
        "weight int, title string, keys array<bigint>",
    ).localCheckpoint()

    dated = feats.where(F.col("day").isNotNull())
    index = dated.select(
        F.col("id").alias("early"),
        F.col("pos").alias("early_pos"),
        F.explode("keys").alias("k"),
        F.col("day"),
    ).select("early", "early_pos", F.struct("k", "day").alias("key"))
    window = params["window_days"]
    query = (
        dated.where(F.col("duplicate_of").isNull())
        .select(
            F.col("id").alias("late"),
            F.col("pos").alias("late_pos"),
            F.explode("keys").alias("k"),
            F.explode(F.sequence(F.col("day") - window, F.col("day") + window)).alias("day"),
        )
        .select("late", "late_pos", F.struct("k", "day").alias("key"))
    )
    cands = grouping.candidates(index, query, params["max_candidates"])

    # document frequency of each entity as of the late document's turn: postings before it, by position
    pair_ents = grouping.payload(cands, feats, ["ents"]).select(
        "late", "early", "late_pos", F.explode(F.array_union("l_ents", "e_ents")).alias("ent")
    )
    postings = feats.select(F.explode("ents").alias("ent"), "pos")
    stream = postings.select(
        "ent",
        "pos",
        F.lit(1).alias("kind"),
        F.lit(None).cast("string").alias("late"),
        F.lit(None).cast("string").alias("early"),
    ).unionByName(
        pair_ents.select("ent", F.col("late_pos").alias("pos"), F.lit(0).alias("kind"), "late", "early")
    )
    before = Window.partitionBy("ent").orderBy("pos", "kind").rowsBetween(Window.unboundedPreceding, 0)
    dfs = (
        stream.withColumn("df", F.sum("kind").over(before))
        .where(F.col("kind") == 0)
        .groupBy("late", "early")
        .agg(F.map_from_entries(F.collect_list(F.struct("ent", "df"))).alias("df"))
    )
    scored = grouping.scored(
        grouping.payload(cands, feats, ["sig", "ents"]).join(dfs, ["late", "early"], "left"),
        _event_score(params),
    )
    best = grouping.best_parents(scored)
    same_as = feats.where(F.col("duplicate_of").isNotNull()).select(
        "id", F.col("duplicate_of").alias("parent")
    )
    roots = grouping.roots(feats, best.unionByName(same_as))

    members = feats.join(roots, "id").select(
        "root", F.struct("id", "pos", "day", "title", "place", "weight", "ents").alias("m")
    )
    events = spark.createDataFrame(
        members.rdd.map(lambda r: (r.root, r.m))
        .groupByKey()
        .map(lambda kv: _event_record(kv[0], list(kv[1]))),
        "id string, date string, title string, place string, document_ids array<string>",
    )
    links = roots.select("id", _stable(F.col("root"), "e").alias("event_id"))
    return links, events


# --- merged statements ---------------------------------------------------------------------------------


def _week(day: int) -> int:
    return day // 7 if day != NODATE else NODATE


def _statement_features(rows: Iterable[Any], params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    for r in rows:
        feats = _features(r.text or "")
        if r.speaker:
            block = "s\x1f" + normalise(r.speaker).strip()
        else:
            block = "d\x1f" + (r.doc_root or r.document_id)
        bh = string_hash64(block) & _MASK63
        day = r.day if r.day is not None else NODATE
        uniq = sorted(set(feats))
        own = [_u64(string_hash64(bh, _week(day), f)) for f in uniq]
        weeks = [NODATE] if day == NODATE else [day // 7 - 1, day // 7, day // 7 + 1]
        query = [_u64(string_hash64(bh, w, f)) for w in weeks for f in uniq]
        yield r.id, r.pos, bool(r.speaker), bh, day, feats, own, query


def _statement_score(params: dict[str, Any]) -> Callable[[Any], float | None]:
    def score(r: Any) -> float | None:
        if r.l_bh != r.e_bh:
            return None
        if r.l_day == NODATE:
            if r.e_day != NODATE:
                return None
        elif r.e_day == NODATE or abs(r.e_day - r.l_day) > params["window_days"]:
            return None
        threshold = params["threshold"] if r.l_named else params["anonymous_threshold"]
        s = lexical_similarity(list(r.l_feats), list(r.e_feats))
        return s if s >= threshold else None

    return score


def statement_groups(
    statements: DataFrame, params: dict[str, Any] | None = None
) -> tuple[DataFrame, DataFrame, DataFrame]:
    """((id, merged_id), merged table, (id, root)) for statements (id, document_id, pos, speaker, text, day,
    doc_root); `root` is the group's first report (`StatementMerger.first_of`)."""
    from pyspark.sql import functions as F

    params = {**StatementMerger().params, **(params or {})}
    spark = statements.sparkSession
    feats = spark.createDataFrame(
        statements.rdd.mapPartitions(lambda rows: _statement_features(rows, params)),
        "id string, pos bigint, named boolean, bh bigint, day int, feats array<string>, own array<bigint>, "
        "query array<bigint>",
    ).localCheckpoint()
    index = feats.select(
        F.col("id").alias("early"), F.col("pos").alias("early_pos"), F.explode("own").alias("key")
    )
    query = feats.select(
        F.col("id").alias("late"), F.col("pos").alias("late_pos"), F.explode("query").alias("key")
    )
    cands = grouping.payload(
        grouping.candidates(index, query, params["max_candidates"]), feats, ["bh", "day", "named", "feats"]
    )
    parents = grouping.best_parents(grouping.scored(cands, _statement_score(params)))
    roots = grouping.roots(feats, parents).localCheckpoint()
    sizes = roots.groupBy("root").count()
    grouped = roots.join(sizes, "root").where(F.col("count") > 1)
    merged_ids = grouped.select("id", _stable(F.col("root"), "m").alias("merged_id"))
    links = roots.select("id").join(merged_ids, "id", "left")
    members = grouped.join(statements.select("id", "speaker", "text"), "id").join(
        feats.select("id", "pos", "day"), "id"
    )
    merged = spark.createDataFrame(
        members.select("root", F.struct("id", "pos", "speaker", "text", "day").alias("m"))
        .rdd.map(lambda r: (r.root, r.m))
        .groupByKey()
        .map(lambda kv: _merged_record(kv[0], list(kv[1]))),
        "id string, speaker string, text string, date string, statement_ids array<string>",
    )
    return links, merged, roots


def _stable(col: Any, prefix: str) -> Any:
    """`model.stable_id(value, prefix=...)` as a Spark column (sha1 of the one part, 16 hex digits)."""
    from pyspark.sql import functions as F

    return F.concat(F.lit(prefix), F.substring(F.sha1(col), 1, 16))


def _merged_record(root: str, members: list[Any]) -> tuple[Any, ...]:
    members = sorted(members, key=lambda m: m.pos)
    days = [m.day for m in members if m.day != NODATE]
    return (
        stable_id(root, prefix="m"),
        members[0].speaker,
        members[0].text,
        date.fromordinal(min(days)).isoformat() if days else None,
        [m.id for m in members],
    )


# --- claims -------------------------------------------------------------------------------------------


def _claim_features(rows: Iterable[Any], params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    hasher = MinHasher(params["num_perm"], params["seed"])
    for r in rows:
        feats = content_stems(r.text or "")
        uniq = sorted(set(feats))
        linkable = len(uniq) >= params["min_stems"]
        keys = (
            _signed(band_keys(hasher.signature(token_hashes(uniq)), params["bands"], params["rows"]))
            if linkable
            else []
        )
        day = r.day if r.day is not None else NODATE
        speaker = normalise(r.speaker).strip() if r.speaker else None
        yield r.id, r.pos, linkable, day, speaker, feats, keys


def _claim_score(params: dict[str, Any]) -> Callable[[Any], float | None]:
    def score(r: Any) -> float | None:
        s = lexical_similarity(list(r.l_feats), list(r.e_feats), partial=False)
        return s if s >= params["threshold"] else None

    return score


def _claim_record(root: str, members: list[Any], params: dict[str, Any]) -> tuple[Any, ...] | None:
    """The claims table row of a group when the claim is active (two statements that are not one
    utterance: different speakers, or dates more than `same_utterance_days` apart), else None."""
    members = sorted(members, key=lambda m: m.pos)
    speakers = {m.speaker for m in members if m.speaker}
    days = [m.day for m in members if m.day != NODATE]
    active = len(speakers) > 1 or (bool(days) and max(days) - min(days) > params["same_utterance_days"])
    if not active:
        return None
    ordered = sorted(members, key=lambda m: (m.day == NODATE, m.day, m.pos))
    text = " ".join(ordered[0].text.split())
    if len(text) > params["summary_chars"]:
        text = text[: params["summary_chars"] - 1].rsplit(" ", 1)[0] + "…"
    return stable_id(root, prefix="c"), [m.id for m in ordered], text


def claim_groups(
    statements: DataFrame, firsts: DataFrame, params: dict[str, Any] | None = None
) -> tuple[DataFrame, DataFrame]:
    """((id, claim_id), claims table) for statements (id, pos, speaker, text, day) and the first report of
    each one's merged statement (`firsts`: id, root), as `ClaimLinker.add(..., same_as=first)`."""
    from pyspark.sql import functions as F

    params = {**ClaimLinker().params, **(params or {})}
    spark = statements.sparkSession
    feats = spark.createDataFrame(
        statements.rdd.mapPartitions(lambda rows: _claim_features(rows, params)),
        "id string, pos bigint, linkable boolean, day int, speaker string, feats array<string>, keys array<bigint>",
    ).localCheckpoint()
    postings = feats.select("id", "pos", F.explode("keys").alias("key"))
    cands = grouping.payload(
        grouping.candidates(
            postings.toDF("early", "early_pos", "key"),
            postings.toDF("late", "late_pos", "key"),
            params["max_candidates"],
        ),
        feats,
        ["feats"],
    )
    best = grouping.best_parents(grouping.scored(cands, _claim_score(params)))
    # no claim of its own wording: the claim of the first report of its merged statement, if linkable
    linkable = feats.where("linkable").select("id")
    same_as = (
        firsts.where(F.col("root") != F.col("id"))
        .join(linkable.withColumnRenamed("id", "root"), "root")
        .join(best.select("id"), "id", "left_anti")
        .select("id", F.col("root").alias("parent"))
    )
    parents = best.unionByName(same_as)
    members = linkable.unionByName(parents.select("id")).distinct()
    roots = grouping.roots(members, parents)
    texts = statements.select("id", "text")
    rows = roots.join(feats.select("id", "pos", "day", "speaker"), "id").join(texts, "id")
    records = (
        rows.select("root", F.struct("id", "pos", "day", "speaker", "text").alias("m"))
        .rdd.map(lambda r: (r.root, r.m))
        .groupByKey()
        .map(lambda kv: _claim_record(kv[0], list(kv[1]), params))
        .filter(lambda rec: rec is not None)
    )
    claims = spark.createDataFrame(records, "id string, statement_ids array<string>, summary string")
    links = claims.select(F.col("id").alias("claim_id"), F.explode("statement_ids").alias("id"))
    return statements.select("id").join(links, "id", "left").select("id", "claim_id"), claims


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

    dups = duplicate_links(docs).localCheckpoint()
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
