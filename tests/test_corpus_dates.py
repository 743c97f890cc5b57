"""Corpus dating: an undated article dated from the dated articles that report the same happening, its
partial mentions resolved against that date, its statements dated again — through `analyze` and through an
incremental store ingest (real SQLite file, real spaCy pipeline). Hand-written articles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from saidwhen.dates.corpus import FLOOR, MIN_MARGIN, SCALE, SPAN, as_undated, date_from_corpus
from saidwhen.dates.evidence import Evidence, estimate
from saidwhen.dates.published import text_evidence
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
    # dated by its neighbour (the dated report; the events keep it apart, as it came first): "corpus"
    assert (docs["undated"].published, docs["undated"].published_from) == (DAY, "corpus")
    assert (docs["unrelated"].published, docs["unrelated"].published_from) == (None, "unknown")
    mine = [st for st in result.statements if st.document_id == docs["undated"].id]
    assert mine and all(st.date == DAY for st in mine)
    assert any(st.date_from == "text" for st in mine)  # "On November 30" resolved against the event date
    other = [st for st in result.statements if st.document_id == docs["unrelated"].id]
    assert other and all(st.date is None for st in other)
    record = result.to_json()["documents"]
    assert {r["published_from"] for r in record} == {"header", "corpus", "unknown"}


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
    assert docs["undated"] == ("2023-11-30", "corpus", None)
    assert docs["unrelated"] == (None, "unknown", None)
    mine = [(d, f) for stem, d, f in sts if stem == "undated"]
    assert mine and all(d == "2023-11-30" for d, _ in mine) and ("2023-11-30", "text") in mine

    with Store(db) as store:  # ingesting again changes nothing, and the merge state reloads
        again = StoreIngest(store).run([str(f) for f in files.values()], ProblemLog())
    assert again.added == 0 and again.unchanged == 3
    assert _dates(db) == (docs, sts)


def _doc(text: str) -> Document:
    return Document(id="d", source_path="x", source_key="x", text=text, clean=CleanText(text, list(range(len(text) + 1))))


def test_dated_from_the_corpus_with_a_range_where_the_evidence_is_a_range() -> None:
    doc = _doc("On November 29, ministers met. On November 29, talks ran on through Wednesday, the chief said. "
               "Ministers agreed to send more air defence systems before winter, the chief said.")
    start = doc.text.index("Ministers agreed")
    st = Statement(id="s", document_id="d", speaker="Ona Berg", speaker_mention="the chief",
                   text="Ministers agreed to send more air defence systems before winter", kind="indirect",
                   cue="said", start=start, end=start + 63, confidence=0.9)  # fmt: skip
    assert date_from_corpus(doc, [st], [(date(2023, 11, 30), 1.0), (date(2023, 12, 1), 1.0)])
    assert (doc.published, doc.published_from) == (date(2023, 11, 29), "corpus")
    assert st.date is not None
    # the state before corpus dating, as the merge stage replays it
    before, (st0,) = as_undated(doc, [st])
    assert (before.published, before.published_from) == (None, "unknown")
    assert doc.published_from == "corpus"  # the original is untouched
    # a range where several days are about as plausible
    ev = text_evidence("On November 29, ministers met. Talks ran on through Wednesday, the chief said.")
    est = estimate(ev, [(date(2023, 11, 30), 1.0), (date(2023, 12, 1), 1.0)], span=SPAN, scale=SCALE, floor=FLOOR)
    assert est is not None and est.range == (date(2023, 11, 29), date(2023, 11, 30))


def test_abstains_when_the_evidence_does_not_single_out_a_day() -> None:
    # neighbours' dates alone say which weeks, not which day: no date rather than a guess
    doc = _doc("Ministers agreed to send more air defence systems before winter, the alliance chief said.")
    prior = [(date(2023, 11, 30), 1.0), (date(2023, 12, 2), 1.0)]
    assert not date_from_corpus(doc, [], prior)
    assert (doc.published, doc.published_from) == (None, "unknown")
    # the estimate itself has a best day, but its margin over days further away is small
    est = estimate(Evidence(), prior, span=SPAN, scale=SCALE, floor=FLOOR)
    assert est is not None and est.margin < MIN_MARGIN
    # contradictory mentions: "on Monday" and "on Friday", each as likely
    doc = _doc("Ministers met on Monday. The chief said on Friday that the talks went well.")
    assert not date_from_corpus(doc, [], [(date(2023, 11, 30), 1.0)])
    assert doc.published is None


def test_an_inferred_date_the_corpus_does_not_confirm_is_withdrawn() -> None:
    # the text alone dates it by an old full date (background); its neighbours are from years later
    doc = _doc("The treaty was signed on 3 March 2019. Ministers said talks went well.")
    doc.published, doc.published_from = date(2019, 3, 3), "inferred"
    assert date_from_corpus(doc, [], [(date(2023, 11, 30), 0.4), (date(2023, 12, 4), 0.3)])
    assert (doc.published, doc.published_from, doc.published_range) == (None, "corpus", None)
    before, _ = as_undated(doc, [])  # replayed as the text alone dated it
    assert (before.published, before.published_from) == (date(2019, 3, 3), "inferred")
    # confirmed when the corpus singles out the same day
    doc = _doc("On November 30, ministers met. The chief said on Thursday that talks went well. On November 30 "
               "the ministers agreed.")
    doc.published, doc.published_from = date(2023, 11, 30), "inferred"
    date_from_corpus(doc, [], [(date(2023, 11, 30), 0.4), (date(2023, 12, 1), 0.3)])
    assert (doc.published, doc.published_from) == (date(2023, 11, 30), "corpus")


OUTLET_A = """Flood barrier fails in Lindholm

