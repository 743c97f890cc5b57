"""The merge precision guard: wordings that cannot be the same statement never merge."""

from saidwhen.merge import StatementMerger, lexical_similarity
from saidwhen.merge._text import content_stems
from saidwhen.merge.conflict import conflicting, numbers
from saidwhen.model import Statement


def conflict(a: str, b: str) -> bool:
    return conflicting(content_stems(a), content_stems(b))


def test_numbers_antonyms_and_negation_conflict():
    assert numbers(content_stems("below three percent in 2027")) == {"3", "2027"}
    assert conflict("Inflation will fall below three percent", "Inflation will fall below five percent")
    assert conflict("Gas will become cheaper this winter", "Gas will become more expensive this winter")
    assert conflict("Estlandia is ready to join the council", "Estlandia is ready to leave the council")
    assert conflict("The minister will resign", "The minister will not resign")


def test_same_statement_does_not_conflict():
    assert not conflict("Inflation will fall below three percent", "Next year inflation will drop under 3%")
    assert not conflict("We will build 50 hospitals and 20 schools", "50 hospitals")  # a fragment
    assert not conflict("NATO's doors are open", "NATO's door is open for new members")


def test_lexical_merging_respects_the_guard():
    a, b = "The summit was a success for Estlandia", "The summit was a failure for Estlandia"
    assert lexical_similarity(content_stems(a), content_stems(b)) == 0.0
    merger = StatementMerger()
    for n, text in enumerate((a, b)):
        merger.add(Statement(f"s{n}", f"d{n}", "Tomas Varga", "Varga", text, "direct", "said", 0, 1, 0.9, None))
    assert merger.merged_id("s1") is None
