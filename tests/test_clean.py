"""The clean stage: boilerplate, learned repeated lines, paragraph re-joining, normalisation, offset map.

All article texts are written for these tests (invented towns, people and events).
"""

from __future__ import annotations

import json

import pytest

from saidwhen.clean import RepeatedLines, clean_text
from saidwhen.model import CleanText

# --- the offset-map invariant, checked on every text cleaned in this module -----------------------------

_SOURCES = {
    '"': set("“”„‟«»〝〞＂"),
    "'": set("‘’‚‛‹›′＇"),
    "-": set("‐‑‒–—―−"),
}
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _mis_decoded_byte(c: str) -> bytes:
    try:
        return c.encode("cp1252")
    except UnicodeEncodeError:
        return c.encode("latin-1")


def _source_ok(original: str, pos: int, ch: str) -> bool:
    """Whether original[pos] is `ch` or what `ch` was normalised from."""
    src = original[pos]
    if src == ch or src in _SOURCES.get(ch, ()):
        return True
    if ch == " " and src.isspace():
        return True
    if ch == "\n" and src in _LINE_BREAKS:
        return True
    for k in (2, 3, 4):  # mojibake: UTF-8 bytes shown as cp1252 (or latin-1 where cp1252 has a hole)
        try:
            raw = b"".join(_mis_decoded_byte(c) for c in original[pos : pos + k])
            fixed = raw.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed == ch or fixed in _SOURCES.get(ch, ()) or (ch == " " and fixed.isspace()):
            return True
    return False


def check_offsets(original: str, clean: CleanText) -> None:
    assert len(clean.offsets) == len(clean.text) + 1
    previous = -1
    for i, ch in enumerate(clean.text):
        pos = clean.offsets[i]
        assert 0 <= pos < len(original)
        assert pos >= previous, f"offsets go backwards at {i}"
        assert _source_ok(original, pos, ch), f"cleaned {ch!r} at {i} maps to {original[pos]!r} at {pos}"
        previous = pos
    assert previous < clean.offsets[-1] <= len(original)
    for r in clean.removed:
        assert 0 <= r.start < r.end <= len(original) and r.reason


@pytest.fixture
def clean():
    """clean_text that also checks the offset invariant of every result."""

    def run(text: str, repeated: RepeatedLines | None = None, outlet: str | None = None) -> CleanText:
        result = clean_text(text, repeated, outlet)
        check_offsets(text, result)
        return result

    return run


def reason_of(result: CleanText, original: str, line: str) -> str | None:
    """Why the original line was removed (None: kept)."""
    start = original.index(line)
    for r in result.removed:
        if r.start <= start and start + len(line) <= r.end:
            return r.reason
    return None


# --- texts ---------------------------------------------------------------------------------------------

ARTICLE = """Harbour council approves new ferry line

Advertisement

The Westmere harbour council voted on Tuesday to open a second ferry line to the islands, ending a dispute that had lasted two years.

Mayor Ilse Varnholt said the vote was "a promise kept to the islanders", adding that the first boats would sail in spring.

Read also:
- Islanders protest over fares
- Ferry operator posts record loss
• Harbour dredging to start in March

The opposition, led by councillor Tomas Brede, argued that the budget for the line was too small.

Share this article
Share on Facebook
Follow us on Telegram

Mayor Ilse Varnholt speaks at the harbour in Westmere on May 3, 2024. REUTERS/Anna Lindqvist

Councillor Tomas Brede leaves the chamber | AFP | Getty Images

(Photo by Karl Omsen/Getty Images)

Photo: Westmere Harbour Authority

WATCH: The council debate in full

Subscribe to our newsletter
Sign up for our morning briefing and get the news in your inbox

We use cookies to improve your experience on our site.

Leave a comment
Your email address will not be published. Required fields are marked *
Post comment
Log in to comment

Copyright 2024 Westmere Gazette. All rights reserved.
"""


