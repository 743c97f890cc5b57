"""Ingest: every input format from real files, folders, gzip and stdin."""

from __future__ import annotations

import gzip
import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from saidwhen.ingest import read_inputs
from saidwhen.ingest.records import content_hash
from saidwhen.model import RawDocument
from saidwhen.problems import ProblemLog

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Mayor promises bridge by July | Harbour Times</title>
<meta property="og:title" content="Mayor promises bridge by July">
<meta property="og:site_name" content="Harbour Times">
<meta property="article:published_time" content="2023-07-12T08:30:00+00:00">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Mayor promises bridge by July</h1>
<p>The mayor of Port Elm said on Tuesday that the harbour bridge would reopen to traffic by the end of July,
after months of repairs that have split the town in two.</p>
<p>"We are working day and night, and the engineers tell me the last beams go in next week," she told
reporters at the town hall, adding that the budget had not been exceeded.</p>
<p>Opposition councillors said the timetable had already slipped twice and asked for an independent review
of the contract before any further payments are made.</p>
</article>
<footer>Copyright Harbour Times</footer>
</body></html>
"""


def read(*paths: str | Path, max_bytes: int = 50_000_000) -> tuple[list[RawDocument], ProblemLog]:
    problems = ProblemLog()
    docs = list(read_inputs([str(p) for p in paths], problems, max_bytes=max_bytes))
    return docs, problems


def write_warc(path: Path, pages: list[tuple[str, bytes, str]]) -> list[str]:
    """A WARC with a request, a response per page and an image response; returns the record ids."""
    ids = []
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        for uri, body, content_type in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
            writer.write_record(record)
            ids.append(record.rec_headers.get_header("WARC-Record-ID").strip("<>"))
        request = writer.create_warc_record(
            "https://example.org/x", "request", payload=io.BytesIO(b"GET /x HTTP/1.1\r\n\r\n")
        )
        writer.write_record(request)
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/a.png",
                "response",
                payload=io.BytesIO(b"\x89PNG\r\n"),
                http_headers=image,
            )
        )
    return ids


# --- .txt ----------------------------------------------------------------------------------------


def test_txt_date_header_title_and_source(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(
        "date 2023-07-12\nsource: Harbour Times\n\nMayor promises bridge by July\n\n"
        'The mayor said on Tuesday: "We are working day and night."\n',
        encoding="utf-8",
    )
    (doc,), problems = read(f)
    assert len(problems) == 0
    assert doc.source_path == doc.source_key == str(f)
    assert doc.published == date(2023, 7, 12)
    assert doc.published_from == "header"
    assert doc.outlet == "Harbour Times"
    assert doc.title == "Mayor promises bridge by July"
    assert doc.text.startswith("Mayor promises bridge by July\n")  # the title stays in the text
    assert "2023-07-12" not in doc.text and "Harbour Times" not in doc.text
    assert doc.line is None and doc.language is None


def test_txt_date_as_line_prefix(tmp_path: Path) -> None:
    f = tmp_path / "p.txt"
    f.write_text("date 2021-03-04 The minister said the plan was ready.\nMore text follows here.\n")
    (doc,), _ = read(f)
    assert doc.published == date(2021, 3, 4)
    assert doc.text == "The minister said the plan was ready.\nMore text follows here.\n"
    assert doc.title is None  # ends with a full stop


def test_txt_without_header_or_title(tmp_path: Path) -> None:
    f = tmp_path / "plain.txt"
    body = "The council met on Monday and said it would\nreview the budget before the summer.\n"
    f.write_text(body)
    (doc,), _ = read(f)
    assert doc.text == body
    assert doc.title is None  # a wrapped first line is not a title
    assert doc.published is None and doc.published_from == "unknown"
    assert doc.outlet is None


def test_txt_source_word_without_colon_is_text(tmp_path: Path) -> None:
    f = tmp_path / "s.txt"
    f.write_text("Source close to the mayor says the deal is done.\nNothing else is known.\n")
    (doc,), _ = read(f)
    assert doc.outlet is None
    assert doc.text.startswith("Source close to the mayor")


def test_txt_invalid_date_header_is_text(tmp_path: Path) -> None:
    f = tmp_path / "d.txt"
    f.write_text("date 2023-13-45\nThe rest.\n")
    (doc,), _ = read(f)
    assert doc.published is None
    assert doc.text.startswith("date 2023-13-45")


def test_txt_latin1_and_bom_and_mojibake(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le maire a déclaré mardi que le café rouvrira à l'été.\n".encode("latin-1"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfdate 2022-01-02\nBody text.\n")
    moji = tmp_path / "moji.txt"
    moji.write_text(
        "The caf\u00c3\u00a9 owner said \u00e2\u20ac\u0153no\u00e2\u20ac\u009d.\n", encoding="utf-8"
    )
    docs, problems = read(latin, bom, moji)
    assert len(problems) == 0
    assert docs[0].text == "Le maire a déclaré mardi que le café rouvrira à l'été.\n"
    assert docs[0].meta["encoding"] == "cp1252"
    assert docs[1].published == date(2022, 1, 2) and docs[1].text == "Body text.\n"
    assert docs[2].text == "The café owner said “no”.\n"


def test_txt_utf16_with_bom(tmp_path: Path) -> None:
    f = tmp_path / "u16.txt"
    f.write_bytes("Zürich mayor said yes.\n".encode("utf-16"))
    (doc,), problems = read(f)
    assert doc.text == "Zürich mayor said yes.\n"
    assert len(problems) == 0


# --- records -------------------------------------------------------------------------------------


def test_jsonl_field_mapping(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    rows = [
        {
            "Text": "The mayor said yes.",
            "title": "Yes",
            "link": "https://ex.org/1",
            "publication_date": "2023-07-12T23:10:00-05:00",
            "publisher": "Harbour Times",
            "lang": "en",
            "id": 17,
        },
        {"body": "Second body.", "published": "Wed, 12 Jul 2023 10:00:00 +0000", "outlet": "Gazette"},
        {"content": ["First paragraph.", "Second paragraph."], "date": "12 July 2023", "source": "S"},
        {"text": "Undated.", "date": "sometime"},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    docs, problems = read(f)
    assert len(problems) == 0
    assert docs[0].source_key == f"{f}#id:17"  # the id field, else the URL, else the content
    assert all(d.source_key.startswith(f"{f}#h:") for d in docs[1:])
    assert [d.line for d in docs] == [1, 2, 3, 4]
    first = docs[0]
    assert (first.text, first.title, first.url, first.outlet, first.language) == (
        "The mayor said yes.",
        "Yes",
        "https://ex.org/1",
        "Harbour Times",
        "en",
    )
    assert first.published == date(2023, 7, 12) and first.published_from == "metadata"
    assert first.meta["fields"] == {"id": 17}
    assert docs[1].outlet == "Gazette" and docs[1].published == date(2023, 7, 12)
    assert docs[2].text == "First paragraph.\n\nSecond paragraph."
    assert docs[2].published == date(2023, 7, 12)
    assert docs[3].published is None and docs[3].published_from == "unknown"
    assert docs[3].meta["date_raw"] == "sometime"


def test_jsonl_malformed_line_in_the_middle(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text(
        '{"text": "one"}\n{"text": "two"\n\n{"title": "no text here"}\n"just a string"\n{"text": "   "}\n{"text": "six"}\n'
    )
    docs, problems = read(f)
    assert [d.text for d in docs] == ["one", "six"]
    assert [d.line for d in docs] == [1, 7]
    where = [(p.path, p.line) for p in problems.problems]
    assert where == [(str(f), 2), (str(f), 4), (str(f), 5), (str(f), 6)]
    assert problems.problems[0].reason.startswith("malformed JSON")
    assert problems.problems[1].reason.startswith("no text")
    assert problems.problems[2].reason.startswith("not a record")
    assert str(problems.problems[0]).startswith(f"{f}:2: malformed JSON")


def test_json_array_object_and_wrapper(tmp_path: Path) -> None:
    arr = tmp_path / "arr.json"
    arr.write_text(
        json.dumps([{"text": "a1", "date": "2020-01-01"}, {"text": "a2"}, {"text": "a3"}], indent=2)
    )
    obj = tmp_path / "obj.json"
    obj.write_text(json.dumps({"title": "One", "body": "Single object."}, indent=2))
    line = tmp_path / "line.json"
    line.write_text('{"text": "only one line"}\n')
    lines = tmp_path / "lines.json"
    lines.write_text('{"text": "l1"}\n{"text": "l2"}\n')
    wrapper = tmp_path / "wrap.json"
    wrapper.write_text(json.dumps({"status": "ok", "articles": [{"text": "w1"}, {"text": "w2"}]}))
    docs, problems = read(arr, obj, line, lines, wrapper)
    assert len(problems) == 0
    keys = [d.source_key.split("#h:")[0] for d in docs]  # records are keyed by content: path#h:<hash>
    assert keys == [str(arr)] * 3 + [str(obj), str(line)] + [str(lines)] * 2 + [str(wrapper)] * 2
    assert docs[3].source_key == str(obj) and docs[4].source_key == str(line)  # one document: the path
    assert len({d.source_key for d in docs}) == len(docs)
    assert [d.text for d in docs[:3]] == ["a1", "a2", "a3"]
    assert [d.line for d in docs[:3]] == [2, 6, 9]  # where each element starts
    assert docs[0].published == date(2020, 1, 1)
    assert docs[3].title == "One" and docs[3].text == "Single object."


def test_json_array_streams_large_elements(tmp_path: Path) -> None:
    f = tmp_path / "big.json"
    body = "word " * 20_000
    f.write_text("[" + ",".join(json.dumps({"text": f"{i} {body}"}) for i in range(5)) + "]")
    docs, problems = read(f)
    assert len(problems) == 0
    assert [d.text.split()[0] for d in docs] == ["0", "1", "2", "3", "4"]
    assert all(d.line == 1 for d in docs)


def test_json_broken(tmp_path: Path) -> None:
    truncated = tmp_path / "t.json"
    truncated.write_text('[{"text": "ok"},\n{"text": "cut')
    broken = tmp_path / "b.json"
    broken.write_text('{\n  "text": "x",\n  oops\n}')
    docs, problems = read(truncated, broken)
    assert [d.text for d in docs] == ["ok"]
    assert [(p.path, p.line) for p in problems.problems] == [(str(truncated), 2), (str(broken), 3)]
    assert all(p.reason.startswith("malformed JSON") for p in problems.problems)


def test_csv_with_multiline_fields_and_mapping(tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text(
        "Title,Body,Date,Outlet,URL\n"
        'First,"The mayor said:\n""We are ready.""",2023-07-12,Harbour Times,https://ex.org/1\n'
        "Empty,,2023-07-13,X,\n"
        "Third," + "long " * 40_000 + ",07/12/2023,Y,\n",
        newline="",
    )
    docs, problems = read(f)
    assert [d.source_key for d in docs] == [f"{f}#url:https://ex.org/1", f"{f}#h:{content_hash(docs[1])}"]
    assert [d.line for d in docs] == [2, 5]
    assert docs[0].text == 'The mayor said:\n"We are ready."'
    assert docs[0].published == date(2023, 7, 12) and docs[0].published_from == "metadata"
    assert docs[0].outlet == "Harbour Times" and docs[0].url == "https://ex.org/1"
    assert docs[1].title == "Third" and len(docs[1].text) == 200_000  # above csv's default field limit
    assert docs[1].published is None  # ambiguous month/day order
    assert [(p.line, p.reason.split(":")[0]) for p in problems.problems] == [(4, "no text")]


