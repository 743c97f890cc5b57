"""The Spark path (local[2]): readers, LSH grouping, the whole job against `pipeline.analyze`, `load`.

One SparkSession for the module (about 10 s to start); skipped when pyspark or Java is missing.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Java is not installed (PySpark needs it)", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

from saidwhen.spark import grouping  # noqa: E402
from saidwhen.spark.io import read_raw, walk_key  # noqa: E402
from saidwhen.spark.session import build_session  # noqa: E402


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    session = build_session(
        "local[2]",
        app_name="saidwhen-tests",
        conf={
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "2",
            "spark.default.parallelism": "2",
            "spark.driver.memory": "1g",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.adaptive.enabled": "false",  # fewer jobs on tiny data
        },
    )
    yield session
    session.stop()


# --- readers ---------------------------------------------------------------------------------------


def _write_inputs(root: Path) -> None:
    (root / "sub").mkdir(parents=True)
    (root / "b.txt").write_text("date 2024-03-12\nThe mayor spoke\n\nThe mayor said the bridge would open.\n")
    (root / "sub" / "a.txt").write_text("The council met on Monday and said nothing of note.\n")
    lines = [
        json.dumps({"text": "First record body.", "source": "Wire", "date": "2024-03-10"}),
        "",
        "{not json",
        json.dumps({"title": "no body"}),
        json.dumps({"body": "Fifth line body.", "headline": "Five"}),
    ]
    (root / "a.jsonl").write_text("\n".join(lines) + "\n")
    (root / "notes.bin").write_bytes(b"\x00\x01")
    (root / "empty.txt").write_text("")
    from datetime import date

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "content": ["Parquet article one.", None],
            "published": pa.array([date(2024, 1, 2), None], pa.date32()),
            "outlet": ["Gazette", "Gazette"],
        }
    )
    pq.write_table(table, root / "c.parquet")


def test_walk_key_orders_files_before_subfolders() -> None:
    paths = ["/r/sub/a.txt", "/r/b.txt", "/r/a.jsonl", "/r/sub/z/x.txt", "/r/sub/b.txt"]
    assert sorted(paths, key=lambda p: walk_key(p, "/r")) == [
        "/r/a.jsonl",
        "/r/b.txt",
        "/r/sub/a.txt",
        "/r/sub/b.txt",
        "/r/sub/z/x.txt",
    ]


def test_read_raw_matches_local_ingest(
    spark: SparkSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from saidwhen.ingest import read_inputs
    from saidwhen.problems import ProblemLog

    _write_inputs(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    root = Path("in")  # relative, reported as given, like the local run
    items = read_raw(spark, [str(root)]).collect()
    docs = sorted(v for k, v in items if k == "doc")
    problems = sorted((v[0], v[1] or 0, v[2].split(":")[0]) for k, v in items if k == "problem")
    spark_raws = [raw for _, raw in docs]

    local_problems = ProblemLog()
    local = [r for r in read_inputs([str(root)], local_problems) if not r.source_path.endswith(".parquet")]
    ours = [r for r in spark_raws if not r.source_path.endswith(".parquet")]
    assert [(r.source_key, r.text, r.title, r.published, r.line, r.outlet) for r in ours] == [
        (r.source_key, r.text, r.title, r.published, r.line, r.outlet) for r in local
    ]
    local_reasons = sorted(
        (p.path, p.line or 0, p.reason.split(":")[0])
        for p in local_problems.problems
        if not p.path.endswith(".parquet")
    )
    assert [p for p in problems if not p[0].endswith(".parquet")] == local_reasons

    parquet = [r for r in spark_raws if r.source_path.endswith(".parquet")]
    assert [(r.source_key.rsplit("#", 1)[1][:2], r.line, r.text, r.outlet, str(r.published)) for r in parquet] == [
        ("h:", 1, "Parquet article one.", "Gazette", "2024-01-02")  # keyed by content, located by row
    ]
    assert (str(root / "c.parquet"), 2, "no text") in problems


def test_jsonl_line_numbers_across_splits(spark: SparkSession, tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(
        "".join(json.dumps({"text": f"Article number {i} " + "x" * 200}) + "\n" for i in range(400))
    )
    spark.conf.set("spark.sql.files.maxPartitionBytes", "16384")  # ~6 splits
    try:
        items = read_raw(spark, [str(path)]).collect()
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
    docs = [raw for kind, (_, raw) in items if kind == "doc"]
    assert len(docs) == 400
    assert all(raw.text.startswith(f"Article number {raw.line - 1} ") for raw in docs)
    assert len({raw.source_key for raw in docs}) == 400 and {raw.line for raw in docs} == set(range(1, 401))


# --- grouping -------------------------------------------------------------------------------------

_WORDS = [
    "council",
    "mayor",
    "bridge",
    "harbour",
    "budget",
    "minister",
    "river",
    "election",
    "school",
    "hospital",
    "police",
    "storm",
    "port",
    "rail",
    "tax",
    "ferry",
    "union",
    "strike",
    "museum",
    "festival",
    "court",
    "judge",
    "farmer",
    "market",
    "energy",
    "wind",
    "solar",
    "water",
    "road",
]


def _article(seed: int, n: int = 120) -> str:
    import random

    rng = random.Random(seed)
    sentences = []
    for _ in range(n // 10):
        words = [rng.choice(_WORDS) for _ in range(10)]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def _variant_corpus() -> list[tuple[str, str]]:
    """(id, text) in add order: originals, reprints with boilerplate, truncations, copies of copies."""
    docs: list[tuple[str, str]] = []
    for i in range(12):
        base = _article(i)
        docs.append((f"d{i:02d}", base))
        if i % 2 == 0:
            docs.append(
                (f"d{i:02d}r", "Read also: more news. " + base + " Share this article on social media.")
            )
        if i % 3 == 0:
            docs.append((f"d{i:02d}t", base[: len(base) * 2 // 3]))
        if i % 4 == 0:
            docs.append(
                (f"d{i:02d}rr", "Photo: AFP. " + base[: len(base) * 3 // 4] + " Comments are closed.")
            )
    docs.append(("empty", ""))
    return docs


def test_resolve_roots(spark: SparkSession) -> None:
    parents = spark.createDataFrame(
        [("b", "a"), ("c", "b"), ("d", "c"), ("e", "d"), ("g", "f")], "id string, parent string"
    )
    roots = {r.id: r.root for r in grouping.resolve_roots(parents).collect()}
    assert roots == {"b": "a", "c": "a", "d": "a", "e": "a", "g": "f"}


# --- cross-document grouping against merge_corpus ---------------------------------------------------------

_TOPICS = [
    ("Harbourton", ["Ellis", "Harbour Council", "Marlow"], ["bridge", "ferry", "toll", "harbour", "budget"]),
    (
        "Vilnius",
        ["Stoltenberg", "Zelensky", "Alliance"],
        ["summit", "membership", "security", "troops", "treaty"],
    ),
    ("Greyport", ["Okafor", "Greyport Union", "Dunmore"], ["strike", "wages", "rail", "workers", "contract"]),
]
_QUOTES = [
    "the bridge will open to traffic before the winter storms arrive",
    "the doors of the alliance remain open to new members",
    "workers will not return until the wage offer is improved",
    "the toll will be scrapped once the loan is repaid in full",
    "we will never accept a contract that cuts pensions for rail workers",
]


def _synthetic_corpus() -> tuple[list[Any], list[Any]]:
    import random
    from datetime import date, timedelta

    from saidwhen.model import CleanText, Document, Statement, document_id

    rng = random.Random(7)
    docs: list[Document] = []
    statements: list[Statement] = []
    base_day = date(2023, 7, 10)
    for i, (key, text) in enumerate(_variant_corpus()):  # reprints, truncated and re-framed copies
        day = base_day + timedelta(days=i % 3)
        docs.append(
            Document(
                id=document_id(text, "wire"),
                source_path=key,
                source_key=key,
                text=text,
                clean=CleanText(text, list(range(len(text) + 1))),
                title=None,
                outlet="wire",
                published=day,
                published_from="metadata",
            )
        )
    for n in range(36):
        t = n % 3
        place, people, words = _TOPICS[t]
        day = base_day + timedelta(days=rng.choice([0, 1, 2, 3, 9, 10, 40]))
        if n % 11 == 5:
            day = None
        lead = (
            f"{place.upper()}, July {day.day if day else 1} — "
            if n % 2
            else f"Officials met in {place} on Monday. "
        )
        body = " ".join(
            f"{rng.choice(people)} discussed the {rng.choice(words)} and the {rng.choice(words)} with {rng.choice(people)}."
            for _ in range(8)
        )
        text = lead + body
        if n % 6 == 4 and docs:  # a reprint of an earlier article with other boilerplate
            text = "Read also: weather. " + docs[-3].text + " Share this story."
        outlet = f"outlet{n % 4}"
        doc = Document(
            id=document_id(text, outlet),
            source_path=f"{n}.txt",
            source_key=f"{n}.txt",
            text=text,
            clean=CleanText(text, list(range(len(text) + 1))),
            title=None if n % 5 == 0 else f"{place} story {n}",
            outlet=outlet,
            published=day,
            published_from="metadata" if day else "unknown",
        )
        if any(d.id == doc.id for d in docs):
            continue
        docs.append(doc)
        for i in range(rng.choice([0, 1, 2, 3])):
            quote = rng.choice(_QUOTES)
            if rng.random() < 0.4:
                words_ = quote.split()
                del words_[rng.randrange(len(words_))]
                quote = " ".join(words_)
            speaker = rng.choice([*people, None])
            when = rng.choice([None, day, date(2022, 3, 1)])
            statements.append(
                Statement(
                    id=f"s{n}-{i}",
                    document_id=doc.id,
                    speaker=speaker,
                    speaker_mention=speaker,
                    text=quote,
                    kind="direct",
                    cue="said",
                    start=0,
                    end=len(quote),
                    confidence=0.9,
                    date=when,
                )
            )
    return docs, statements


def test_cross_document_equals_merge_corpus(spark: SparkSession) -> None:
    from saidwhen.merge import document_day, merge_corpus
    from saidwhen.spark.crossdoc import DOCS_IN, STATEMENTS_IN, cross_document

    docs, statements = _synthetic_corpus()
    by_doc: dict[str, list[Any]] = {}
    for st in statements:
        by_doc.setdefault(st.document_id, []).append(st)
    doc_rows, st_rows = [], []
    for pos, doc in enumerate(docs):
        day = document_day(doc, by_doc.get(doc.id, []))
        doc_rows.append((doc.id, pos, doc.clean.text, doc.title, day.toordinal() if day else None))
        for i, st in enumerate(by_doc.get(doc.id, [])):
            when = st.date or day
            st_rows.append(
                (st.id, doc.id, (pos << 20) | i, st.speaker, st.text, when.toordinal() if when else None)
            )
    # Spark first: merge_corpus sets the links on the objects
    result = cross_document(
        spark.createDataFrame(doc_rows, DOCS_IN), spark.createDataFrame(st_rows, STATEMENTS_IN)
    )
    got_docs = {r.id: (r.duplicate_of, r.event_id) for r in result.documents.collect()}
    got_sts = {r.id: (r.merged_id, r.claim_id) for r in result.statements.collect()}
    got_events = sorted(tuple(r) for r in result.events.collect())
    got_claims = sorted(tuple(r) for r in result.claims.collect())
    got_merged = sorted(tuple(r) for r in result.merged.collect())

    local = merge_corpus(docs, statements)
    assert got_docs == {d.id: (d.duplicate_of, d.event_id) for d in docs}
    assert got_sts == {s.id: (s.merged_id, s.claim_id) for s in statements}
    from saidwhen.serialize import claim_record, event_record, merged_record

    assert got_events == sorted(tuple(event_record(e).values()) for e in local.events)
    assert got_claims == sorted(tuple(claim_record(c).values()) for c in local.claims)
    assert got_merged == sorted(tuple(merged_record(m).values()) for m in local.merged)
    # the corpus exercises every grouping
    assert sum(d.duplicate_of is not None for d in docs) >= 10
    assert any(len(e.document_ids) > 2 for e in local.events)
    assert local.claims and local.merged


# --- the whole job against the local pipeline ------------------------------------------------------------

_ARTICLES = {
    "herald/2024-05-06-ferry.txt": """date 2024-05-06
