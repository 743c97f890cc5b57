"""The parse prefilter: which cue words are live, which sentences get parsed, and that the statements stay."""

from __future__ import annotations

from datetime import date

import pytest

from saidwhen.model import CleanText, Document
from saidwhen.statements import extract_statements
from saidwhen.statements.direct import direct_candidates
from saidwhen.statements.prefilter import live, sentences_to_parse
from saidwhen.statements.segment import paragraphs, sentences


def is_live(sentence: str, word: str) -> bool:
    start = sentence.index(word)
    return live(sentence, start, start + len(word), (0, len(sentence)))


@pytest.mark.parametrize(("sentence", "word"), [
    ("The state of the harbour is poor.", "state"),
    ("The comments on the harbour were brief.", "comments"),
    ("The Secretary of State arrived in Velmira on Monday.", "State"),
    ("Talks with the United States resumed in May.", "States"),
    ("The Harbour Post printed the figures.", "Post"),
    ("The dock owner was charged with fraud last year.", "charged"),
    ("The bridge is expected to open in May.", "expected"),
    ("The deal fell through thanks to the weather.", "thanks"),
    ("The so-called harbour plan was dropped.", "called"),
    ("The statement was two pages long.", "statement"),
])
def test_cue_words_that_cannot_start_an_attribution(sentence: str, word: str) -> None:
    assert not is_live(sentence, word)


@pytest.mark.parametrize(("sentence", "word"), [
    ("Officials said the harbour would reopen in May.", "said"),
    ("Port officials state that the harbour is safe.", "state"),
    ("Mayor Berg's claim that the bridge is safe was disputed.", "claim"),
    ("His warning that the dam could fail went unheeded.", "warning"),
    ("The plan was criticised by the mayor as reckless.", "criticised"),
    ("Our statement that the port is safe stands.", "statement"),
    ("Berg Says Harbour Will Reopen In May", "Says"),
    ("HE SAID THE HARBOUR WOULD REOPEN, the mayor recalled.", "SAID"),
    ("He is saying that the harbour is safe.", "saying"),
])
def test_live_cue_words(sentence: str, word: str) -> None:
    assert is_live(sentence, word)


def test_only_sentences_with_a_live_cue_outside_quotes_are_parsed() -> None:
    text = ('The state of the harbour is poor. Officials said the harbour would reopen.\n\n'
            '"It will reopen," the mayor said. The so-called plan was charged to the port.')
    paras = paragraphs(text)
    sents = [sentences(text, s, e) for s, e in paras]
    cands, quotes = direct_candidates(text, paras, sents)
    every = sentences_to_parse(text, sents, quotes, cands, checks=False)
    checked = sentences_to_parse(text, sents, quotes, cands)
    assert [text[s:e] for s, e in every] == [
        "The state of the harbour is poor.", "Officials said the harbour would reopen.",
        "The so-called plan was charged to the port.",
    ]
    assert [text[s:e] for s, e in checked] == ["Officials said the harbour would reopen."]


def test_statements_survive_the_prefilter() -> None:
    text = ("The state of the harbour worries the council of Velmira.\n\n"
            "Harbour master Ana Velk said on Monday that the port would reopen before the summer.\n\n"
            "The United States sent two ships, and Velk's warning that the dam could fail was ignored.\n\n"
            "The dock owner was charged with fraud.")
    doc = Document(id="p1", source_path="t", source_key="p1", text=text,
                   clean=CleanText(text, list(range(len(text) + 1))), published=date(2022, 6, 1))
    [(_, statements)] = list(extract_statements([doc]))
    texts = [s.text for s in statements]
    assert any("the port would reopen before the summer" in t for t in texts)
    assert any("the dam could fail" in t for t in texts)
    assert not any("fraud" in t for t in texts)