def test_each_boilerplate_kind_is_removed(clean):
    result = clean(ARTICLE)
    text = result.text
    for gone in [
        "Advertisement",
        "Read also",
        "Islanders protest",
        "Ferry operator posts",
        "Harbour dredging",
        "Share this article",
        "Share on Facebook",
        "Telegram",
        "REUTERS/",
        "Getty",
        "Photo:",
        "WATCH",
        "newsletter",
        "briefing",
        "cookies",
        "comment",
        "email address",
        "rights reserved",
    ]:
        assert gone not in text, gone
    expected = {
        "Advertisement": "boilerplate:advertisement",
        "Read also:": "boilerplate:read-also",
        "• Harbour dredging to start in March": "boilerplate:read-also",
        "Share this article": "share-prompt",
        "Follow us on Telegram": "share-prompt",
        "Mayor Ilse Varnholt speaks at the harbour in Westmere on May 3, 2024. REUTERS/Anna Lindqvist": "caption",
        "Councillor Tomas Brede leaves the chamber | AFP | Getty Images": "caption",
        "(Photo by Karl Omsen/Getty Images)": "caption",
        "Photo: Westmere Harbour Authority": "caption",
        "WATCH: The council debate in full": "boilerplate:watch",
        "Subscribe to our newsletter": "boilerplate:subscribe",
        "Sign up for our morning briefing and get the news in your inbox": "boilerplate:subscribe",
        "We use cookies to improve your experience on our site.": "boilerplate:cookie",
        "Leave a comment": "boilerplate:comment",
        "Your email address will not be published. Required fields are marked *": "boilerplate:comment",
        "Post comment": "boilerplate:comment",
        "Log in to comment": "boilerplate:comment",
        "Copyright 2024 Westmere Gazette. All rights reserved.": "boilerplate:copyright",
    }
    for line, reason in expected.items():
        assert reason_of(result, ARTICLE, line) == reason, line
    # The article itself is intact, paragraph by paragraph.
    assert text.split("\n\n") == [
        "Harbour council approves new ferry line",
        "The Westmere harbour council voted on Tuesday to open a second ferry line to the islands, "
        "ending a dispute that had lasted two years.",
        'Mayor Ilse Varnholt said the vote was "a promise kept to the islanders", adding that the first '
        "boats would sail in spring.",
        "The opposition, led by councillor Tomas Brede, argued that the budget for the line was too small.",
    ]


def test_read_also_block_with_plain_headlines_ends_where_the_article_resumes(clean):
    text = (
        "The bridge over the Lenna river will close for repairs in June, the transport office said.\n\n"
        "More like this\n\n"
        "Lenna bridge cracks found by divers\n\n"
        "Why the ring road is still unfinished?\n\n"
        "Transport office names new director\n\n"
        "Drivers will be sent through the old town, where the speed limit is lower.\n\n"
        "You may also be interested in:\n"
        "1. Old town parking to get pricier\n"
        "2. Cyclists demand a lane on the bridge\n"
        "Repairs are expected to cost 4 million crowns.\n\n"
        "Read more: Bridge inspections lagging, audit finds\n"
        "The office said it had no choice.\n\n"
        "Related:\n"
        "- Ferry fares to rise\n"
        "The director added:\n"
        '"We have a plan for every scenario."\n'
    )
    result = clean(text)
    assert result.text.split("\n\n") == [
        "The bridge over the Lenna river will close for repairs in June, the transport office said.",
        "Drivers will be sent through the old town, where the speed limit is lower.",
        "Repairs are expected to cost 4 million crowns.",
        "The office said it had no choice.",
        'The director added: "We have a plan for every scenario."',
    ]
    assert {r.reason for r in result.removed} == {"boilerplate:read-also"}