def test_csv_semicolon_and_tsv(tmp_path: Path) -> None:
    semi = tmp_path / "s.csv"
    semi.write_text("text;date\nBonjour, dit le maire.;2023-01-02\n")
    tsv = tmp_path / "t.tsv"
    tsv.write_text("title\tcontent\nT\tTab separated, with commas.\n")
    docs, problems = read(semi, tsv)
    assert len(problems) == 0
    assert [d.text for d in docs] == ["Bonjour, dit le maire.", "Tab separated, with commas."]
    assert docs[1].title == "T"


def test_csv_without_text_column(tmp_path: Path) -> None:
    f = tmp_path / "n.csv"
    f.write_text("name,age\nBob,4\n")
    docs, problems = read(f)
    assert docs == []
    assert problems.problems[0].reason.startswith("no text column")


# --- HTML and WARC -------------------------------------------------------------------------------


def test_html_extraction(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(ARTICLE_HTML, encoding="utf-8")
    (doc,), problems = read(f)
    assert len(problems) == 0
    assert doc.source_key == str(f)
    assert doc.title == "Mayor promises bridge by July"
    assert doc.outlet == "Harbour Times"
    assert doc.published == date(2023, 7, 12) and doc.published_from == "html"
    assert "harbour bridge would reopen" in doc.text
    assert "Home" not in doc.text and "Copyright" not in doc.text
    assert doc.language == "en"


def test_html_date_only_from_markup_or_url(tmp_path: Path) -> None:
    page = ARTICLE_HTML.replace(
        '<meta property="article:published_time" content="2023-07-12T08:30:00+00:00">', ""
    )
    page = page.replace("said on Tuesday", "said on 3 March 2021").replace('lang="en"', "")
    f = tmp_path / "nodate.html"
    f.write_text(page)
    (doc,), _ = read(f)
    assert doc.published is None and doc.published_from == "unknown"  # text dates are the date stage's job
    assert doc.language is None


def test_html_declared_charset(tmp_path: Path) -> None:
    f = tmp_path / "w.htm"
    page = ARTICLE_HTML.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "mayor of", "maire de café,"
    )
    f.write_bytes(page.encode("cp1252"))
    (doc,), _ = read(f)
    assert "maire de café," in doc.text


