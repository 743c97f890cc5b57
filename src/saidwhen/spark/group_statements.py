"""Statements across documents on Spark: merged statements (`merge.StatementMerger`) and claims
(`merge.ClaimLinker`), reproduced with joins (see `saidwhen.spark.crossdoc`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from saidwhen.merge import ClaimLinker, StatementMerger, lexical_similarity
from saidwhen.merge._text import normalise, string_hash64
from saidwhen.merge.speaker_identity import SpeakerIdentity, named_speaker
from saidwhen.merge.statements import merge_stems
from saidwhen.model import stable_id
from saidwhen.spark import grouping

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

NODATE = -(2**31)  # "no date", as in `saidwhen.merge`
_MASK63 = (1 << 63) - 1


# --- merged statements ---------------------------------------------------------------------------------


def _week(day: int) -> int:
    return day // 7 if day != NODATE else NODATE


def _statement_features(rows: Iterable[Any], params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    for r in rows:
        feats = merge_stems(r.text or "")
        named = named_speaker(r.speaker)  # an unnamed source ("officials (unnamed)") blocks as no speaker
        block = "s\x1f" + normalise(named).strip() if named else "d\x1f" + (r.doc_root or r.document_id)
        bh = string_hash64(block) & _MASK63
        day = r.day if r.day is not None else NODATE
        uniq = sorted(set(feats))
        own = [grouping.u64(string_hash64(bh, _week(day), f)) for f in uniq]
        weeks = [NODATE] if day == NODATE else [day // 7 - 1, day // 7, day // 7 + 1]
        query = [grouping.u64(string_hash64(bh, w, f)) for w in weeks for f in uniq]
        yield r.id, r.pos, bool(named), bh, day, feats, own, query


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
    feats = (
        spark.createDataFrame(
            statements.rdd.mapPartitions(lambda rows: _statement_features(rows, params)),
            "id string, pos bigint, named boolean, bh bigint, day int, feats array<string>, own array<bigint>, "
            "query array<bigint>",
        )
    ).cache()
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
    roots = grouping.roots(feats, parents).cache()
    sizes = roots.groupBy("root").count()
    grouped = roots.join(sizes, "root").where(F.col("count") > 1)
    merged_ids = grouped.select("id", grouping.stable_col(F.col("root"), "m").alias("merged_id"))
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
    linker = ClaimLinker(**params)
    for r in rows:
        feats, keys, _, hashes = linker.features(r.text or "")
        linkable = keys is not None
        day = r.day if r.day is not None else NODATE
        named = named_speaker(r.speaker)
        speaker = normalise(named).strip() if named else None
        if linkable:
            own = linker.speaker_keys(named, feats, hashes)  # (speaker, stem) postings, as `ClaimLinker.add`
            keys = keys if own is None else np.concatenate((keys, own))
        yield r.id, r.pos, linkable, day, speaker, named, feats, grouping.signed(keys) if linkable else []


def _claim_score(params: dict[str, Any], identity: SpeakerIdentity) -> Callable[[Any], float | None]:
    """A candidate's score: over the bar as is; below it, a statement of the same speaker from another
    occasion over `same_speaker_threshold` scores (its score - 1), so it is chosen only when no candidate
    passes the bar (as `ClaimLinker._best`)."""

    def score(r: Any) -> float | None:
        s = lexical_similarity(list(r.l_feats), list(r.e_feats), partial=False)
        if s >= params["threshold"]:
            return s
        if (
            s >= params["same_speaker_threshold"]
            and r.l_raw and r.e_raw
            and r.l_day != NODATE and r.e_day != NODATE
            and abs(r.l_day - r.e_day) > params["same_utterance_days"]
            and (r.l_raw == r.e_raw or identity.same(r.l_raw, r.e_raw))
        ):  # fmt: skip
            return s - 1.0
        return None

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
    feats = (
        spark.createDataFrame(
            statements.rdd.mapPartitions(lambda rows: _claim_features(rows, params)),
            "id string, pos bigint, linkable boolean, day int, speaker string, raw string, feats array<string>, "
            "keys array<bigint>",
        )
    ).cache()
    # a linkable statement whose stem set an earlier one has is that one's copy: it joins it and is neither
    # a candidate nor looked up (as `ClaimLinker._copy_of`)
    stem_set = F.array_sort(F.array_distinct("feats"))
    linkable = feats.where("linkable").select("id", "pos", stem_set.alias("set"))
    firsts_of_set = linkable.groupBy("set").agg(F.min("pos").alias("pos")).join(linkable, ["set", "pos"])
    copies = (
        linkable.join(firsts_of_set.select("set", F.col("id").alias("parent"), F.col("pos").alias("first")), "set")
        .where(F.col("pos") > F.col("first"))
        .select("id", "parent")
    )
    postings = feats.join(firsts_of_set.select("id"), "id").select("id", "pos", F.explode("keys").alias("key"))
    cands = grouping.payload(
        grouping.candidates(
            postings.toDF("early", "early_pos", "key"),
            postings.toDF("late", "late_pos", "key"),
            params["max_candidates"],
        ),
        feats,
        ["feats", "raw", "day"],
    )
    # the speakers of the corpus (a short list), for `SpeakerIdentity.same` in the scores
    identity = SpeakerIdentity([r.raw for r in feats.select("raw").where("raw is not null").distinct().collect()])
    best = grouping.best_parents(grouping.scored(cands, _claim_score(params, identity))).unionByName(copies)
    # no claim of its own wording: the claim of the first report of its merged statement, if linkable
    linkable = linkable.select("id")
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
