"""Timeline summarisation (`saidwhen.tls`) on a tiny hand-written corpus."""

from __future__ import annotations

from datetime import date

import pytest

from saidwhen.model import Document, RawDocument, Statement
from saidwhen.pipeline import prepare
from saidwhen.tls import (
    TLSConfig,
    build_summary_timeline,
    collect_sentences,
    keyword_terms,
    rank_dates,
    summarize,
)
from saidwhen.tls.summary import knee_point
from saidwhen.tls.text import matches_keyword

ARTICLES = [
    (
        date(2024, 3, 11),
        "Storm Ada reached the coast of Westport on Sunday, flooding hundreds of homes near the harbour.\n\n"
        "Rescue teams worked through the night to move families out of the lowest streets of Westport.\n\n"
        "The mayor of Westport said the town would need weeks to recover from the storm damage.",
    ),
    (
        date(2024, 3, 13),
        "Two days after Storm Ada flooded Westport on March 10, engineers inspected the harbour wall.\n\n"
        "The council of Westport will vote on a repair plan for the harbour wall on March 15, 2024.\n\n"
        "Shop owners in the old town began to clear mud and broken glass from their floors.",
    ),
    (
        date(2024, 3, 16),
        "The council of Westport approved a repair plan for the storm-damaged harbour wall on Friday.\n\n"
        "Storm Ada, which struck Westport on March 10, was the worst storm to hit the region in decades.\n\n"
        "Insurers expect claims from the flooding in Westport to exceed forty million euros this year.",
    ),
    (
        date(2024, 3, 17),
        "A week after Storm Ada hit Westport on March 10, most families have returned to their homes.\n\n"
        "The harbour wall repair plan, approved on March 15, will take until the summer to complete.\n\n"
        "Volunteers from nearby villages helped to clean the streets of Westport all weekend long.",
    ),
    (
        date(2024, 3, 14),
        "A cooking festival opened in the city of Eastbury today with chefs from twelve countries.\n\n"
        "Visitors tasted soups, breads and cakes at more than forty stalls in the central square.",
    ),
]


def _docs() -> list[Document]:
    docs = []
    for i, (published, text) in enumerate(ARTICLES):
        raw = RawDocument(source_path=f"a{i}.txt", source_key=f"a{i}.txt", text=text, published=published,
                          published_from="metadata")  # fmt: skip
        docs.append(prepare(raw))
    return docs


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_dated_sentences_carry_their_days_and_evidence() -> None:
    docs = _docs()
    sents = collect_sentences(docs)
    by_id = {d.id: d for d in docs}
    for s in sents:
        assert _norm(by_id[s.document_id].text[s.start : s.end]) == s.text
    first = next(s for s in sents if s.text.startswith("Storm Ada reached"))
    assert first.mentions == (date(2024, 3, 10),)  # "on Sunday" before Monday 11 March
    vote = next(s for s in sents if "will vote" in s.text)
    assert vote.mentions == (date(2024, 3, 15),)


def test_date_ranking_prefers_dates_mentioned_later() -> None:
    ranked = rank_dates(collect_sentences(_docs()))
    assert [d for d, _ in ranked[:2]] == [date(2024, 3, 10), date(2024, 3, 15)]


def test_timeline_dates_sentences_and_evidence() -> None:
    docs = _docs()
    tl = build_summary_timeline(docs, ["StormAda", "Westport"], max_dates=2, per_date=2)
    assert [td.date for td in tl.dates] == [date(2024, 3, 10), date(2024, 3, 15)]
    by_id = {d.id: d for d in docs}
    seen: set[str] = set()
    for td in tl.dates:
        assert 1 <= len(td.sentences) <= 2
        for s in td.sentences:
            evidence = by_id[s.document_id].text[s.start : s.end]
            assert _norm(evidence) == s.text
            assert s.text not in seen  # no sentence twice
            seen.add(s.text)
            # every date is supported: mentioned by the sentence or its publication date
            assert s.date_from == "text" or s.published == td.date
    assert all(s.date_from == "text" for s in tl.dates[0].sentences)
    assert any("Storm Ada" in s.text for s in tl.dates[0].sentences)
    assert any("repair plan" in s.text for s in tl.dates[1].sentences)
    pairs = tl.as_pairs()
    assert pairs[0][0] == date(2024, 3, 10) and isinstance(pairs[0][1][0], str)


