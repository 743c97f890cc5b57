"""`export --format parquet` round-trips the store's tables; `--format claims-csv` has the claim histories."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from typer.testing import CliRunner

from conftest import Corpus
from saidwhen.cli import app
from saidwhen.export import store_json
from saidwhen.export.tables import TABLES
from saidwhen.store import Store

runner = CliRunner()


def _iso(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}


def test_parquet_round_trips_every_table(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    result = runner.invoke(app, ["export", "--db", str(corpus.path), "--format", "parquet", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in out.glob("*.parquet")) == sorted(TABLES)
    with Store(corpus.path, readonly=True) as store:
        expected = store_json(store)
    for name in ("documents", "statements", "events", "claims", "merged_statements"):
        table = pq.read_table(out / f"{name}.parquet")
        assert [_iso(r) for r in table.to_pylist()] == expected[name], name
    statements = pq.read_table(out / "statements.parquet")
    assert str(statements.schema.field("date").type) == "date32[day]"
    assert str(statements.schema.field("start").type) == "int64"
    frame = pq.read_table(out / "claim_history.parquet").to_pandas()
    claimed = [s for s in expected["statements"] if s["claim_id"]]
    assert len(frame) == len(claimed) and set(frame["statement_id"]) == {s["id"] for s in claimed}


def test_parquet_needs_a_folder_and_keeps_filters(corpus: Corpus, tmp_path: Path) -> None:
    assert runner.invoke(app, ["export", "--db", str(corpus.path), "--format", "parquet"]).exit_code == 2
    out = tmp_path / "berg"
    result = runner.invoke(app, ["export", "--db", str(corpus.path), "--format", "parquet", "--output", str(out),
                                 "--speaker", "Jonas Berg"])  # fmt: skip
    assert result.exit_code == 0, result.output
    speakers = set(pq.read_table(out / "statements.parquet").column("speaker").to_pylist())
    assert speakers == {"Jonas Berg"}


def test_claims_csv_is_each_claims_history_oldest_first(corpus: Corpus, ro_store: Store) -> None:
    result = runner.invoke(app, ["export", "--db", str(corpus.path), "--format", "claims-csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {"claim_id", "claim", "position", "statement_id", "speaker", "date", "outlet",
                     "wording"} <= set(rows[0])  # fmt: skip
    by_claim: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_claim.setdefault(r["claim_id"], []).append(r)
    for claim_id, history in by_claim.items():
        assert [int(r["position"]) for r in history] == list(range(1, len(history) + 1))
        dated = [r["date"] for r in history if r["date"]]
        assert dated == sorted(dated)
        assert {r["statement_id"] for r in history} == set(ro_store.claim(claim_id)["statement_ids"])
    assert json.loads(json.dumps(rows))  # plain strings, ready for a spreadsheet
