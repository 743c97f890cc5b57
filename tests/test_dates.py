"""Tests for saidwhen.dates: time expressions, publication dates, statement dates (hand-written texts)."""

from __future__ import annotations

from datetime import date

import pytest

from saidwhen.dates import date_statements, find_timexes, infer_from_text, infer_published, is_caption
from saidwhen.model import CleanText, Document, RawDocument, Statement, TimeExpression

ANCHOR = date(2023, 7, 14)  # a Friday


def tx(text: str, anchor: date | None = ANCHOR) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in find_timexes(text, anchor)]


def one(text: str, anchor: date | None = ANCHOR) -> TimeExpression:
    found = find_timexes(text, anchor)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ absolute dates


@pytest.mark.parametrize(
    ("text", "extent", "value", "granularity"),
    [
        ("The treaty was signed on July 12, 2023 in Vilnius.", "July 12, 2023", "2023-07-12", "day"),
        ("The treaty was signed on 12 July 2023 in Vilnius.", "12 July 2023", "2023-07-12", "day"),
        ("Filed 2023-07-12 by the clerk.", "2023-07-12", "2023-07-12", "day"),
        ("Signed 12.07.2023 in Vilnius.", "12.07.2023", "2023-07-12", "day"),
        ("The plant closed in 2008 after the crash.", "2008", "2008", "year"),
        ("Her debut film (2017) won a prize.", "2017", "2017", "year"),
        ("Prices fell in March 2015, the board said.", "March 2015", "2015-03", "month"),
        ("Growth was strong in the 1990s overall.", "the 1990s", "199", "other"),
        ("The firm earned more in the third quarter of 2022.", "the third quarter of 2022", "2022-Q3", "other"),
        ("Sales rose on Sept. 30, 2021 to a record.", "Sept. 30, 2021", "2021-09-30", "day"),
    ],
)
def test_absolute(text: str, extent: str, value: str, granularity: str) -> None:
    t = one(text)
    assert (t.text, t.value, t.granularity) == (extent, value, granularity)
    assert text[t.start : t.end] == t.text


def test_years_that_are_numbers_are_not_dates() -> None:
    assert tx("About 2000 people marched and 1500 troops stayed.") == []
    assert tx("The bill cost $2010 in total.") == []
    assert tx("In 2008 markets crashed.") == [("2008", "2008")]
    assert tx("Growth slowed in mid-1996.") == [("mid-1996", "1996")]


def test_spelled_out_years_and_month_with_relative_year() -> None:
    assert tx("The law changed in nineteen ninety-six.") == [("nineteen ninety-six", "1996")]
    assert tx("It happened in June last year.") == [("June last year", "2022-06")]


def test_modal_may_is_not_a_month() -> None:
    assert tx("Officials may decide to act, he said.") == []
    assert tx("The vote was held in May.") == [("May", "2023-05")]


# ------------------------------------------------------------------ partial dates and tense


def test_partial_date_past_is_most_recent_before_anchor() -> None:
    assert tx("On November 21, the minister said the talks had failed.") == [("November 21", "2022-11-21")]
    assert tx("On July 2, the minister said the talks had failed.") == [("July 2", "2023-07-02")]


def test_partial_date_future_tense_is_next_occurrence() -> None:
    assert tx("The summit will be held on November 21.") == [("November 21", "2023-11-21")]
    assert tx("The court is scheduled to rule on March 3.") == [("March 3", "2024-03-03")]


def test_partial_date_with_weekday_picks_matching_year() -> None:
    # 25 April was a Tuesday in 2023 and a Monday in 2022
    assert tx("The paper said in an editorial on Tuesday, April 25: no.", date(2023, 7, 14)) == [
        ("Tuesday, April 25", "2023-04-25")
    ]


def test_month_alone_resolves_to_past_or_future() -> None:
    assert tx("Prices jumped in February, traders said.") == [("February", "2023-02")]
    assert tx("The launch will take place in December.") == [("December", "2023-12")]
    assert tx("She left last March.") == [("last March", "2023-03")]


# ------------------------------------------------------------------ weekdays


def test_weekday_is_nearest_on_or_before_anchor() -> None:
    assert tx("The minister said Thursday that he would resign.") == [("Thursday", "2023-07-13")]
    assert tx("On Tuesday, the minister resigned.") == [("Tuesday", "2023-07-11")]
    assert tx("The talks ended Friday.") == [("Friday", "2023-07-14")]  # the anchor day itself


def test_weekday_forward_for_next_and_future() -> None:
    assert tx("They meet again next Tuesday.") == [("next Tuesday", "2023-07-18")]
    assert tx("The ministers will meet on Monday in Brussels.") == [("Monday", "2023-07-17")]
    assert tx("He quit last Friday.") == [("last Friday", "2023-07-07")]