source Harbour Herald
Ferry link to reopen in June

KESTRELHAVEN, May 6 - Mayor Anna Brightwater said on Monday that the ferry link to the islands would reopen in June.

"The boats are repaired and the crews are ready," Brightwater told reporters at the harbour. "We will not raise the fares this year."

Transport director Olaf Lindgren said the timetable would be published next week.

Harbour Herald - independent since 1921
""",
    "herald/2024-05-07-council.txt": """date 2024-05-07
source Harbour Herald
Council approves harbour budget

The town council approved the harbour budget on Tuesday after a long debate about dredging costs.

"This budget keeps the harbour open for another decade," councillor Ruth Okonkwo said after the vote.

According to Okonkwo, the dredging will start in August.

Harbour Herald - independent since 1921
""",
    "herald/2024-05-09-school.txt": """date 2024-05-09
source Harbour Herald
New school opens on the hill

The new primary school on Gull Hill opened its doors on Thursday to two hundred pupils and their parents.

Headteacher Samuel Achebe said the building was the first in the region heated entirely by the sea.

Harbour Herald - independent since 1921
""",
    "wire/2024-05-06-ferry-wire.txt": """date 2024-05-06
source Coastline Wire
Kestrelhaven ferry to restart

KESTRELHAVEN, May 6 (Coastline Wire) - Kestrelhaven's mayor Anna Brightwater said on Monday that the ferry service to the outer islands would restart in June after months of repairs.