def test_real_sentences_survive(clean):
    """Prose that mentions reading, sharing, photos, comments, watching or cookies is article text."""
    paragraphs = [
        "Officials who read the report said they would share its findings with the committee next week.",
        "Read the full statement, the minister told reporters, and you will see we never promised a date.",
        "The photo of the flooded square, shared thousands of times, was taken by a resident, police said.",
        '"Share the burden, share the gains," said union leader Maren Solvik on Friday.',
        '"We will not comment on rumours," the spokesperson said. "Watch what we do instead."',
        "Related to the dispute is a second lawsuit, filed by the fishermen's association in March.",
        "Comments made by the director on Monday angered the staff, who walked out after lunch.",
        "Subscribers to the local paper have fallen by half since 2015, according to the publisher.",
        "The bakery's cookies won first prize at the county fair, the organisers announced.",
        "Advertisement revenue fell sharply, the company said in its annual report.",
        "Photographs from the archive, some credited to Getty Images, will be shown in the museum.",
        "According to a Reuters/Ipsos poll, most voters support the plan.",
        "Follow the money, the investigator said, and the story tells itself.",
        "Image is everything in politics, he told the students.",
        "He watched the debate from home and later shared his thoughts on the radio.",
        "«Nous restons ici», a déclaré la maire, ajoutant que la décision était définitive.",
        "Related-party transactions rose sharply last year, the auditors found.",
        "Watch-dog groups objected to the plan, calling it rushed.",
        "The video of the meeting was later released via Reuters.",
        "(c) the harbour master may close the port during a storm.",
        "12.5 percent of the voters backed him in the first round.",
        "More from the summit:",
        "Share prices rose 3 percent on Monday.",
    ]
    text = "\n\n".join(paragraphs) + "\n"
    result = clean(text)
    assert result.removed == []
    assert result.text.split("\n\n") == [p.translate(str.maketrans("«»", '""')) for p in paragraphs]


def test_caption_traps_are_removed_but_datelines_stay(clean):
    captions = [
        "President Arvo Kettunen speaks in Kyiv on May 3, 2022. REUTERS/Lena Maar",
        "Protesters gather outside parliament, March 1, 2023. (AP Photo/Jon Feld)",
        "A rescue worker in the rubble | Daniel Oye/AFP via Getty Images",
        "The delegates arrive. Photo: Marta Lind",
        "Image: Ministry of Defence",
        "Credit: Pool photo",
        "Mark Selden/Getty Images",
    ]
    body = (
        "VELDA, Norland (AFP) - The president arrived in the capital on Monday, officials said.\n\n"
        + "\n\n".join(captions)
        + "\n\nHe is expected to meet the prime minister on Wednesday.\n"
    )
    result = clean(body)
    assert result.text == (
        "VELDA, Norland (AFP) - The president arrived in the capital on Monday, officials said.\n\n"
        "He is expected to meet the prime minister on Wednesday."
    )
    assert [r.reason for r in result.removed] == ["caption"]  # consecutive caption lines form one span
    assert "May 3, 2022" not in result.text


def _outlet_doc(n: int, body: str) -> str:
    return (
        f"Story number {n} about the region\n\n"
        f"{body}\n\n"
        "Follow Kari Lund on Twitter @karilund.\n"
        "Tip us off at tips@northpost.example\n\n"
        "The North Post is an independent newspaper.\n"
    )


BODIES = [
    "The county hospital will hire forty nurses this year, its director told the regional assembly on Monday.",
    "Farmers in the valley expect a poor harvest after the dry summer, the agricultural office reported.",
    "The ski resort at Mount Orra will open two weeks late because there is not enough snow on the slopes.",
    "A new library opened in Brennvik on Saturday, with a reading room dedicated to the town's sailors.",
]
SHARED_SENTENCE = "The coastal railway, closed since the landslide in April, reopened to passengers on Sunday."
SHORT_SHARED = "Tickets remain half price until June."


def test_learned_repeated_lines_are_removed_per_outlet(clean):
    docs = [_outlet_doc(i, body) for i, body in enumerate(BODIES)]
    repeated = RepeatedLines(min_docs=3)
    for doc in docs:
        repeated.observe(doc, "North Post")
    for doc, body in zip(docs, BODIES, strict=True):
        result = clean(doc, repeated, "North Post")
        assert body in result.text
        assert "Follow Kari Lund" not in result.text
        assert "tips@northpost" not in result.text
        assert "independent newspaper" not in result.text
        assert "repeated-line" in {r.reason for r in result.removed}
    # Another outlet's documents are not affected when the North Post is a small part of the corpus.
    for i in range(100):
        repeated.observe(f"South Daily story {i}\n\n{BODIES[i % 4]}\n", "South Daily")
    other = "The North Post is an independent newspaper.\n\n" + BODIES[0] + "\n"
    assert "independent newspaper" in clean(other, repeated, "South Daily").text
    assert "independent newspaper" not in clean(docs[0], repeated, "North Post").text
    # Without the learned lines nothing is removed.
    assert clean(docs[0]).removed == []