def test_broken_html(tmp_path: Path) -> None:
    empty_body = tmp_path / "e.html"
    empty_body.write_text("<html><head><title>x</title></head><body><div></div></body></html>")
    garbage = tmp_path / "g.html"
    garbage.write_text("<<<>>> </p></div><script>")
    unclosed = tmp_path / "u.html"
    unclosed.write_text(ARTICLE_HTML[: len(ARTICLE_HTML) // 2 + 200])  # cut in the middle of the article
    docs, problems = read(empty_body, garbage, unclosed)
    assert [d.source_path for d in docs] == [str(unclosed)]
    assert "harbour bridge" in docs[0].text
    assert [(p.path, p.reason.split(":")[0]) for p in problems.problems] == [
        (str(empty_body), "broken HTML"),
        (str(garbage), "broken HTML"),
    ]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    ids = write_warc(
        f,
        [
            ("https://harbour.example/mayor", ARTICLE_HTML.encode(), "text/html; charset=utf-8"),
            ("https://harbour.example/empty", b"<html><body></body></html>", "text/html"),
            ("https://harbour.example/data.json", b'{"a": 1}', "application/json"),
        ],
    )
    docs, problems = read(f)
    (doc,) = docs
    assert doc.source_key == f"{f}#{ids[0]}" and ids[0].startswith("urn:uuid:")
    assert doc.url == "https://harbour.example/mayor"
    assert doc.line == 1
    assert doc.title == "Mayor promises bridge by July" and doc.outlet == "Harbour Times"
    assert doc.published == date(2023, 7, 12) and doc.published_from == "html"
    assert doc.meta["format"] == "warc" and "crawled" in doc.meta
    assert [(p.line, p.reason.split(":")[0]) for p in problems.problems] == [(2, "broken HTML")]


def test_warc_gzipped_as_a_whole(tmp_path: Path) -> None:
    plain = tmp_path / "one.warc"
    (record_id,) = write_warc(plain, [("https://harbour.example/m", ARTICLE_HTML.encode(), "text/html")])
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    plain.unlink()
    (doc,), problems = read(whole)
    assert doc.source_key == f"{whole}#{record_id}"
    assert len(problems) == 0


def test_not_a_warc(tmp_path: Path) -> None:
    f = tmp_path / "fake.warc"
    f.write_text("this is not a web archive\n")
    docs, problems = read(f)
    assert docs == []
    assert problems.problems[0].reason.startswith("not a WARC file")


# --- gzip, folders, stdin ------------------------------------------------------------------------


def test_gzip_of_each_format(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"date 2023-01-01\nGzipped text.\n"))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(b'{"text": "g1"}\n{"text": "g2"}\n'))
    (tmp_path / "c.csv.gz").write_bytes(gzip.compress(b"text\ng3\n"))
    (tmp_path / "d.html.gz").write_bytes(gzip.compress(ARTICLE_HTML.encode()))
    (tmp_path / "e.json.gz").write_bytes(gzip.compress(b'[{"text": "g4"}]'))
    (tmp_path / "f.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    docs, problems = read(tmp_path)
    assert [d.text for d in docs if d.meta["format"] != "html"] == ["Gzipped text.\n", "g1", "g2", "g3", "g4"]
    assert docs[0].published == date(2023, 1, 1)
    assert docs[1].source_key.startswith(f"{tmp_path / 'b.jsonl.gz'}#h:") and docs[1].line == 1
    assert [d.meta["format"] for d in docs].count("html") == 1
    assert [(Path(p.path).name, p.reason.split(":")[0]) for p in problems.problems] == [
        ("f.jsonl.gz", "corrupt gzip data")
    ]


def test_folder_recursive_sorted_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed text.\n")
    (tmp_path / "c.txt").write_text("Alpha text.\n")
    (tmp_path / "b" / "c").mkdir()
    (tmp_path / "b" / "c" / "m.jsonl").write_text('{"text": "Nested."}\n')
    (tmp_path / ".hidden.txt").write_text("Hidden.\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Hidden too.\n")
    (tmp_path / "notes.md").write_text("# not an article\n")
    docs, problems = read(tmp_path)
    assert [d.text for d in docs] == ["Alpha text.\n", "Zed text.\n", "Nested."]  # files, then subfolders
    assert [(Path(p.path).name, p.reason.split(":")[0]) for p in problems.problems] == [
        ("notes.md", "unsupported format")
    ]


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'{"text": "from stdin", "date": "2024-02-29"}\nnot json\n{"text": "second"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    docs, problems = read("-")
    assert [(d.source_path, d.source_key, d.line, d.text) for d in docs] == [
        ("-", f"-#h:{content_hash(docs[0])}", 1, "from stdin"),
        ("-", f"-#h:{content_hash(docs[1])}", 3, "second"),
    ]
    assert docs[0].published == date(2024, 2, 29)
    assert [(p.path, p.line) for p in problems.problems] == [("-", 2)]
