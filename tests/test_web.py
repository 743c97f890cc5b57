"""The web page in Debian's headless Chromium (Playwright), against a real server and store."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import HOSTILE_IMG, HOSTILE_SCRIPT, Corpus, live_server
from saidwhen.api import create_app
from saidwhen.web import has_vendor

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian's chromium is not installed ({CHROMIUM})"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
expect = sync_api.expect


@pytest.fixture(scope="module")
def base_url(corpus: Corpus) -> Iterator[str]:
    with live_server(create_app(corpus.path)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    outside: list[str] = []
    pg.on("request", lambda req: None if req.url.startswith((base_url, "data:")) else outside.append(req.url))
    yield pg
    context.close()
    assert not outside, f"the page fetched something off the server: {outside}"
    assert not errors, f"JavaScript errors: {errors}"


def _cards(page: Any) -> list[str]:
    return page.locator("#results .card .said").all_inner_texts()


def test_search_filter_and_open_a_statement(page: Any, base_url: str, corpus: Corpus) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("#results .card")
    expect(page.locator("#stats")).to_contain_text("6 articles")
    # the three reports of one statement are one card
    assert _cards(page).count("“Our doors are open to every ship”") == 1
    doors = page.locator("#results .card", has_text="Our doors are open").first
    assert doors.locator(".badge").inner_text() == "3 reports"
    if has_vendor("vis-timeline-graph2d.min.js"):
        page.wait_for_function("() => document.querySelectorAll('#timeline .vis-item').length >= 5")
        assert page.locator("#timeline-notice").is_hidden()
        # the timeline is interactive: clicking an item opens its statement
        page.locator("#timeline .vis-item", has_text="Safety comes first").click()
        expect(page.locator("#detail mark.evidence")).to_have_text("Safety comes first")

    # search
    page.fill("#q", "reopen")
    page.click("button[type=submit]")
    expect(page.locator("#list-head")).to_contain_text("reopen")
    expect(page.locator("#results .card .said").first).to_have_text(
        re.compile(r"^(ports will reopen by summer|ports will not reopen before autumn)$"))
    assert page.locator("#results .card.article").count() >= 1

    # filter by speaker (the select submits on change)
    page.fill("#q", "")
    page.select_option("#speaker", "Jonas Berg")
    expect(page.locator("#results .card")).to_have_count(1)
    assert _cards(page) == ["“The fees must fall this year”"]
    page.select_option("#speaker", "Anu Rebane")
    expect(page.locator("#results .card")).to_have_count(3)

    # open a statement: its exact words are highlighted in the source paragraph, with outlets and claim history
    page.locator("#results .card", has_text="ports will not reopen before autumn").click()
    mark = page.locator("#detail mark.evidence")
    mark.wait_for()
    assert mark.inner_text() == "ports will not reopen before autumn"
    source = page.locator("#detail .source").inner_text()
    assert "Anu Rebane said on Tuesday that ports will not reopen before autumn." in source
    assert page.locator("#detail .reports-section h3").text_content() == "Reported by 1 outlet"
    history = page.locator("#detail .history li").all_inner_texts()
    assert len(history) == 2 and history[0].startswith("2024-03-20") and "autumn" in history[1]
    # follow the claim's history back to the earlier statement
    page.locator("#detail .history button").click()
    expect(page.locator("#detail mark.evidence")).to_have_text("ports will reopen by summer")

    # a statement reported by three outlets: switch the source between them
    page.select_option("#speaker", "")
    expect(page.locator("#results .card")).to_have_count(8)  # 10 statements, 3 reports of one
    page.locator("#results .card", has_text="Our doors are open").first.click()
    page.wait_for_selector("#detail .reports li >> nth=2")
    assert page.locator("#detail .reports-section h3").text_content() == "Reported by 3 outlets"
    page.locator("#detail .reports button", has_text="Baltic Wire").click()
    expect(page.locator("#detail .source")).to_contain_text("told reporters")
    assert page.locator("#detail mark.evidence").inner_text() == "Our doors are open to every ship."
    expect(page.locator("#detail .reports li", has_text="Baltic Wire").locator(".shown-flag")).to_be_visible()
    expect(page.locator("#detail .reports li", has_text="Coastal Times").locator(".shown-flag")).to_be_hidden()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-statement.png"))
    assert (ARTIFACTS / "web-statement.png").stat().st_size > 10_000


def test_hostile_article_is_shown_as_text(page: Any, base_url: str, corpus: Corpus) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("#results .card")
    page.fill("#q", "trust")
    page.press("#q", "Enter")
    expect(page.locator("#list-head")).to_contain_text("trust")
    page.locator("#results .card.statement").first.click()
    page.locator("#detail mark.evidence").wait_for()
    assert page.locator("#detail mark.evidence").inner_text() == f"Trust me {HOSTILE_IMG} now"
    # the whole article, every statement span marked
    page.locator("#detail button", has_text="whole article").click()
    page.locator("#detail .document-detail").wait_for()
    text = page.locator("#detail .article-text").inner_text()
    assert HOSTILE_SCRIPT in text and HOSTILE_IMG in text
    assert HOSTILE_SCRIPT in page.locator("#detail h2").inner_text()  # the title too
    # nothing was parsed as markup, nothing ran
    assert page.locator("#detail img, #results img, #timeline img").count() == 0
    assert page.locator("body script").count() == 2  # the page's own: vis-timeline and app.js
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    # the non-web url of the article is not a link
    assert page.locator("#detail a[href^='javascript']").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-injection.png"))


def test_page_works_without_the_vendored_timeline(page: Any, base_url: str) -> None:
    page.route("**/static/vendor/**", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(base_url + "/")
    page.wait_for_selector("#results .card")
    notice = page.locator("#timeline-notice")
    notice.wait_for()
    assert "not available" in notice.inner_text()
    page.fill("#q", "doors")
    page.press("#q", "Enter")
    expect(page.locator("#list-head")).to_contain_text("doors")
    page.locator("#results .card.statement").first.click()
    assert page.locator("#detail mark.evidence").inner_text().startswith("Our doors are open to every ship")


def test_filters_are_in_the_url_to_share(page: Any, base_url: str) -> None:
    page.goto(base_url + "/?speaker=Maria%20Lindqvist&since=2024-03-01&until=not-a-date")
    page.wait_for_selector("#results .card")
    assert page.input_value("#speaker") == "Maria Lindqvist"
    assert page.input_value("#since") == "2024-03-01" and page.input_value("#until") == ""
    speakers = set(page.locator("#results .card .who").all_inner_texts())
    assert speakers and all("Lindqvist" in s for s in speakers)
    # the page rewrote its URL to the filters it applies (the bad date dropped)
    assert page.url == base_url + "/?speaker=Maria+Lindqvist&since=2024-03-01"
    page.fill("#q", "doors")
    page.click("button[type=submit]")
    page.wait_for_function("() => window.location.search.includes('q=doors')")
    shared = page.url
    # the link opens the same view elsewhere
    other = page.context.new_page()
    other.goto(shared)
    other.wait_for_selector("#results .card")
    assert other.input_value("#q") == "doors" and other.input_value("#speaker") == "Maria Lindqvist"
    assert other.locator("#results .card .said").all_inner_texts() == _cards(page)
    other.close()


def test_timeline_loads_page_by_page(browser: Any, tmp_path: Path) -> None:
    """A store whose timeline takes two pages of the API: the page fetches both and shows every item."""
    if not has_vendor("vis-timeline-graph2d.min.js"):
        pytest.skip("vis-timeline is not vendored (scripts/vendor-web.sh)")
    from saidwhen.store import Store
    from saidwhen.timeline import build_timeline
    from test_timeline_paging import fill_long_store

    db = tmp_path / "long.db"
    fill_long_store(db, days=80)
    with Store(db, readonly=True) as store:
        whole = build_timeline(store, per_date=3)
    expected = sum(d["shown"] for d in whole["dates"] if d["date"])
    assert expected > 150  # more than one request's worth
    with live_server(create_app(db)) as base:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        calls: list[str] = []
        pg.on("request", lambda req: calls.append(req.url) if "/api/timeline" in req.url else None)
        pg.goto(base + "/")
        pg.wait_for_selector(f"#timeline[data-items='{expected}']", timeout=20_000)
        assert len(calls) >= 2 and all("limit=" in c for c in calls) and "offset=0" in calls[0]
        assert pg.locator("#timeline-notice").is_hidden()
        assert pg.locator("#timeline .vis-item").count() > 0
        # a filter starts again from the first page, with fewer items
        pg.select_option("#speaker", "Bo Lund")
        expect(pg.locator("#timeline")).not_to_have_attribute("data-items", str(expected))
        assert 0 < int(pg.locator("#timeline").get_attribute("data-items") or 0) < expected
        context.close()
        assert not errors, errors