"The boats are repaired and the crews are ready," Brightwater said. "Nobody will pay more for a ticket this summer."

The islands have been without a regular service since the January storms damaged both vessels.
""",
    "reprints/2024-05-07-ferry-reprint.txt": """date 2024-05-07
source Island Courier
Kestrelhaven ferry to restart

Read also: Storm damage in pictures

KESTRELHAVEN, May 6 (Coastline Wire) - Kestrelhaven's mayor Anna Brightwater said on Monday that the ferry service to the outer islands would restart in June after months of repairs.

"The boats are repaired and the crews are ready," Brightwater said. "Nobody will pay more for a ticket this summer."

The islands have been without a regular service since the January storms damaged both vessels.

Share this article
""",
}
_RECORDS = [
    {
        "title": "Mayor repeats fare pledge",
        "date": "2024-09-02",
        "source": "Island Courier",
        "text": 'Mayor Anna Brightwater on Monday repeated that the fares would not rise.\n\n"We will not raise the fares this year," Brightwater said at the town hall.',
    },
    "{broken json",
    {
        "headline": "Lindgren leaves transport office",
        "published": "2024-09-20",
        "outlet": "Harbour Herald",
        "body": "Transport director Olaf Lindgren said on Friday that he would step down at the end of the year.",
    },
]


def _write_corpus(root: Path) -> None:
    for name, text in _ARTICLES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    lines = [r if isinstance(r, str) else json.dumps(r) for r in _RECORDS]
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def spark_run(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    from saidwhen.spark.job import run

    root = tmp_path_factory.mktemp("corpus")
    _write_corpus(root)
    output = tmp_path_factory.mktemp("spark-out") / "out"
    report = run(spark, [str(root)], str(output), partitions=2)
    return root, output, report


def _table(output: Path, name: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(output / name).to_pylist()


def test_spark_run_equals_local_analyze(spark_run: tuple[Path, Path, Any]) -> None:
    from saidwhen.pipeline import analyze

    root, output, report = spark_run
    local = analyze([str(root)]).to_json()
    assert report.counts["documents"] == len(local["documents"]) == 7
    assert report.problems == {"malformed JSON": 1}
    analysis = analyze([str(root)])
    spark_docs = {r["id"]: r for r in _table(output, "documents")}
    for doc in analysis.documents:  # the same cleaning, with the learned repeated lines
        removed = [(r.start, r.end, r.reason) for r in doc.clean.removed]
        got = spark_docs[doc.id]
        assert (got["clean_text"], [tuple(x.values()) for x in got["removed"]]) == (doc.clean.text, removed)
    assert any(r.reason == "repeated-line" for d in analysis.documents for r in d.clean.removed)
    for table in ("documents", "statements"):
        rows = _table(output, table)
        columns = list(local[table][0])
        assert [{c: r[c] for c in columns} for r in rows] == local[table], table  # same rows, same order
    assert any(d["duplicate_of"] for d in local["documents"])  # the reprint
    assert len(local["statements"]) >= 6 and any(s["merged_id"] for s in local["statements"])
    for table, members in (("events", "document_ids"), ("claims", "statement_ids")):
        got = sorted((r["id"], tuple(r[members])) for r in _table(output, table))
        assert got == sorted((r["id"], tuple(r[members])) for r in local[table]), table
        assert (
            sorted(tuple(r.values()) for r in local[table])
            == sorted(tuple(r[c] for c in local[table][0]) for r in _table(output, table))
            if local[table]
            else True
        )


def test_load_into_store(spark_run: tuple[Path, Path, Any], tmp_path: Path) -> None:
    from saidwhen.spark.load import load_output
    from saidwhen.store import Store

    _, output, report = spark_run
    with Store(tmp_path / "s.db") as store:
        loaded = load_output(str(output), store)
        assert {k: loaded.counts[k] for k in ("documents", "statements", "events", "claims")} == {
            k: report.counts[k] for k in ("documents", "statements", "events", "claims")
        }
        stats = store.stats()
        assert stats["documents"] == report.counts["documents"] and stats["duplicates"] == 1
        for row in _table(output, "statements"):
            doc = store.document(row["document_id"])
            assert doc is not None and row["text"].split()[0] in doc["text"][row["start"] : row["end"]]
        hits = store.statements(speaker="Anna Brightwater")
        assert hits and all(h["speaker"] == "Anna Brightwater" for h in hits)
        assert store.get_state("repeated_lines") is not None
        again = load_output(str(output), store)  # idempotent
        assert store.stats()["documents"] == stats["documents"] and again.counts == loaded.counts
        links = _store_links(store)
        load_output(str(output), store, merge_state=True)  # the local merger over the loaded corpus
        assert store.get_state("corpus_merger") is not None
        assert _store_links(store) == links  # ... agrees with every link Spark computed


def _store_links(store: Any) -> list[tuple[Any, ...]]:
    rows = store.conn.execute("SELECT id, duplicate_of, event_id FROM documents ORDER BY id").fetchall()
    rows += store.conn.execute("SELECT id, merged_id, claim_id FROM statements ORDER BY id").fetchall()
    return [tuple(r) for r in rows]


# --- the commands ----------------------------------------------------------------------------------------


def test_load_command(spark_run: tuple[Path, Path, Any], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from saidwhen.cli import app

    _, output, report = spark_run
    db = tmp_path / "served.db"
    result = CliRunner().invoke(app, ["load", str(output), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"documents {report.counts['documents']}" in result.output
    missing = CliRunner().invoke(app, ["load", str(tmp_path / "nothing"), "--db", str(db)])
    assert missing.exit_code == 4 and "no spark-run output" in missing.output


def test_spark_run_without_pyspark_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import builtins

    from typer.testing import CliRunner

    from saidwhen.cli import app

    real_import = builtins.__import__

    def no_pyspark(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyspark" or name.startswith("pyspark."):
            raise ImportError("No module named 'pyspark'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    result = CliRunner().invoke(app, ["spark-run", str(tmp_path), str(tmp_path / "out")])
    assert result.exit_code == 3
    assert "pip install 'saidwhen[spark]'" in result.output