def test_weekday_with_part_of_day_and_clock() -> None:
    assert tx("The blast came Wednesday night.") == [("Wednesday night", "2023-07-12TNI")]
    assert tx("Trading halted at 10 a.m. Wednesday, officials said.") == [("10 a.m. Wednesday", "2023-07-12T10:00")]


# ------------------------------------------------------------------ relative expressions


@pytest.mark.parametrize(
    ("text", "extent", "value", "granularity"),
    [
        ("Yesterday the mayor spoke.", "Yesterday", "2023-07-13", "day"),
        ("The mayor speaks today.", "today", "2023-07-14", "day"),
        ("The mayor speaks tomorrow.", "tomorrow", "2023-07-15", "day"),
        ("The mayor spoke last week.", "last week", "2023-W27", "week"),
        ("The mayor spoke last month.", "last month", "2023-06", "month"),
        ("The mayor spoke last year.", "last year", "2022", "year"),
        ("The mayor spoke two days ago.", "two days ago", "2023-07-12", "day"),
        ("The mayor spoke three weeks ago.", "three weeks ago", "2023-W25", "week"),
        ("The mayor spoke about two years ago.", "about two years ago", "2021", "year"),
        ("Prices rose earlier this month.", "this month", "2023-07", "month"),
        ("Prices rose this year.", "this year", "2023", "year"),
        ("Prices will rise next year.", "next year", "2024", "year"),
        ("Prices are currently high.", "currently", "PRESENT_REF", "other"),
        ("Prices are high now.", "now", "PRESENT_REF", "other"),
        ("Prices rose recently.", "recently", "PAST_REF", "other"),
        ("Prices will rise in the future.", "the future", "FUTURE_REF", "other"),
        ("Prices rose late last year.", "late last year", "2022", "year"),
        ("The firm expects profit by year-end.", "year-end", "2023-12-31", "day"),
    ],
)
def test_relative(text: str, extent: str, value: str, granularity: str) -> None:
    t = one(text)
    assert (t.text, t.value, t.granularity) == (extent, value, granularity)


def test_relative_without_anchor_is_unanchored() -> None:
    assert tx("Yesterday the mayor spoke.", None) == [("Yesterday", "XXXX-XX-XX")]
    assert tx("On November 21, the mayor spoke.", None) == [("November 21", "XXXX-11-21")]
    t = one("The treaty was signed on July 12, 2023.", None)
    assert t.value == "2023-07-12" and t.as_date() == date(2023, 7, 12)


def test_now_that_is_a_conjunction() -> None:
    assert tx("Now that the war is over, trade resumed.") == []


# ------------------------------------------------------------------ durations and sets


@pytest.mark.parametrize(
    ("text", "extent", "value"),
    [
        ("The war lasted two years.", "two years", "P2Y"),
        ("Talks took three months.", "three months", "P3M"),
        ("He served a two-year term.", "two-year", "P2Y"),
        ("Prices doubled in the past five days.", "the past five days", "P5D"),
        ("They waited for nearly an hour.", "nearly an hour", "PT1H"),
        ("It has been like this for years.", "years", "PXY"),
    ],
)
def test_durations(text: str, extent: str, value: str) -> None:
    t = one(text)
    assert (t.text, t.value, t.kind) == (extent, value, "duration")


def test_sets_and_rates() -> None:
    assert [(t.text, t.value, t.kind) for t in find_timexes("The paper is published daily.", ANCHOR)] == [
        ("daily", "P1D", "set")
    ]
    assert tx("The plan costs $5 million a year.") == []  # a rate, not a time expression


def test_offsets_index_the_text() -> None:
    text = "Officials said on Tuesday, July 11, 2023, that two years ago the plant (2008) closed."
    for t in find_timexes(text, ANCHOR):
        assert text[t.start : t.end] == t.text


def test_speed_is_reasonable() -> None:
    text = ("On Tuesday the minister said prices rose 3% last month, two years after the 2021 crash. " * 400)
    assert len(find_timexes(text, ANCHOR)) == 1600


# ------------------------------------------------------------------ publication dates


def _raw(text: str, **kw: object) -> RawDocument:
    return RawDocument(source_path="x.txt", source_key="x.txt", text=text, **kw)  # type: ignore[arg-type]


def _clean(text: str) -> CleanText:
    return CleanText(text=text, offsets=list(range(len(text) + 1)))


def test_published_from_metadata_wins() -> None:
    raw = _raw("Body mentions March 3, 2020.", published=date(2021, 5, 1), published_from="header")
    assert infer_published(raw, _clean(raw.text)) == (date(2021, 5, 1), "header")


def test_published_marker_line() -> None:
    text = "Mayor opens bridge\nPublished: 14 July 2023\nThe mayor opened the bridge built in 2019.\n"
    assert infer_published(_raw(text), _clean(text)) == (date(2023, 7, 14), "header")