def test_reprints_do_not_erase_each_other(clean):
    """Four reprints of one article share every line, yet none of it is learned as boilerplate."""
    reprint = (
        "Coastal railway reopens\n\n"
        f"{SHARED_SENTENCE}\n\n"
        f"{SHORT_SHARED}\n\n"
        "Engineers spent five months stabilising the slope above the tracks near Ostvik, the operator said.\n"
    )
    repeated = RepeatedLines(min_docs=3)
    for _ in range(4):
        repeated.observe(reprint, "North Post")
    # ...and the shared sentence also appears, with other neighbours, in two more articles.
    for body in BODIES[:2]:
        repeated.observe(f"{body}\n\n{SHARED_SENTENCE}\n", "North Post")
    result = clean(reprint, repeated, "North Post")
    assert result.removed == []
    assert SHARED_SENTENCE in result.text and SHORT_SHARED in result.text
    assert result.text.startswith("Coastal railway reopens\n\n")


def test_repeated_lines_corpus_wide_and_persisted(clean):
    repeated = RepeatedLines(min_docs=3, min_fraction=0.5)
    outlets = ["A", "B", "C", "D", "E", "F"]
    for i, outlet in enumerate(outlets):  # each outlet has one document: only the corpus-wide rule applies
        repeated.observe(f"{BODIES[i % 4]} ({outlet})\n\nPowered by NewsPress\n", outlet)
    assert repeated.is_repeated("Powered by NewsPress", "G")
    assert repeated.is_repeated("  powered by newspress  ", None)
    assert not repeated.is_repeated(BODIES[0], "A")
    restored = RepeatedLines.from_dict(json.loads(json.dumps(repeated.to_dict())))
    assert restored.to_dict() == repeated.to_dict()
    doc = f"{BODIES[2]}\n\nPowered by NewsPress\n"
    assert clean(doc, restored, "G").text == BODIES[2]
    # Statements are never learned: quotes and speech verbs stay even when repeated everywhere.
    for i in range(6):
        repeated.observe(f'{BODIES[i % 4]} {i}\n\nThe minister said taxes will rise.\n\n"No."\n', "A")
    assert not repeated.is_repeated("The minister said taxes will rise.", "A")
    assert not repeated.is_repeated('"No."', "A")


def test_repeated_lines_memory_is_bounded():
    repeated = RepeatedLines(min_docs=2, max_keys=200)
    for i in range(300):
        repeated.observe(f"Unique line number {i}\n\nFooter line\n", "X")
    assert len(repeated.outlet_lines) <= 200 and len(repeated.corpus_lines) <= 200
    assert repeated.outlet_lines  # the frequent footer survives pruning


def test_hard_wrapped_paragraphs_are_rejoined(clean):
    text = (
        "Dam inspection finds no cracks\n"
        "\n"
        "Engineers who inspected the Solberg dam last week found no\n"
        "cracks in the main wall, the water authority said on Thursday,\n"
        "but they recommended replacing two of the older sluice gates\n"
        "before the autumn rains. The work will cost about 2 million\n"
        "crowns and take three months.\n"
        "\n"
        '"We were relieved," said the authority\'s director, Pia\n'
        'Halvorsen. "The dam is sound."\n'
        "\n"
        "The report lists three options:\n"
        "- repair the gates\n"
        "- replace the gates with\n"
        "  electric ones\n"
        "- do nothing until 2027\n"
        "\n"
        "Residents downstream, who had been told to pre-\n"
        "pare sandbags, welcomed the news.\n"
    )
    result = clean(text)
    assert result.text.split("\n\n") == [
        "Dam inspection finds no cracks",
        "Engineers who inspected the Solberg dam last week found no cracks in the main wall, the water "
        "authority said on Thursday, but they recommended replacing two of the older sluice gates before the "
        "autumn rains. The work will cost about 2 million crowns and take three months.",
        '"We were relieved," said the authority\'s director, Pia Halvorsen. "The dam is sound."',
        "The report lists three options:",
        "- repair the gates",
        "- replace the gates with electric ones",
        "- do nothing until 2027",
        "Residents downstream, who had been told to pre-pare sandbags, welcomed the news.",
    ]
    # A span found in the cleaned text maps back to the evidence in the original.
    quote = '"We were relieved,"'
    a = result.text.index(quote)
    start, end = result.to_original(a, a + len(quote))
    assert text[start:end] == quote


