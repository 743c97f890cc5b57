"""Shared fixtures: a small real store (documents, statements, merges, events, claims) and a live server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from saidwhen.model import Claim, CleanText, Document, Event, MergedStatement, Removed, Statement, document_id
from saidwhen.store import Store

HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'


def make_doc(
    text: str,
    key: str,
    outlet: str,
    published: date | None,
    *,
    title: str | None = None,
    url: str | None = None,
    event_id: str | None = None,
    duplicate_of: str | None = None,
    removed: list[Removed] | None = None,
) -> Document:
    return Document(
        id=document_id(text, outlet),
        source_path=key,
        source_key=key,
        text=text,
        clean=CleanText(text, list(range(len(text) + 1)), removed or []),
        title=title or text.split("\n")[0],
        url=url,
        outlet=outlet,
        published=published,
        published_from="metadata",
        event_id=event_id,
        duplicate_of=duplicate_of,
    )


def make_statement(
    doc: Document,
    speaker: str | None,
    quote: str,
    *,
    mention: str | None = None,
    kind: str = "direct",
    confidence: float = 0.9,
    said: date | None = None,
    claim_id: str | None = None,
    merged_id: str | None = None,
) -> Statement:
    start = doc.text.index(quote)
    return Statement(
        id=f"s{doc.id[1:9]}{start:05d}",
        document_id=doc.id,
        speaker=speaker,
        speaker_mention=mention or (speaker.split()[-1] if speaker else "an official"),
        text=quote,
        kind=kind,  # type: ignore[arg-type]
        cue="said",
        start=start,
        end=start + len(quote),
        confidence=confidence,
        date=said or doc.published,
        date_from="document" if said is None else "text",
        claim_id=claim_id,
        merged_id=merged_id,
        speaker_type="person" if speaker else "anonymous",
    )


@dataclass
class Corpus:
    path: Path
    docs: dict[str, Document]
    statements: dict[str, Statement]


def fill_store(path: Path) -> Corpus:
    """A store about a harbour reopening: one statement reported by three outlets, a claim that changes over
    time, several statements on one busy day, an unattributed one, and an article carrying hostile markup."""
    d12, d20, a02, m01 = date(2024, 3, 12), date(2024, 3, 20), date(2024, 4, 2), date(2024, 5, 1)
    texts = {
        "herald1": (
            "Harbour summit opens in Tallinn\n\nLeaders met at the harbour on Tuesday.\n\n"
            '"Our doors are open to every ship," Maria Lindqvist said at the summit. '
            '"The fees must fall this year," said Jonas Berg, the port director.\n\n'
            "An official said the queue of freighters was shrinking.",
            "Harbour Herald", d12, "https://herald.example/summit",
        ),
        "wire1": (
            "Lindqvist: doors open\n\nMaria Lindqvist told reporters: \"Our doors are open to every ship.\" "
            "She spoke in Tallinn.",
            "Baltic Wire", d12, "https://wire.example/lindqvist",
        ),
        "times1": (
            "Summit day\n\n\"Our doors are open to every ship,\" the minister, Maria Lindqvist, said.\n\n"
            '"We will publish the new tariff schedule soon," Lindqvist added.',
            "Coastal Times", d12, None,
        ),
        "herald2": (
            "Reopening date set\n\nThe ports minister Anu Rebane said ports will reopen by summer, "
            "pending repairs to the northern quay.",
            "Harbour Herald", d20, "https://herald.example/reopening",
        ),
        "wire2": (
            "Reopening delayed\n\nAnu Rebane said on Tuesday that ports will not reopen before autumn. "
            '"Safety comes first," Rebane said.',
            "Baltic Wire", a02, "https://wire.example/delay",
        ),
        "evil": (
            f"Hostile {HOSTILE_SCRIPT} headline\n\nA post read {HOSTILE_SCRIPT} and then {HOSTILE_IMG} in full.\n\n"
            f'"Trust me {HOSTILE_IMG} now," Mallory Hacker said.',
            "Evil Gazette", m01, "javascript:alert(1)",
        ),
    }
    docs: dict[str, Document] = {}
    for key, (text, outlet, published, url) in texts.items():
        event = "e-summit" if key in ("herald1", "wire1", "times1") else ("e-reopen" if key == "herald2" else None)
        removed = [Removed(0, text.index("\n"), "headline")] if key == "herald1" else None
        docs[key] = make_doc(text, f"{key}.txt", outlet, published, url=url, event_id=event, removed=removed)
    sts = {
        "lind_herald": make_statement(docs["herald1"], "Maria Lindqvist", "Our doors are open to every ship",
                                      merged_id="m-doors"),
        "lind_wire": make_statement(docs["wire1"], "Maria Lindqvist", "Our doors are open to every ship.",
                                    merged_id="m-doors", confidence=0.8),
        "lind_times": make_statement(docs["times1"], "Maria Lindqvist", "Our doors are open to every ship",
                                     mention="the minister", merged_id="m-doors", confidence=0.95),
        "lind_tariff": make_statement(docs["times1"], "Maria Lindqvist",
                                      "We will publish the new tariff schedule soon", confidence=0.7),
        "berg_fees": make_statement(docs["herald1"], "Jonas Berg", "The fees must fall this year"),
        "official": make_statement(docs["herald1"], None, "the queue of freighters was shrinking", kind="indirect",
                                   confidence=0.5),
        "rebane_summer": make_statement(docs["herald2"], "Anu Rebane", "ports will reopen by summer",
                                        kind="indirect", claim_id="c-reopen"),
        "rebane_autumn": make_statement(docs["wire2"], "Anu Rebane", "ports will not reopen before autumn",
                                        kind="indirect", claim_id="c-reopen", said=date(2024, 4, 1)),
        "rebane_safety": make_statement(docs["wire2"], "Anu Rebane", "Safety comes first", said=date(2024, 4, 1)),
        "mallory": make_statement(docs["evil"], "Mallory Hacker", f"Trust me {HOSTILE_IMG} now"),
    }  # fmt: skip
    store = Store(path)
    try:
        with store.transaction():
            for doc in docs.values():
                store.save_document(doc)
            store.save_statements(sts.values())
            store.save_events(
                [
                    Event("e-summit", d12, "Harbour summit", "Tallinn", [docs[k].id for k in ("herald1", "wire1", "times1")]),
                    Event("e-reopen", d20, "Reopening date set", None, [docs["herald2"].id]),
                ]
            )
            store.save_claims(
                [Claim("c-reopen", [sts["rebane_summer"].id, sts["rebane_autumn"].id], "when the ports reopen")]
            )
            store.save_merged(
                [
                    MergedStatement(
                        "m-doors", "Maria Lindqvist", "Our doors are open to every ship", d12,
                        [sts[k].id for k in ("lind_herald", "lind_wire", "lind_times")],
                    )
                ]
            )  # fmt: skip
    finally:
        store.close()
    return Corpus(path=path, docs=docs, statements=sts)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """A filled store shared by the read-only tests (do not write to it)."""
    return fill_store(tmp_path_factory.mktemp("corpus") / "saidwhen.db")


@pytest.fixture
def ro_store(corpus: Corpus) -> Iterator[Store]:
    s = Store(corpus.path, readonly=True)
    yield s
    s.close()


@contextmanager
def live_server(app: Any, *, timeout: float = 10.0) -> Iterator[str]:
    """Run `app` under a real uvicorn server on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