def test_published_dateline_without_year() -> None:
    text = (
        "KYIV, Nov 22 (Reuters) - The minister said on Tuesday that talks held on Nov. 3, 2023 had failed.\n"
        "He spoke after a meeting.\n"
    )
    assert infer_from_text(text, today=date(2024, 1, 1)) == date(2023, 11, 22)


def test_published_latest_body_date_and_future_ignored() -> None:
    text = (
        "The council met on March 2, 2023 and again on June 30, 2023.\n"
        "A final vote will be held on September 1, 2023.\n"
    )
    assert infer_from_text(text, today=date(2024, 1, 1)) == date(2023, 6, 30)


def test_caption_trap_only_date_in_caption() -> None:
    text = (
        "Mayor opens bridge\n"
        "The mayor speaks at the opening in Riverton on May 3, 2022. REUTERS/Jane Roe\n"
        "The mayor said the bridge would cut travel times. Residents welcomed it.\n"
    )
    assert is_caption(text.splitlines()[1])
    assert infer_published(_raw(text), _clean(text)) == (None, "unknown")


def test_caption_trap_caption_older_and_newer_than_body() -> None:
    text = (
        "Minister quits\n"
        "FILE PHOTO: The minister attends a meeting in Oslo, Norway, January 9, 2019.\n"
        "The minister resigned on March 14, 2023, a week after the vote on March 7, 2023.\n"
        "The minister at a rally on April 2, 2023 (Photo: John Doe)\n"
        "Supporters gather outside parliament on April 1, 2023 | Getty Images\n"
    )
    assert infer_from_text(text, today=date(2024, 1, 1)) == date(2023, 3, 14)


def test_published_unknown_without_dates() -> None:
    text = "The mayor said the bridge would cut travel times.\n"
    assert infer_published(_raw(text), _clean(text)) == (None, "unknown")


# ------------------------------------------------------------------ statement dates


def _doc(text: str, published: date | None) -> Document:
    return Document(
        id="d1", source_path="x.txt", source_key="x.txt", text=text, clean=_clean(text),
        published=published, published_from="metadata" if published else "unknown",
    )  # fmt: skip


def _st(text: str, content: str, cue: str, evidence: str, kind: str = "indirect") -> Statement:
    start = text.index(evidence)
    return Statement(
        id=f"s{start}", document_id="d1", speaker=None, speaker_mention=None, text=content,
        kind=kind, cue=cue, start=start, end=start + len(evidence), confidence=0.9,  # type: ignore[arg-type]
    )  # fmt: skip


def test_statement_dated_by_leading_date() -> None:
    text = "On September 30, Zelensky announced that Ukraine would apply to join the alliance."
    doc = _doc(text, date(2022, 10, 3))
    st = _st(text, "Ukraine would apply to join the alliance", "announced", text)
    date_statements(doc, [st])
    assert (st.date, st.date_from) == (date(2022, 9, 30), "text")


def test_statement_said_on_weekday() -> None:
    text = 'The minister said on Tuesday: "We will meet on Friday to sign the deal."'
    doc = _doc(text, date(2023, 7, 14))
    st = _st(text, "We will meet on Friday to sign the deal.", "said", text, kind="direct")
    date_statements(doc, [st])
    assert (st.date, st.date_from) == (date(2023, 7, 11), "text")


def test_date_inside_quote_does_not_date_statement() -> None:
    text = 'Smith said: "We will meet on Friday and sign on July 20."'
    doc = _doc(text, date(2023, 7, 12))
    st = _st(text, "We will meet on Friday and sign on July 20.", "said", text, kind="direct")
    date_statements(doc, [st])
    assert (st.date, st.date_from) == (date(2023, 7, 12), "document")


def test_background_paragraph_dates_its_statement() -> None:
    text = (
        "The president said on Monday that the talks would continue.\n\n"
        "We will remind that on November 15, Jones stated that the border would stay closed."
    )
    doc = _doc(text, date(2023, 11, 22))  # a Wednesday
    first = _st(text, "the talks would continue", "said", "The president said on Monday that the talks would continue")
    background = _st(
        text, "the border would stay closed", "stated", "on November 15, Jones stated that the border would stay closed"
    )
    date_statements(doc, [first, background])
    assert (first.date, first.date_from) == (date(2023, 11, 20), "text")
    assert (background.date, background.date_from) == (date(2023, 11, 15), "text")


def test_future_date_is_not_a_statement_date() -> None:
    text = "On December 1, 2023, the minister will say more, his office said."
    doc = _doc(text, date(2023, 11, 22))
    st = _st(text, "the minister will say more", "said", text)
    date_statements(doc, [st])
    assert (st.date, st.date_from) == (date(2023, 11, 22), "document")


