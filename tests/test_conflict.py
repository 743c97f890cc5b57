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


def test_number_abbreviation_is_not_a_negation():
    assert "not" not in content_stems("No. 2 Ford will close the plant")
    assert "not" not in content_stems("a statement from No 10 on Monday")
    assert "not" in content_stems("There were no 2 cases alike")  # lower case, no full stop: a negation
    assert not conflict("No. 2 Ford will close the Avon plant", "Ford will close the Avon plant")
    assert conflict("No. 2 Ford will close the Avon plant", "No. 2 Ford will not close the Avon plant")


def test_thousands_separators_and_decimals_are_one_number():
    assert numbers(content_stems("Ford recalled 1,500 cars")) == {"1500"}
    assert numbers(content_stems("growth of 2.5 percent, then 1,234.50")) == {"2.5", "1234.5"}
    assert not conflict("Ford recalled 1,500 cars", "Ford recalled 1500 cars")
    assert conflict("Ford recalled 1,500 cars", "Ford recalled 500 cars")
    assert conflict("growth of 2.5 percent this year", "growth of 2 percent this year")
    assert not conflict("growth of 2.5 percent this year", "growth of 2.50 percent this year")


def test_two_is_a_number_like_three():
    assert conflict("Sales rose two percent in May", "Sales rose three percent in May")
    assert conflict("Sales rose two percent in May", "Sales rose 3 percent in May")
    assert not conflict("Sales rose two percent in May", "Sales rose 2 percent in May")


def test_nobody_can_prevent_asserts_and_membership_is_member():
    assert content_stems("Nobody can prevent Norvalia's eventual membership") == ["norvalia", "eventual", "member"]
    assert not conflict("Nobody can prevent Norvalia's membership of the council",
                        "Norvalia will become a member of the council")  # fmt: skip
    assert conflict("We will not stop the strike", "We will stop the strike")  # "not stop" keeps its negation
    assert conflict("Norvalia will never become a member", "Norvalia will become a member")
