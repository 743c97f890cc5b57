"""The embedding hook for paraphrases: the real distilled model (built by scripts/build-embeddings.sh)."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from saidwhen import embeddings
from saidwhen.embeddings import EmbeddingsMissingError, load_similarity, resolve
from saidwhen.merge import ClaimLinker, StatementMerger
from saidwhen.model import Statement

ROOT = Path(__file__).resolve().parents[1]

if not embeddings.available() and os.environ.get("SAIDWHEN_REQUIRE_EMBEDDINGS") == "1":
    raise RuntimeError(f"embedding model missing at {embeddings.model_dir()}: {embeddings.BUILD_HINT}")
needs_model = pytest.mark.skipif(not embeddings.available(), reason="embedding model not built")

DAY = date(2024, 3, 12)


def statement(n: int, text: str, speaker: str = "Maria Lindqvist", when: date = DAY) -> Statement:
    return Statement(f"s{n}", f"doc{n}", speaker, speaker, text, "direct", "said", 0, len(text), 0.9, when)


def merged(similarity, a: str, b: str) -> bool:
    merger = StatementMerger(similarity=similarity)
    merger.add(statement(1, a))
    return merger.add(statement(2, b)) is not None


@pytest.fixture(scope="module")
def similarity():
    """The cosine hook alone (the pair model's tests are in test_pair_model.py)."""
    return load_similarity(pair=False)


def test_missing_model_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv(embeddings.ENV_VAR, str(tmp_path / "nothing"))
    assert resolve(None) is None  # automatic: lexical merging
    assert resolve(False) is None
    with pytest.raises(EmbeddingsMissingError, match="build-embeddings.sh"):
        resolve(True)


def test_cli_asks_for_the_model_without_a_traceback(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text('"We are ready," Varga said on Monday.\n')
    env = {**os.environ, embeddings.ENV_VAR: str(tmp_path / "nothing")}
    result = subprocess.run(
        [sys.executable, "-m", "saidwhen", "analyze", str(article), "--embeddings"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert result.returncode == 3
    assert "scripts/build-embeddings.sh" in result.stderr and "Traceback" not in result.stderr


@needs_model
def test_paraphrase_merges_only_with_embeddings(similarity):
    a, b = "The sanctions will stay in place until the troops leave", "Sanctions remain until the withdrawal of the troops"
    assert not merged(None, a, b)
    assert merged(similarity, a, b)
    assert similarity.calls > 0


@needs_model
def test_negation_and_other_speakers_never_merge(similarity):
    assert similarity("We will not raise taxes this year", "We will raise taxes this year") == 0.0
    assert not merged(similarity, "We will not raise taxes this year", "We will raise taxes this year")
    merger = StatementMerger(similarity=similarity)
    merger.add(statement(1, "The sanctions will stay in place until the troops leave"))
    other = statement(2, "Sanctions remain until the withdrawal of the troops", speaker="Tomas Varga")
    assert merger.add(other) is None


@needs_model
def test_long_passages_are_left_to_the_lexical_score(similarity):
    long_a = " ".join(["We will keep working with our partners on the budget and on the port."] * 3)
    long_b = " ".join(["Our partners and we will go on working on the harbour and the budget."] * 3)
    assert similarity(long_a, long_b) == 0.0
    assert similarity("The summit was a success", "The meeting of leaders went well") > 0.0


@needs_model
def test_unrelated_statements_score_low(similarity):
    assert similarity("The port strike must end now", "The budget deficit is too high") < 0.5
    vectors = similarity.encode(["NATO's doors are open", "NATO's door is open for new members"])
    assert vectors.shape[0] == 2 and abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4


@needs_model
def test_claim_linker_uses_the_hook_across_time(similarity):
    linker = ClaimLinker(similarity=similarity, hook_threshold=0.85)
    first = statement(1, "Farmers will receive compensation for the drought")
    # another speaker: the same speaker's restatement would pass the lower same-speaker bar without the hook
    later = statement(2, "Compensation will be paid to farmers hit by the drought", "Tomas Varga", date(2025, 2, 1))
    linker.add(first)
    linker.add(later)
    plain = ClaimLinker()
    plain.add(first)
    plain.add(later)
    assert linker.claim_id("s2") is not None and linker.claim_id("s2") == linker.claim_id("s1")
    assert plain.claim_id("s2") is None or plain.claim_id("s2") != plain.claim_id("s1")


@needs_model
def test_paraphrase_benchmark_runs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "paraphrase_eval.py")], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "lexical only" in result.stdout and "with embeddings" in result.stdout


def test_batched_prepare_gives_the_same_scores(similarity):
    from saidwhen.embeddings import EmbeddingSimilarity

    pairs = [
        ("NATO's doors are open", "NATO's door is open for new members"),
        ("We will not raise taxes this year", "Taxes will not go up this year"),
        ("Ports reopen in spring", "The harbour will open again in spring"),
    ]
    fresh = EmbeddingSimilarity(similarity.model)
    fresh.prepare([t for pair in pairs for t in pair] + ["x " * 40])  # one model call; long texts skipped
    assert len(fresh._cache) == 6
    single = EmbeddingSimilarity(similarity.model)
    for a, b in pairs:
        assert fresh(a, b) == pytest.approx(single(a, b), abs=1e-5)


def test_many_judges_like_one_by_one(similarity):
    text = "We will not raise taxes this year"
    others = [
        "Taxes will not go up this year",
        "We will raise taxes this year",  # a negation on one side only: 0
        "The harbour will open again in spring",
        "word " * 40,  # too long to judge: 0
    ]
    together = similarity.many(text, others, 0.0)
    one_by_one = [similarity(text, o) for o in others]
    assert together.tolist() == pytest.approx(one_by_one, abs=1e-5)
    assert together[1] == 0.0 and together[3] == 0.0


@needs_model
def test_fast_encode_gives_model2vec_numbers(similarity):
    from saidwhen.embeddings import _model_encode

    texts = ["NATO's doors are open", "", "ünïcödé — “quotes”", "word " * 3000, "Ports reopen in spring"]
    model = similarity.model
    expected = model.encode(texts, use_multiprocessing=False)
    assert (_model_encode(model, texts) == expected).all()
    assert all((_model_encode(model, [t])[0] == row).all() for t, row in zip(texts, expected, strict=True))


@needs_model
def test_claim_hook_judges_only_the_lexically_closest(similarity):
    calls: list[int] = []

    class Counting:
        def __call__(self, a: str, b: str) -> float:
            return similarity(a, b)

        def many(self, text: str, others: list[str], floor: float):
            calls.append(len(others))
            return similarity.many(text, others, floor)

    linker = ClaimLinker(similarity=Counting(), max_judged=2)
    base = "Farmers in the north will receive drought compensation from the ministry"
    variants = [
        base.replace("north", place).replace("ministry", who)
        for place, who in [("south", "state"), ("east", "region"), ("west", "council"), ("hills", "union")]
    ]
    for n, text in enumerate(variants):
        linker.add(statement(n, text, when=date(2020 + n, 1, 1)))
    linker.add(statement(9, base, when=date(2026, 1, 1)))
    assert calls and max(calls) <= 2
