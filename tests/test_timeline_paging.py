"""`/api/timeline` in pages of whole dates (real server, real SQLite file): the pages put together are the
whole timeline, for every kind of filter, and one page stays small on a long store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import live_server, make_doc, make_statement
from saidwhen.api import create_app
from saidwhen.model import MergedStatement
from saidwhen.store import Store
from saidwhen.timeline import build_timeline

SPEAKERS = ["Ada Kivi", "Bo Lund", "Cai Moor"]
TOPICS = ["ferries", "bridges", "tariffs", "quays"]


def fill_long_store(path: Path, days: int = 60) -> None:
    """`days` dates, several statements a date, a statement reported by three outlets on three dates (merged),
    undated statements; an article a date and outlet."""
    start = date(2024, 1, 1)
    docs, statements, merged = [], [], []
    for n in range(days):
        day = start + timedelta(days=n)
        for k, outlet in enumerate(("North Post", "South Wire")):
            lines = [f'"{TOPICS[(n + i) % 4].capitalize()} matter {n}-{k}-{i}," {SPEAKERS[(n + i + k) % 3]} said.'
                     for i in range(3)]  # fmt: skip
            text = f"Day {n} in {outlet}\n\n" + "\n\n".join(lines) + f'\n\n"Shared line {n // 3}," Ada Kivi said.'
            doc = make_doc(text, f"{n}-{k}.txt", outlet, day)
            docs.append(doc)
            for i in range(3):
                speaker = SPEAKERS[(n + i + k) % 3]
                st = make_statement(doc, speaker, f"{TOPICS[(n + i) % 4].capitalize()} matter {n}-{k}-{i}")
                statements.append(replace(st, date=None) if (n + i) % 11 == 0 else st)
            shared = make_statement(doc, "Ada Kivi", f"Shared line {n // 3}", merged_id=f"m{n // 3}")
            statements.append(shared)
    for group in sorted({s.merged_id for s in statements if s.merged_id}):
        ids = [s.id for s in statements if s.merged_id == group]
        first = min(s.date for s in statements if s.merged_id == group)
        merged.append(MergedStatement(group, "Ada Kivi", "Shared line", first, ids))
    with Store(path) as store, store.transaction():
        for doc in docs:
            store.save_document(doc)
        store.save_statements(statements)
        store.save_merged(merged)


@pytest.fixture(scope="module")
def long_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("long") / "long.db"
    fill_long_store(path)
    return path


@pytest.fixture(scope="module")
def client(long_store: Path) -> Iterator[httpx.Client]:
    with live_server(create_app(long_store)) as base, httpx.Client(base_url=base, timeout=30) as c:
        yield c


def _all_pages(client: httpx.Client, params: dict[str, Any], limit: int) -> tuple[list[dict[str, Any]], int]:
    dates: list[dict[str, Any]] = []
    offset: int | None = 0
    pages = 0
    while offset is not None:
        r = client.get("/api/timeline", params={**params, "limit": limit, "offset": offset})
        assert r.status_code == 200, r.text
        page = r.json()
        dates += page["dates"]
        assert page["page"]["offset"] == offset
        offset = page["page"]["next_offset"]
        pages += 1
        assert pages < 500
    return dates, pages


@pytest.mark.parametrize(
    "params",
    [{}, {"all": "true"}, {"speaker": "Bo Lund"}, {"speaker": "ada kivi", "all": "true"}, {"topic": "ferries"},
     {"since": "2024-01-10", "until": "2024-02-05"}, {"per_date": 1}],  # fmt: skip
)
def test_pages_make_the_whole_timeline(client: httpx.Client, long_store: Path, params: dict[str, Any]) -> None:
    with Store(long_store, readonly=True) as store:
        whole = build_timeline(
            store, speaker=params.get("speaker"), topic=params.get("topic"), since=params.get("since"),
            until=params.get("until"), show_all=params.get("all") == "true", per_date=params.get("per_date", 3),
        )  # fmt: skip
    assert whole["dates"]
    for limit in (1, 7, 1000):
        dates, pages = _all_pages(client, params, limit)
        assert json.loads(json.dumps(whole["dates"])) == dates, (params, limit)
        if limit == 1:
            assert pages == len(whole["dates"])  # a date is never split, one date a page at the least
    # the shared statement is one item reported by both outlets, under its merged date
    if not params:
        items = [it for d in whole["dates"] for g in d["groups"] for it in g["items"] if it["merged_id"] == "m0"]
        assert len(items) == 1 and items[0]["reported_by"] == 2 and items[0]["date"] == "2024-01-01"


def test_a_page_is_small_and_says_where_the_next_starts(client: httpx.Client) -> None:
    first = client.get("/api/timeline", params={"limit": 10}).json()
    assert first["page"]["dates_total"] == 61  # 60 days and the undated
    shown = sum(d["shown"] for d in first["dates"])
    assert 10 <= shown <= 12 and first["page"]["next_offset"] == len(first["dates"])
    default = client.get("/api/timeline")
    assert default.status_code == 200 and default.json()["page"]["limit"] == 30
    assert len(default.content) < 200_000
    last = client.get("/api/timeline", params={"offset": 60}).json()
    assert last["page"]["next_offset"] is None and [d["date"] for d in last["dates"]] == [None]
    beyond = client.get("/api/timeline", params={"offset": 1000}).json()
    assert beyond["dates"] == [] and beyond["page"]["next_offset"] is None
    assert client.get("/api/timeline", params={"limit": 0}).status_code == 422
