"""The pair model: packaged weights read with numpy alone, features symmetric, an opt-in hook that weighs
the transformer's cosine (all-MiniLM-L6-v2 run with numpy), through the real merge components."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from saidwhen import embeddings
from saidwhen.embeddings import load_similarity
from saidwhen.merge import ClaimLinker, StatementMerger
from saidwhen.merge._similarity import grey_for
from saidwhen.merge.pair_features import FEATURES, conflict, describe, pair_features
from saidwhen.merge.pair_model import CLAIM_BAR, MERGE_BAR, WEIGHTS, PairModel
from saidwhen.model import Statement

needs_models = pytest.mark.skipif(
    not (embeddings.available() and (embeddings.encoder_dir() / "model.safetensors").is_file()),
    reason="embedding model or sentence encoder not built (scripts/build-embeddings.sh)",
)

SAME = (
    "Storm Ada closed the port of Varna on Monday and cancelled all ferries to Odessa",
    "The port of Varna was shut on Monday as Storm Ada hit, and ferries to Odessa were cancelled",
)
# one happening in other words: few shared words (token Jaccard 0.13), one number and one name in common
PARAPHRASE = (
    "Firefighters pulled 14 miners out alive after the collapse at the Bellmont pit",
    "All 14 trapped workers were rescued from the Bellmont mine, emergency services confirmed",
)
OTHER_NUMBER = "All 12 trapped workers were rescued from the Bellmont mine, emergency services confirmed"
UNRELATED = "The budget committee will publish its report on school meals next week"
DAY = date(2025, 3, 10)


@pytest.fixture(scope="module")
def hook() -> embeddings.EmbeddingSimilarity:
    return load_similarity(pair=True)


def report(sid: str, text: str, when: date, speaker: str = "Dana Whitfield") -> Statement:
    return Statement(sid, f"doc-{sid}", speaker, speaker, text, "direct", "said", 0, len(text), 0.9, when)


def test_packaged_weights_load_and_map_cuts_to_the_component_bars() -> None:
    model = PairModel.load()
    assert len(model.coef) == len(model.mean) == len(FEATURES)
    assert WEIGHTS.stat().st_size < 10_000
    assert model.score(np.array([model.merge_cut]))[0] == pytest.approx(MERGE_BAR)
    below, above = model.score(np.array([model.claim_cut - 1e-3, model.claim_cut + 1e-5]))
    assert below < CLAIM_BAR <= above + 1e-3
    grid = np.linspace(0.0, 1.0, 101)
    assert (np.diff(model.score(grid)) >= 0).all()
    assert model.score(np.array([0.0, 1.0])).tolist() == pytest.approx([0.0, 1.0], abs=1e-5)


def test_features_are_symmetric_and_see_names_numbers_and_conflicts() -> None:
    a, b = describe(SAME[0]), describe(SAME[1])
    assert pair_features(a, b).tolist() == pair_features(b, a).tolist()
    row = dict(zip(FEATURES, pair_features(a, b).tolist(), strict=True))
    assert row["name_overlap"] == 1.0 and row["numbers_conflict"] == 0.0 and row["cosine"] == 0.0  # no vectors
    mine, other = describe(PARAPHRASE[1]), describe(OTHER_NUMBER)
    row = dict(zip(FEATURES, pair_features(describe(PARAPHRASE[0]), mine).tolist(), strict=True))
    assert row["numbers_shared"] == 1.0 and row["numbers_conflict"] == 0.0
    assert conflict(mine, other) and not conflict(mine, describe(PARAPHRASE[0]))
    assert conflict(describe("Ford recalled 1,500 cars"), describe("Ford recalled 500 cars"))
    assert not conflict(describe("Ford recalled 1,500 cars"), describe("Ford recalled 1500 cars"))


def test_the_pair_model_is_opt_in(monkeypatch) -> None:
    if not embeddings.available():
        pytest.skip("embedding model not built")
    assert load_similarity().pair_model is None and load_similarity().grey is None
    monkeypatch.setenv(embeddings.ENCODER_ENV_VAR, "/nonexistent/encoder")
    monkeypatch.setenv(embeddings.PAIR_ENV_VAR, "1")
    with pytest.raises(embeddings.EmbeddingsMissingError, match="sentence encoder"):
        load_similarity()


@needs_models
def test_pair_hook_scores_one_happening_above_other_news(hook) -> None:
    assert hook.pair_model is not None and hook.name.endswith("+pair") and hook.grey is not None
    same = hook(*PARAPHRASE)
    assert same >= MERGE_BAR > hook(PARAPHRASE[0], UNRELATED)
    assert hook(PARAPHRASE[0], OTHER_NUMBER) == 0.0  # 14 vs 12 miners: vetoed whatever the model says
    assert hook("We will not raise taxes this year", "We will raise taxes this year") == 0.0
    others = [PARAPHRASE[1], UNRELATED, OTHER_NUMBER]
    assert hook.many(PARAPHRASE[0], others, 0.0).tolist() == pytest.approx([hook(PARAPHRASE[0], o) for o in others])


@needs_models
def test_sentence_encoder_gives_unit_vectors_closer_for_a_paraphrase(hook) -> None:
    vecs = hook.encoder.encode([PARAPHRASE[0], PARAPHRASE[1], UNRELATED, ""])
    assert vecs.shape == (4, 384)
    assert np.linalg.norm(vecs[:3], axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)
    assert vecs[0] @ vecs[1] > 0.5 > vecs[0] @ vecs[2]
    # one text at a time and in a batch: the same numbers (padding is masked)
    assert hook.encoder.encode([PARAPHRASE[1]])[0] == pytest.approx(vecs[1], abs=1e-5)


@needs_models
def test_statement_merger_with_the_pair_model_merges_a_paraphrase_and_vetoes_a_number_conflict(hook) -> None:
    lexical, paired = StatementMerger(), StatementMerger(similarity=hook)
    for merger in (lexical, paired):
        merger.add(report("a", PARAPHRASE[0], DAY))
    assert lexical.add(report("b", PARAPHRASE[1], DAY)) is None  # too few shared words for the lexical bar
    assert paired.add(report("b", PARAPHRASE[1], DAY)) is not None
    assert paired.add(report("c", OTHER_NUMBER, DAY)) is None
    assert paired.add(report("d", UNRELATED, DAY)) is None
    # another speaker's words are never merged, however alike
    assert paired.add(report("e", PARAPHRASE[1], DAY, speaker="Olga Brandt")) is None


@needs_models
def test_claim_linker_with_the_pair_model_links_a_restatement_and_keeps_other_claims_apart(hook) -> None:
    linker = ClaimLinker(similarity=hook)
    linker.add(report("a", PARAPHRASE[0], DAY))
    later = DAY + timedelta(days=12)
    claim = linker.add(report("b", PARAPHRASE[1], later))
    assert claim is not None and linker.claim(claim).statement_ids == ["a", "b"]
    assert linker.add(report("c", OTHER_NUMBER, later + timedelta(days=1))) != claim
    assert linker.add(report("d", UNRELATED, later)) is None
    assert linker.add(report("e", "Ports along the coast will reopen once the storm has passed", later)) != claim


class _Agreeing:
    """A hook that calls every pair it is asked about the same; `grey` as given."""

    def __init__(self, grey: float | None) -> None:
        self.grey = grey
        self.asked = 0

    def __call__(self, a: str, b: str) -> float:
        self.asked += 1
        return 1.0


def test_a_hook_declaring_grey_judges_candidates_below_the_components_grey() -> None:
    first = "The harbour authority shut the northern terminal after a warehouse fire overnight"
    second = "Officials told reporters smoke closed the terminal near downtown Varna"  # lexical score ≈ 0.12
    assert grey_for(None, 0.2) == 0.2 and grey_for(_Agreeing(None), 0.2) == 0.2
    assert grey_for(_Agreeing(0.05), 0.2) == 0.05 and grey_for(_Agreeing(0.5), 0.2) == 0.2
    plain, low = _Agreeing(None), _Agreeing(0.05)
    for hook, merges in ((plain, False), (low, True)):
        merger = StatementMerger(similarity=hook)
        merger.add(report("a", first, DAY))
        assert (merger.add(report("b", second, DAY)) is not None) is merges
    assert plain.asked == 0 and low.asked == 1