The new flood barrier on the Vessa river failed in Lindholm on Thursday, mayor Petra Okonkwo said. Water reached \
the old market square and the Grauberg tram depot; two hundred residents of the Kessel quarter were taken to the \
Lindholm sports hall. Engineers from the Vessa water board blamed a jammed sluice gate at the Ostmole weir.
"""

# the same day's news, another outlet, other words; undated: only "on Thursday, November 16" (no year), "on Friday"
OUTLET_B = """Residents evacuated as Vessa barrier gives way

Two hundred people from Lindholm's Kessel quarter spent the night in the sports hall after the Vessa flood \
barrier gave way late on Thursday, November 16. Mayor Okonkwo said on Friday that a sluice gate at the Ostmole weir had jammed; the Grauberg tram \
depot and the market square were flooded, according to the water board.
"""

OTHER_DAYS = [
    (date(2023, 10, 2), """Lindholm council approves budget

The Lindholm city council approved next year's budget, mayor Petra Okonkwo said, with more money for schools, \
bus lines and the library in the Kessel quarter. The opposition voted against the plan for new parking fees."""),
    (date(2023, 8, 14), """Vessa river festival draws crowds

Thousands visited the annual river festival on the Vessa embankment in Lindholm, with boat races, music and \
food stalls along the old market square. Organisers said the weather had been kind this year."""),
]


def _article(doc_id: str, text: str, day: date | None) -> Document:
    doc = _doc(text)
    doc.id, doc.source_path, doc.source_key = doc_id, doc_id, doc_id
    doc.published, doc.published_from = day, ("header" if day else "unknown")
    return doc


def test_a_reworded_report_is_dated_by_its_neighbours_and_mentions() -> None:
    from saidwhen.merge import CorpusMerger

    day = date(2023, 11, 17)  # a Friday: "on Thursday" is the day before
    merger = CorpusMerger()
    for k, (d, text) in enumerate(OTHER_DAYS):
        merger.add(_article(f"other{k}", text, d), [])
    merger.add(_article("a", OUTLET_A, day), [])
    undated = _article("b", OUTLET_B, None)
    merger.add(undated, [])
    near = merger.dater.neighbours("b")
    assert near and near[0][0] == day  # the same day's report is the closest, though worded differently
    assert merger.date_from_corpus(undated, [])
    assert undated.published is not None and abs((undated.published - day).days) <= 1
    assert undated.published_from in ("corpus", "event")
    # the merge state (with the neighbour index) survives a round trip
    again = CorpusMerger.from_state(merger.to_state())
    assert again.dater.neighbours("b") == near


def test_a_later_dated_neighbour_redates_an_earlier_undated_article() -> None:
    from saidwhen.merge import CorpusMerger

    merger = CorpusMerger()
    undated = _article("b", OUTLET_B, None)
    first = merger.add(undated, [])
    assert first.undated and not merger.date_from_corpus(undated, [])  # no evidence yet
    later = merger.add(_article("a", OUTLET_A, date(2023, 11, 17)), [])
    assert "b" in later.redate  # an ingest dates it again
    assert merger.date_from_corpus(undated, [])
    assert undated.published is not None


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
    assert docs["undated"].published_from == "event"  # dated as its event (the dated report came first)
    first, replayed = CorpusMerger(), CorpusMerger()
    for name in ("dated", "undated"):
        doc = docs[name]
        before, statements = as_undated(doc, by_doc[doc.id])
        first.add(before, statements)
        replayed.add(doc, by_doc[doc.id])  # as loaded from the store: dated by the corpus
    assert first.to_state() == replayed.to_state()
    assert docs["undated"].published_from == "event"  # replaying does not undo the dating
    assert replayed.date_prior(docs["undated"])[0][0] == DAY