def test_span_and_publication_dates() -> None:
    sents = collect_sentences(_docs())
    tl = summarize(
        sents, ["Westport"], max_dates=3, per_date=1, since=date(2024, 3, 11), until=date(2024, 3, 13)
    )
    assert tl and all(date(2024, 3, 11) <= td.date <= date(2024, 3, 13) for td in tl)
    for td in tl:  # dates nobody mentions come from lead sentences published that day
        for s in td.sentences:
            assert s.date_from == "text" or s.published == td.date


def test_keyword_terms() -> None:
    vocab = {"bp", "oil", "spill", "libya", "war", "financial"}
    assert keyword_terms(["LibyaWar"], vocab) == {"libya", "war"}
    assert keyword_terms(["bpoil"], vocab) == {"bp", "oil"}
    assert keyword_terms(["oil spill", "H1N1"]) == {"oil", "spill", "h1n1"}


def test_statements_mark_sentences() -> None:
    docs = _docs()
    doc = docs[0]
    i = doc.text.index("The mayor")
    st = Statement(id="s1", document_id=doc.id, speaker="Mayor", speaker_mention="The mayor", text="x",
                   kind="indirect", cue="said", start=i, end=i + 40, confidence=0.9, date=date(2024, 3, 11),
                   date_from="text")  # fmt: skip
    sents = collect_sentences(docs, [st])
    marked = [s for s in sents if s.statement_ids]
    assert len(marked) == 1 and marked[0].dated_statement and marked[0].text.startswith("The mayor")


@pytest.mark.parametrize("text", ["It was 7000 years ago . The dam broke on March 3, 2024 ."])
def test_tagger_failure_only_loses_one_sentence(text: str) -> None:
    raw = RawDocument(source_path="x.txt", source_key="x.txt", text=text, published=date(2024, 3, 5))
    sents = collect_sentences([prepare(raw)], config=TLSConfig())
    assert [s.mentions for s in sents][-1] == (date(2024, 3, 3),)


def test_keyword_acronym_and_prefixes() -> None:
    texts = [
        "Michael Jackson died on Thursday.",
        "Fans of Michael Jackson gathered.",
        "Michael Jackson's doctor",
    ]
    assert keyword_terms(["MJ"], {"michael", "jackson", "died"}, texts) == {"michael", "jackson"}
    assert keyword_terms(["MJ"], {"michael"}, texts[:1]) == {"mj"}  # one mention is not enough
    assert matches_keyword(["syria"], {"syrian"}) and matches_keyword(["financial"], {"finan"})
    assert not matches_keyword(["war"], {"warsaw"})


def test_knee_point() -> None:
    assert knee_point([1.0, 0.95, 0.9, 0.3, 0.25, 0.2, 0.15]) == 3  # the first value after the drop
    assert knee_point([0.5]) == 0


def test_documents_count_once_per_date() -> None:
    text = (
        "The council of Westport met on March 15, 2024.\n\nOn March 15 the council voted for the repair plan."
    )
    extra = RawDocument(source_path="x.txt", source_key="x.txt", text=text, published=date(2024, 3, 18))
    sents = collect_sentences([*_docs(), prepare(extra)])
    plain = {"keyword_mention_weight": 0.0, "later_bonus": 0.0, "mention_mode": "all"}
    by_sentence = dict(rank_dates(sents, TLSConfig(**plain, rank_by="sentences")))  # type: ignore[arg-type]
    by_document = dict(rank_dates(sents, TLSConfig(**plain, rank_by="documents")))  # type: ignore[arg-type]
    day = date(2024, 3, 15)
    mentioning = [s for s in sents if day in s.mentions]
    assert by_sentence[day] == len(mentioning) == 5
    assert by_document[day] == len({s.document_id for s in mentioning}) == 4  # one article mentions it twice


def test_statement_date_beats_a_later_day() -> None:
    text = "Foreign Minister Tomas Varga on Wednesday repeated that Estlandia will become a member."
    raw = RawDocument(source_path="v.txt", source_key="v.txt", text=text, published=date(2025, 6, 5))
    doc = prepare(raw)
    st = Statement(id="s2", document_id=doc.id, speaker="Tomas Varga", speaker_mention="Tomas Varga",
                   text="that Estlandia will become a member", kind="indirect", cue="repeated", start=51,
                   end=len(text) - 1, confidence=0.9, date=date(2025, 6, 4), date_from="text")  # fmt: skip
    [sent] = collect_sentences([doc], [st])
    assert sent.mentions == (date(2025, 6, 4),) and sent.statement_ids == ("s2",)
