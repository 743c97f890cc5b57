"""Fault test: a JSONL/CSV file edited, reordered, shortened and appended, re-ingested after each change,
equals a fresh ingest of the final file (documents, statements, events, claims, merged statements)."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest

from saidwhen.nlp import load_nlp
from saidwhen.statements import NLP_DISABLE
from saidwhen.store import Store
from saidwhen.store_ingest import StoreIngest
from test_ingest_faults import dump

PEOPLE = [("Maria Lindqvist", "Nordhavn", "harbour"), ("Tomas Varga", "Estlandia", "railway"),
          ("Ana Costa", "Lusitania", "budget"), ("Piet Janssen", "Vlaanderen", "school")]
OUTLETS = ["Harbour Times", "Daily Courier", "Evening Post"]


def story(person: int, outlet: int, variant: int = 0) -> dict[str, Any]:
    name, place, topic = PEOPLE[person]
    surname = name.split()[1]
    intro = ["On Tuesday", "Late on Tuesday", "Earlier this week"][outlet]
    return {
        "id": f"{person}-{outlet}",
        "source": OUTLETS[outlet],
        "date": f"2024-05-{10 + person:02d}",
        "title": f"{place} {topic} plan",
        "text": (f"{intro}, Minister {name} of {place} presented the {topic} plan in the capital. "
                 f'"The {topic} plan will create {200 + person} jobs by next year," {surname} said. '
                 f"{surname} said the {topic} plan would be paid for by the national fund. "
                 f"Mayor Jan Olsen{outlet} told reporters that the {topic} plan would bring {200 + person} jobs. "
                 + (f"Opposition leaders criticised the plan for the {variant}th time." if variant else "")),
    }


def write(path: Path, records: list[dict[str, Any]]) -> None:
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
        return
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["id", "source", "date", "title", "text"])
    writer.writeheader()
    writer.writerows(records)
    path.write_text(out.getvalue())


def ingest(db: Path, path: Path, nlp: Any) -> StoreIngest:
    store = Store(db)
    try:
        runner = StoreIngest(store, nlp=nlp, batch_size=3)
        runner.run([str(path)])
        return runner
    finally:
        store.close()


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp(disable=NLP_DISABLE)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_edited_reordered_shortened_appended_equals_a_fresh_ingest(tmp_path: Path, suffix: str, nlp: Any) -> None:
    rng = random.Random(18)
    path, db = tmp_path / f"news{suffix}", tmp_path / "store.db"
    records = [story(p, o) for p in range(3) for o in range(3)]
    write(path, records)
    ingest(db, path, nlp)
    first = dump(db)
    assert first["events"] and first["claims"] and first["merged"]  # the groups the edits must keep right

    records[4] = story(1, 1, variant=2)  # edited
    rng.shuffle(records)  # reordered
    del records[2]  # shortened
    records += [story(3, 0), story(3, 2)]  # appended
    steps = [list(records)]
    records = records[:3] + [story(0, 0, variant=5)] + records[3:]  # another edit (a new id-less variant) ...
    records[3].pop("id")
    steps.append(list(records))
    steps.append(list(reversed(records)))  # ... and everything moved
    for step in steps:
        write(path, step)
        runner = ingest(db, path, nlp)
        assert runner.report is not None
        r = runner.report
        assert r.read == r.added + r.updated + r.unchanged + r.failed and r.failed == 0
        fresh = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}.db"
        ingest(fresh, path, nlp)
        assert dump(db) == dump(fresh)
    again = ingest(db, path, nlp)  # and it settles: nothing changes on a rerun
    assert again.report is not None
    assert (again.report.added, again.report.updated, again.report.removed, again.report.remerged) == (0, 0, 0, 0)