def test_statement_dated_by_month() -> None:
    text = "In March, the central bank said rates would rise."
    st = _st(text, "rates would rise", "said", text)
    date_statements(_doc(text, date(2023, 7, 14)), [st])
    assert (st.date, st.date_from) == (date(2023, 3, 1), "text")


def test_statement_without_time_expression_takes_document_date_or_unknown() -> None:
    text = "The mayor said the bridge would cut travel times."
    st = _st(text, "the bridge would cut travel times", "said", text)
    date_statements(_doc(text, date(2023, 5, 2)), [st])
    assert (st.date, st.date_from) == (date(2023, 5, 2), "document")
    st2 = _st(text, "the bridge would cut travel times", "said", text)
    date_statements(_doc(text, None), [st2])
    assert (st2.date, st2.date_from) == (None, "unknown")


def test_other_sentence_date_does_not_govern() -> None:
    text = "The plant closed on March 3, 2023. The mayor said the bridge would cut travel times."
    st = _st(text, "the bridge would cut travel times", "said", "The mayor said the bridge would cut travel times.")
    date_statements(_doc(text, date(2023, 5, 2)), [st])
    assert (st.date, st.date_from) == (date(2023, 5, 2), "document")


def test_absolute_date_without_published_date() -> None:
    text = "On March 3, 2023, the mayor said the bridge would cut travel times."
    st = _st(text, "the bridge would cut travel times", "said", text)
    date_statements(_doc(text, None), [st])
    assert (st.date, st.date_from) == (date(2023, 3, 3), "text")


def test_statement_with_normalised_quotes_and_wrapped_lines() -> None:
    text = (
        "Officials met in the capital and talked for hours about the budget, and\n"
        "on Tuesday the minister said: \u201cWe\u2019ll sign it on Friday \u2014 not before.\u201d"
    )
    doc = _doc(text, date(2023, 7, 14))
    st = _st(text, "We'll sign it on Friday - not before.", "said", "on Tuesday the minister said", kind="direct")
    st.end = len(text)
    date_statements(doc, [st])
    assert (st.date, st.date_from) == (date(2023, 7, 11), "text")


def test_sentence_spans_keep_abbreviations_and_wrapped_lines() -> None:
    from saidwhen.dates import sentence_spans

    text = "Title line\nOn Nov. 15 the U.S. envoy said it was over, and that the talks that had lasted for\nweeks were done. Next one."
    parts = [text[s:e].strip() for s, e in sentence_spans(text)]
    assert parts[0] == "Title line"
    assert parts[1].startswith("On Nov. 15 the U.S. envoy") and parts[1].endswith("were done.")
    assert parts[2] == "Next one."


def test_statement_span_is_content_only_and_split_quote() -> None:
    # the statement extractor's convention: start/end cover the content, the cue lies outside
    text = 'The mayor said on Monday that the bridge would open on Friday. Residents cheered.'
    content = "the bridge would open on Friday"
    st = _st(text, content, "said", content)
    date_statements(_doc(text, date(2023, 7, 12)), [st])
    assert (st.date, st.date_from) == (date(2023, 7, 10), "text")

    text2 = '"We will win," the mayor said on Tuesday, "and we will win by Friday."'
    content2 = 'We will win," the mayor said on Tuesday, "and we will win by Friday.'
    st2 = _st(text2, "We will win, and we will win by Friday.", "said", content2, kind="direct")
    date_statements(_doc(text2, date(2023, 7, 12)), [st2])
    assert (st2.date, st2.date_from) == (date(2023, 7, 11), "text")


def test_cue_of_the_statements_own_sentence_is_used() -> None:
    # the nearer "said" belongs to the previous sentence (dated by "on Wednesday"); the quote's own cue is undated
    text = 'Northern ports reopened on Wednesday, officials said.\n\n"All ships can sail again," the harbour master said.'
    content = "All ships can sail again"
    st = _st(text, content, "said", content, kind="direct")
    date_statements(_doc(text, date(2024, 3, 22)), [st])
    assert (st.date, st.date_from) == (date(2024, 3, 22), "document")


def test_dates_outside_the_calendar_do_not_crash():
    from saidwhen.dates import find_timexes as tag

    found = tag("It was 7000 years ago. The flood came in 9999 BC. Then 12000 years later, on Monday, rain.",
                date(2011, 1, 27))
    assert any(t.text.lower().endswith("monday") for t in found)


def test_odd_spellings_do_not_crash_the_tagger():
    from saidwhen.dates import find_timexes

    assert [t.value for t in find_timexes("In nineteen hundred they came.", date(2020, 1, 1))] == ["1900"]
    find_timexes("the ſeventies were wild", date(2020, 1, 1))  # long s: no KeyError
