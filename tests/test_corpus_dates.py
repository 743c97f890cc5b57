"""Corpus dating: an undated article dated from the dated articles that report the same happening, its
partial mentions resolved against that date, its statements dated again — through `analyze` and through an
incremental store ingest (real SQLite file, real spaCy pipeline). Hand-written articles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from saidwhen.dates.corpus import as_undated, date_from_corpus
from saidwhen.model import CleanText, Document, Statement
from saidwhen.pipeline import analyze
from saidwhen.problems import ProblemLog
from saidwhen.store import Store
from saidwhen.store_ingest import StoreIngest

DATED = """date 2023-11-30
Alliance chief says Moldova will become a member

Alliance Secretary General Ona Berg told reporters at a press conference in Brussels that Moldova will become a \
member of the alliance. "All allies agree that Moldova will join," Berg said.

Foreign ministers met at the headquarters for two days of talks on air defence, ammunition stocks and support for \
the reform programme in Chisinau. Berg said ministers had agreed to send more air defence systems before winter.
"""

# the same press conference, another outlet, no date of its own: only "On November 30" and "on Thursday"
UNDATED = """Berg: allies agree on Moldova membership

On November 30, alliance Secretary General Ona Berg told a press conference in Brussels that Moldova will become \
a member of the alliance. "All allies agree that Moldova will join," Berg said on Thursday.

Foreign ministers met at the alliance headquarters for two days of talks on air defence, ammunition stocks and the \
reform programme in Chisinau. Ministers agreed to send more air defence systems before winter, Berg said.
"""

UNRELATED = """Council backs new bridge

The city council of Riverton voted on Tuesday to build a new bridge over the river, mayor Tom Hale said. \
"The old bridge is closed too often," Hale said. Work starts in spring and costs twelve million.
"""

DAY = date(2023, 11, 30)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (("dated", DATED), ("undated", UNDATED), ("unrelated", UNRELATED)):
        out[name] = tmp_path / f"{name}.txt"
        out[name].write_text(text, encoding="utf-8")
    return out


def test_analyze_dates_an_undated_report_from_its_event(files: dict[str, Path]) -> None:
    # the undated article comes first: the stage runs after the whole corpus is merged
    result = analyze([str(files["undated"]), str(files["dated"]), str(files["unrelated"])])
    docs = {Path(d.source_path).stem: d for d in result.documents}
    assert (docs["dated"].published, docs["dated"].published_from) == (DAY, "header")
    assert (docs["undated"].published, docs["undated"].published_from) == (DAY, "event")
    assert (docs["unrelated"].published, docs["unrelated"].published_from) == (None, "unknown")
    mine = [st for st in result.statements if st.document_id == docs["undated"].id]
    assert mine and all(st.date == DAY for st in mine)
    assert any(st.date_from == "text" for st in mine)  # "On November 30" resolved against the event date
    other = [st for st in result.statements if st.document_id == docs["unrelated"].id]
    assert other and all(st.date is None for st in other)
    record = result.to_json()["documents"]
    assert {r["published_from"] for r in record} == {"header", "event", "unknown"}


def _dates(db: Path) -> tuple[dict[str, tuple], list[tuple]]:
    with Store(db) as store:
        docs = {
            Path(r["source_path"]).stem: (r["published"], r["published_from"], r["published_range"])
            for r in store.conn.execute("SELECT source_path, published, published_from, published_range FROM documents")
        }
        sts = [
            (Path(r["source_path"]).stem, r["date"], r["date_from"])
            for r in store.conn.execute(
                "SELECT d.source_path, s.date, s.date_from FROM statements s JOIN documents d ON d.id = s.document_id"
            )
        ]
    return docs, sts


@pytest.mark.parametrize("workers", [1, 2])
def test_incremental_ingest_redates_earlier_undated_articles(
    files: dict[str, Path], tmp_path: Path, workers: int
) -> None:
    db = tmp_path / "store.db"
    with Store(db) as store:
        StoreIngest(store, workers=workers).run([str(files["undated"]), str(files["unrelated"])], ProblemLog())
    docs, sts = _dates(db)
    assert docs["undated"] == (None, "unknown", None)
    assert {d for stem, d, _ in sts if stem == "undated"} == {None}

    with Store(db) as store:  # a later run brings a dated report of the same press conference
        report = StoreIngest(store, workers=workers).run([str(files["dated"])], ProblemLog())
    assert report.added == 1
    docs, sts = _dates(db)
    assert docs["dated"] == ("2023-11-30", "header", None)
    assert docs["undated"] == ("2023-11-30", "event", None)
    assert docs["unrelated"] == (None, "unknown", None)
    mine = [(d, f) for stem, d, f in sts if stem == "undated"]
    assert mine and all(d == "2023-11-30" for d, _ in mine) and ("2023-11-30", "text") in mine

    with Store(db) as store:  # ingesting again changes nothing, and the merge state reloads
        again = StoreIngest(store).run([str(f) for f in files.values()], ProblemLog())
    assert again.added == 0 and again.unchanged == 3
    assert _dates(db) == (docs, sts)


def _doc(text: str) -> Document:
    return Document(id="d", source_path="x", source_key="x", text=text, clean=CleanText(text, list(range(len(text) + 1))))


def test_range_where_the_evidence_is_a_range() -> None:
    doc = _doc("Ministers agreed to send more air defence systems before winter, the alliance chief said.")
    st = Statement(id="s", document_id="d", speaker="Ona Berg", speaker_mention="the alliance chief",
                   text="Ministers agreed to send more air defence systems before winter", kind="indirect",
                   cue="said", start=0, end=63, confidence=0.9)  # fmt: skip
    assert date_from_corpus(doc, [st], [(date(2023, 11, 30), 1.0), (date(2023, 12, 2), 1.0)])
    assert doc.published_from == "event"
    assert doc.published_range == (date(2023, 11, 30), date(2023, 12, 2))
    assert doc.published is not None and doc.published_range[0] <= doc.published <= doc.published_range[1]
    assert (st.date, st.date_from) == (doc.published, "document")
    # the state before corpus dating, as the merge stage replays it
    before, (st0,) = as_undated(doc, [st])
    assert (before.published, before.published_from, st0.date) == (None, "unknown", None)
    assert doc.published_from == "event"  # the original is untouched


def test_own_date_is_never_overridden() -> None:
    doc = _doc("The chief said on Tuesday that talks went well.")
    doc.published, doc.published_from = date(2023, 6, 1), "header"
    assert not date_from_corpus(doc, [], [(date(2023, 11, 30), 1.0)])
    assert doc.published == date(2023, 6, 1)


def test_a_corpus_dated_article_replays_as_it_was_first_merged(files: dict[str, Path]) -> None:
    """A store replays committed articles from their rows; one the corpus dated meanwhile must give the merge
    state of the first run, when it was undated."""
    from saidwhen.merge import CorpusMerger

    result = analyze([str(files["dated"]), str(files["undated"])])
    docs = {Path(d.source_path).stem: d for d in result.documents}
    by_doc = {d.id: [st for st in result.statements if st.document_id == d.id] for d in result.documents}
    assert docs["undated"].published_from == "event"
    first, replayed = CorpusMerger(), CorpusMerger()
    for name in ("dated", "undated"):
        doc = docs[name]
        before, statements = as_undated(doc, by_doc[doc.id])
        first.add(before, statements)
        replayed.add(doc, by_doc[doc.id])  # as loaded from the store: dated by the corpus
    assert first.to_state() == replayed.to_state()
    assert docs["undated"].published_from == "event"  # replaying does not undo the dating
    assert replayed.date_prior(docs["undated"])[0][0] == DAY