def test_single_newline_paragraphs_and_titles_stay_apart(clean):
    text = (
        "Council names new harbour master\n"
        "The council appointed Ola Venn as harbour master on Friday.\n"
        "He replaces Siri Dahl, who retired in May.\n"
        "Venn, 52, previously ran the ferry terminal.\n"
        "The appointment takes effect on 1 July, the council said in a statement published on its website.\n"
    )
    result = clean(text)
    assert result.text.split("\n\n") == [line for line in text.splitlines()]


def test_normalisation_keeps_the_offset_map(clean):
    text = (
        "Minister\u00a0Rolf  Aasen\tsaid: \u201cWe\u2019ll   build it\u201d \u2014 and the\u200b mayor "
        "agreed.\r\n\r\n"
        "\u00abNever again\u00bb, she wrote; \u201eDas ist gut\u201c, he replied \u2013 \u2018fine\u2019.\r\n"
        "The mayorâ€™s office called it â€œa good dealâ€\x9d for CafÃ© owners.\n"
    )
    result = clean(text)
    assert result.text == (
        "Minister Rolf Aasen said: \"We'll build it\" - and the mayor agreed.\n\n"
        '"Never again", she wrote; "Das ist gut", he replied - \'fine\'.\n\n'
        "The mayor's office called it \"a good deal\" for Café owners."
    )
    # Every cleaned span maps back to the original text that produced it.
    a = result.text.index("Café")
    start, end = result.to_original(a, a + 4)
    assert text[start:end] == "CafÃ"  # a fixed character maps to the first character of its mojibake
    assert result.offsets[a + 4] == end + 1  # ...and the next character to just past the sequence
    a = result.text.index('"We')
    assert text[slice(*result.to_original(a, a + 3))] == "\u201cWe"


def test_legitimate_accents_are_not_mojibake(clean):
    text = "Straße „Königsallee“ in Düsseldorf, São Paulo, à «la carte», naïve Ærø.\n"
    result = clean(text)
    assert result.text == 'Straße "Königsallee" in Düsseldorf, São Paulo, à "la carte", naïve Ærø.'


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "Advertisement\n", "\u200b\n"])
def test_empty_results(clean, text):
    result = clean(text)
    assert result.text == ""
    assert result.offsets == [len(text)]
    assert result.to_original(0, 0) == (0, 0)


def test_carriage_returns_and_other_line_breaks(clean):
    text = "First paragraph ends here.\r\rSecond one\rcontinues here. \u2028Third.\r\n"
    result = clean(text)
    assert result.text == "First paragraph ends here.\n\nSecond one continues here.\n\nThird."


_FRAGMENTS = [
    "The mayor", " said", " \u201cyes\u201d", " \u00abnon\u00bb", " \u201eja\u201c", "\u2019s", " \u2014 ", "\u2013",
    "  ", "\t", "\u00a0", "\u200b", "\ufeff", "â€™", "â€œ", "Ã©", "Â\u00a0", "ß\u201c", "\n", "\n\n", "\r\n",
    "\n   \n", ".", ",", "-\n", "and\n", "Advertisement\n", "\nRead also:\n- a headline\n", "\nShare on Facebook\n",
    "\nPhoto: AFP\n", " REUTERS/Lena Maar\n", "lower case", " Title Case", "12", "...", '"', "'", "\u2028",
]


def test_offset_invariant_on_random_texts(clean):
    import random

    rng = random.Random(7)
    repeated = RepeatedLines(min_docs=2)
    texts = ["".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(0, 60))) for _ in range(300)]
    for text in texts:
        repeated.observe(text, "R")
    for text in texts:
        clean(text)  # the fixture checks every character
        clean(text, repeated, "R")
