"""The pair model: packaged weights read with numpy alone, features symmetric, an opt-in hook."""

from __future__ import annotations

import numpy as np
import pytest

from saidwhen import embeddings
from saidwhen.embeddings import load_similarity
from saidwhen.merge.pair_features import FEATURES, describe, pair_features
from saidwhen.merge.pair_model import CLAIM_BAR, MERGE_BAR, WEIGHTS, PairModel

needs_model = pytest.mark.skipif(not embeddings.available(), reason="embedding model not built")

SAME = (
    "Storm Ada closed the port of Varna on Monday and cancelled all ferries to Odessa",
    "The port of Varna was shut on Monday as Storm Ada hit, and ferries to Odessa were cancelled",
)
UNRELATED = "The budget committee will publish its report on school meals next week"


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
    assert row["name_overlap"] == 1.0 and row["conflict"] == 0.0
    other = dict(zip(FEATURES, pair_features(describe("Ford recalled 1,500 cars"),
                                             describe("Ford recalled 500 cars")).tolist(), strict=True))  # fmt: skip
    assert other["conflict"] == 1.0


def test_the_pair_model_is_opt_in(monkeypatch) -> None:
    if not embeddings.available():
        pytest.skip("embedding model not built")
    assert load_similarity().pair_model is None
    monkeypatch.setenv(embeddings.PAIR_ENV_VAR, "1")
    hook = load_similarity()
    assert hook.pair_model is not None and hook.name.endswith("+pair")


@needs_model
def test_pair_hook_scores_one_happening_above_other_news() -> None:
    hook = load_similarity(pair=True)
    same = hook(*SAME)
    assert same >= MERGE_BAR > hook(SAME[0], UNRELATED)
    assert hook("We will not raise taxes this year", "We will raise taxes this year") == 0.0
    others = [SAME[1], UNRELATED, "We will raise taxes this year"]
    assert hook.many(SAME[0], others, 0.0).tolist() == pytest.approx([hook(SAME[0], o) for o in others])
