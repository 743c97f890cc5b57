"""Speaker identity across documents: the same person under other strings, never two people as one."""

from __future__ import annotations

from datetime import date

from saidwhen.merge import ClaimLinker, StatementMerger, merge_corpus
from saidwhen.merge.speaker_identity import SpeakerIdentity, full_name_in_text, speaker_key
from saidwhen.model import CleanText, Document, Statement, document_id

DAY = date(2025, 3, 4)
QUOTE = "The bank will close forty regional branches before the end of the year"


def report(sid: str, speaker: str, text: str = QUOTE, when: date = DAY) -> Statement:
    return Statement(sid, f"doc-{sid}", speaker, speaker, text, "direct", "said", 0, len(text), 0.9, when)


def merged(*speakers: str) -> list[str | None]:
    merger = StatementMerger()
    return [merger.add(report(f"s{n}", sp)) for n, sp in enumerate(speakers)]


def test_keys_drop_titles_suffixes_and_dots() -> None:
    assert speaker_key("Sen. Ann Cole").name == "ann cole"
    assert speaker_key("John Mabry, Jr.") == speaker_key("John Mabry Jr")
    assert speaker_key("John Mabry Jr").suffix == "jr"
    assert speaker_key("U.S. researchers").name == speaker_key("US researchers").name == "us researchers"


def test_same_person_when_the_corpus_says_so() -> None:
    ids = SpeakerIdentity(["Frank Cicutto", "Ann Cole", "Tom Cole"])
    assert ids.same("Cicutto", "Frank Cicutto")  # the corpus names one Cicutto
    assert ids.same("John Mabry", "John Mabry Jr")
    assert ids.same("Senator Ann Cole", "Ann Cole")
    assert ids.same("U.S. researchers", "US researchers")
    assert not ids.same("Cole", "Ann Cole")  # two Coles: a surname alone is not enough
    assert not ids.same("Ann Cole", "Tom Cole")
    assert not ids.same("John Mabry Sr", "John Mabry Jr")
    assert not ids.same("officials", "US officials")  # descriptions are not names


def test_merging_across_speaker_strings() -> None:
    assert merged("Frank Cicutto", "Cicutto")[1] is not None
    assert merged("John Mabry", "John Mabry Jr")[1] is not None
    assert merged("U.S. researchers", "US researchers")[1] is not None
    assert merged("Ann Cole", "Tom Cole")[1] is None
    assert merged("Ann Cole", "Tom Cole", "Cole")[2] is None  # ambiguous surname


def test_surname_alone_takes_the_full_name_its_article_gives() -> None:
    assert full_name_in_text("Cicutto", "Bank chief Frank Cicutto spoke. Later Cicutto said it would come later.") == "Frank Cicutto"
    assert full_name_in_text("Cole", "Ann Cole met Tom Cole. Cole said.") is None
    docs, sts = [], []
    for n, (speaker, lead) in enumerate(
        [("Ann Cole", "Ann Cole, the minister, spoke in Riga."), ("Tom Cole", "Tom Cole spoke in Oslo."),
         ("Cole", "Minister Ann Cole spoke in Riga. Later Cole repeated it.")]
    ):
        text = f"{lead} {QUOTE}."
        doc = Document(
            document_id(text, f"o{n}"), f"o{n}.txt", f"o{n}.txt", text, CleanText(text, list(range(len(text) + 1))),
            outlet=f"o{n}", published=DAY, published_from="metadata",
        )
        docs.append(doc)
        sts.append(Statement(f"s{n}", doc.id, speaker, speaker, QUOTE, "direct", "said", 0, len(QUOTE), 0.9, DAY))
    merge_corpus(docs, sts)
    assert sts[2].merged_id is not None and sts[2].merged_id == sts[0].merged_id  # Cole of doc 2 is Ann Cole
    assert sts[1].merged_id is None  # Tom Cole said it too, but he is another person


def test_claims_tell_speakers_apart_by_identity() -> None:
    linker = ClaimLinker()
    linker.add(report("a", "Frank Cicutto"))
    assert linker.add(report("b", "Cicutto", when=date(2025, 3, 5))) is None  # one utterance, two strings
    assert linker.add(report("c", "Ann Cole", when=date(2025, 3, 5))) is not None  # another speaker


def test_unnamed_sources_of_two_documents_are_not_one_speaker() -> None:
    # "officials (unnamed)" in two articles: two unknown groups of people, not one speaker
    assert merged("officials (unnamed)", "officials (unnamed)")[1] is None
    assert merged("Frank Cicutto", "officials (unnamed)")[1] is None
    linker = ClaimLinker()
    linker.add(report("a", "spokesperson (unnamed)"))
    restated = "The bank is going to shut forty of its regional branches this year"
    later = date(2025, 9, 1)  # another occasion: only the same speaker would link a restatement this loose
    assert linker.add(report("b", "spokesperson (unnamed)", text=restated, when=later)) is None
    named = ClaimLinker()
    named.add(report("a", "Frank Cicutto"))
    assert named.add(report("b", "Frank Cicutto", text=restated, when=later)) is not None  # the control
