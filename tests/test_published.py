"""Publication dates real collections need: header variants, URLs, datelines, the day the mentions point to.

Hand-written texts; each variant read through the real ingest and date stages where a file is involved.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from saidwhen.dates import infer_from_text, infer_published
from saidwhen.dates.evidence import collect_evidence, estimate
from saidwhen.dates.published import header_date, url_date
from saidwhen.ingest import read_inputs
from saidwhen.model import CleanText, RawDocument
from saidwhen.pipeline import prepare
from saidwhen.problems import ProblemLog

TODAY = date(2024, 6, 1)


def _raw(text: str, **kw: object) -> RawDocument:
    return RawDocument(source_path="x.txt", source_key="x.txt", text=text, **kw)  # type: ignore[arg-type]


def _clean(text: str) -> CleanText:
    return CleanText(text=text, offsets=list(range(len(text) + 1)))


def _read(tmp_path: Path, name: str, content: str) -> list:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    problems = ProblemLog()
    docs = [prepare(raw) for raw in read_inputs([str(path)], problems)]
    assert not problems.problems
    return docs


# ------------------------------------------------------------------ date header run into the first paragraph


@pytest.mark.parametrize(
    "content",
    [
        " date 2023-06-01 The alliance chief Ona Berg said on Thursday that the talks went well.\nMore text.\n",
        "\n\n   date 2023-06-01   The alliance chief Ona Berg said on Thursday that the talks went well.\n",
        "date: 2023-06-01 The alliance chief Ona Berg said on Thursday that the talks went well.\n",
    ],
)
def test_txt_date_header_run_into_paragraph(tmp_path: Path, content: str) -> None:
    (doc,) = _read(tmp_path, "a.txt", content)
    assert (doc.published, doc.published_from) == (date(2023, 6, 1), "header")
    assert doc.text.startswith("The alliance chief")  # the header is not article text


def test_record_text_with_date_header_is_a_header_date(tmp_path: Path) -> None:
    line = '{"text": " date 2023-06-01 The alliance chief Ona Berg said the talks went well.", "title": "Talks"}\n'
    (doc,) = _read(tmp_path, "a.jsonl", line)
    assert (doc.published, doc.published_from) == (date(2023, 6, 1), "header")


def test_header_date_only_at_the_top() -> None:
    text = "The chief spoke.\nThe form has a date 2023-06-01 field.\n"
    assert header_date(text, TODAY) is None


# ------------------------------------------------------------------ Published / Updated lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bridge opens\nPublished: 14 July 2023\nThe mayor opened the bridge.\n", date(2023, 7, 14)),
        ("Bridge opens\nPublished 3:45 PM EST, Tue March 7, 2023\nThe mayor opened it.\n", date(2023, 3, 7)),
        ("Bridge opens\nPosted on March 7, 2023 at 10:00\nThe mayor opened it.\n", date(2023, 3, 7)),
        # an "Updated" line counts only without a "Published" one, and never wins over it
        ("Bridge opens\nUpdated: March 9, 2023\nThe mayor opened it.\n", date(2023, 3, 9)),
        ("Bridge opens\nPublished March 7, 2023\nUpdated March 9, 2023\nThe mayor opened it.\n", date(2023, 3, 7)),
    ],
)
def test_published_and_updated_lines(text: str, expected: date) -> None:
    assert infer_published(_raw(text), _clean(text)) == (expected, "header")


# ------------------------------------------------------------------ dates in URLs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.com/world/2023/06/01/alliance-talks/", date(2023, 6, 1)),
        ("https://news.example.com/world/2023-06-01/alliance-talks", date(2023, 6, 1)),
        ("https://news.example.com/20230601/alliance-talks.html", date(2023, 6, 1)),
        ("https://www.example.co.uk/world/2023/jun/01/alliance-talks", date(2023, 6, 1)),
        ("https://news.example.com/world/alliance-talks-202306011234567", None),  # an id, not a date
        ("https://news.example.com/2023/13/45/x", None),
        ("https://news.example.com/2031/01/01/x", None),  # in the future
        (None, None),
    ],
)
def test_url_dates(url: str | None, expected: date | None) -> None:
    assert url_date(url, TODAY) == expected


def test_url_date_is_used_after_metadata_and_headers() -> None:
    text = "The chief said on Thursday that the talks went well.\n"
    raw = _raw(text, url="https://news.example.com/2023/06/01/talks")
    assert infer_published(raw, _clean(text)) == (date(2023, 6, 1), "url")
    raw = _raw(text, url="https://news.example.com/2023/06/01/talks", published=date(2023, 6, 2),
               published_from="metadata")
    assert infer_published(raw, _clean(text)) == (date(2023, 6, 2), "metadata")


def test_url_from_record_metadata(tmp_path: Path) -> None:
    line = '{"text": "The chief said the talks went well.", "url": "https://n.example.com/2023/06/01/t"}\n'
    (doc,) = _read(tmp_path, "a.jsonl", line)
    assert (doc.published, doc.published_from) == (date(2023, 6, 1), "url")


# ------------------------------------------------------------------ datelines


def test_wire_dateline_without_year_takes_the_year_of_the_body() -> None:
    text = (
        "WASHINGTON, March 3 (Reuters) - The senator said on Thursday that the bill agreed on "
        "Feb. 27, 2022 would pass.\nShe spoke to reporters.\n"
    )
    assert infer_from_text(text, today=TODAY) == date(2022, 3, 3)


def test_dateline_with_year() -> None:
    text = "PARIS, March 3, 2015 (AFP) - The minister resigned.\nHe gave no reason.\n"
    assert infer_from_text(text, today=TODAY) == date(2015, 3, 3)


# ------------------------------------------------------------------ the caption trap stays shut


def test_caption_date_is_never_the_publication_date() -> None:
    text = (
        "Mayor opens bridge\n"
        "The mayor at the opening in Riverton on May 3, 2022. REUTERS/Jane Roe\n"
        "Published: see below\n"
        "The mayor said the bridge would cut travel times.\n"
    )
    assert infer_published(_raw(text), _clean(text)) == (None, "unknown")
    text = "Mayor\nPublished: May 3, 2022 | Getty Images\nThe mayor spoke on Tuesday.\n"
    assert header_date(text, TODAY) is None


# ------------------------------------------------------------------ the day the mentions point to


def test_mentions_point_to_the_day_after_the_full_date() -> None:
    # the latest full date is Monday March 6; the article also reports Tuesday and "Wednesday, March 8"
    text = (
        "The strike began on March 6, 2023. Unions met ministers on Tuesday and talks broke down "
        "on Wednesday, March 8, officials said.\n"
    )
    assert date(2023, 3, 7) <= infer_from_text(text, today=TODAY) <= date(2023, 3, 8)  # type: ignore[operator]
    # a weekday alone does not move the date away from the full date (which week is it?)
    text = "The strike began on March 6, 2023, officials said. Unions will meet ministers on Saturday.\n"
    assert infer_from_text(text, today=TODAY) == date(2023, 3, 6)


def test_future_mentions_do_not_vote() -> None:
    text = "The council met on June 30, 2023. A final vote will be held on September 1, 2023.\n"
    assert infer_from_text(text, today=TODAY) == date(2023, 6, 30)


def test_weekdays_alone_need_a_prior() -> None:
    ev = collect_evidence("The minister said on Tuesday that talks would resume.")
    assert estimate(ev, limit=TODAY) is None
    # with the dates of reports of the same happening (Tuesday 2023-03-07 and Wednesday 2023-03-08)
    got = estimate(ev, [(date(2023, 3, 7), 1.0), (date(2023, 3, 8), 1.0)], limit=TODAY)
    assert got is not None and got.day == date(2023, 3, 7)
