"""Typed sources: what a source mention that names nobody is (a group, a document, unnamed individuals, an
organisation described by its kind), and the label it keeps as speaker ("officials (unnamed)", "Bloomberg
poll"). Pure functions over the mention text; `speakers.ArticleSpeakers` decides when a description is
bound to a named person, organisation or an earlier document instead."""

from __future__ import annotations

import re
from dataclasses import dataclass

from saidwhen.statements import cues

UNNAMED = " (unnamed)"

DOCUMENT_HEADS = {
    "poll", "polls", "polling", "survey", "surveys", "report", "reports", "study", "studies", "analysis",
    "analyses", "statement", "statements", "data", "document", "documents", "memo", "letter", "book", "article",
    "account", "transcript", "video", "footage", "tweet", "filing", "filings", "brief", "ruling",
    "rulings", "records", "figures", "average", "averages", "tally", "returns", "research", "audit",
    "estimate", "estimates", "forecast", "census", "email", "emails", "submission",
    "commentary", "editorial", "column", "assessment", "findings", "statistics", "results", "lawsuit",
    "complaint", "indictment", "verdict", "cable", "documentary", "op-ed", "recording", "tape",
    # papers, slides, ads and pages that say something
    "review", "reviews", "presentation", "presentations", "slide", "slides", "chart", "charts", "graphic", "map",
    "memoir", "brochure", "leaflet", "pamphlet", "flyer", "ad", "ads", "advertisement", "commercial", "website",
    "message", "messages", "notes", "minutes", "guidance", "guidelines", "proposal", "draft", "decree",
    "petition", "announcement", "notice", "projection", "projections", "dossier", "testimony", "affidavit",
    "motion", "manual", "textbook", "newsletter",
}
_PARTICIPLES = {"seen", "written", "taken", "given", "shown", "made", "sent", "drawn", "put"}
ANONYMOUS_HEADS = {
    "source", "sources", "official", "officials", "spokesman", "spokeswoman", "spokesperson", "aide", "aides",
    "insider", "insiders", "friend", "friends", "witness", "witnesses", "person", "people", "reporter",
    "reporters", "someone", "diplomat", "diplomats", "staffer", "staffers", "employee", "employees",
    "adviser", "advisers", "advisor", "advisors", "operative", "operatives", "confidant", "associate",
    "associates", "relative", "relatives", "neighbour", "neighbor", "neighbours", "neighbors", "individual",
}
ORG_HEADS = {
    "company", "ministry", "department", "agency", "union", "government", "administration", "court",
    "commission", "committee", "council", "campaign", "fund", "bank", "board", "office", "firm", "regulator",
    "authority", "police", "army", "military", "party", "university", "school", "hospital", "city", "state",
    "county", "newspaper", "network", "paper", "outlet", "embassy", "organisation", "organization",
    "association", "institute", "group", "club", "team", "league", "parliament", "senate", "legislature",
    "cabinet", "kremlin", "district", "airline", "carrier", "retailer",
    "bureau", "service", "charity", "foundation", "alliance", "coalition", "bloc", "ministry's", "panel",
}
# words before the head that do not belong to the label ("another source", "only 52 percent")
_LEAD = {
    "a", "an", "the", "another", "other", "only", "nearly", "almost", "about", "roughly", "around", "some",
    "many", "several", "most", "all", "both", "fellow", "his", "her", "their", "its", "our", "my", "your",
    "of", "these", "those", "this", "that", "new", "latest", "recent", "previous", "earlier", "one", "also",
}
_QUANTITY = re.compile(
    r"(?i)^(?:(?:only|nearly|almost|about|roughly|another|just|some)\s+)*"
    r"(?:\d[\d.,]*\s*(?:%|percent|per cent)|[a-z-]+\s+(?:percent|per cent)|a\s+(?:majority|minority|plurality|third|"
    r"quarter|half)|(?:a\s+)?majority|(?:\w+)\s+(?:of|in)\s+(?:\d+|ten|four|five|three)\b)")
_STOP = re.compile(
    r"(?i),|\s[–—-]\s|\s(?:who|which|that|whose|whom|in|at|from|with|on|during|via|after|before|by|for|"
    r"including|led|released|published|conducted|taken|seeking|handling|representing|to|than)\s")
_VERBS = {"would", "will", "could", "should", "can", "may", "might", "must", "is", "are", "was", "were", "has",
          "have", "had", "be", "been", "said", "says"}
_PROPER = {"democrats", "republicans", "americans"}
_ADJ = {"new", "latest", "recent", "previous", "earlier", "fellow"}  # capitalised, part of a name ("New York")
_AMOUNT = {"many", "some", "most", "all", "several", "none", "one", "few", "both", "each", "half", "majority",
           "minority", "number", "group", "groups", "array", "handful", "dozens", "hundreds", "thousands", "millions",
           "percent", "plurality", "rest", "two", "three", "four", "five", "ten"}
_ALONE = {"some", "many", "others", "several", "most", "few", "both", "all"}
_GROUP_TAIL = re.compile(r"(?i)^(?:people|men|women|children|residents|citizens|members|voters)$")


@dataclass(frozen=True)
class Described:
    """An unnamed (or document) source: the label kept as speaker, its type and head noun."""

    label: str
    type: str  # group | document | anonymous | organisation | person
    head: str  # lower case, as written ("polls")
    named: bool = False  # a document with its own name ("Bloomberg poll"); the label has no "(unnamed)"


_COMMON = (DOCUMENT_HEADS | ANONYMOUS_HEADS | ORG_HEADS | _LEAD | _AMOUNT | cues.ROLE_WORDS | cues.GROUP_HEADS) \
    - _PROPER - {"new"}  # words lower-cased in a label


def _words(text: str) -> list[str]:
    text = text.replace("\u00a0", " ").replace("’", "'").strip(" ,;:.")
    text = _STOP.split(" " + text + " ", maxsplit=1)[0]
    words = [w for w in text.split() if w]
    for i, w in enumerate(words[1:], 1):  # "emails obtained (by …)", "records reviewed": the head ends it
        if words[i - 1].lower() in DOCUMENT_HEADS and w.islower() and (w.endswith("ed") or w in _PARTICIPLES):
            return words[:i]
    return words


def _lower_common(words: list[str]) -> list[str]:
    """Lower-case common words capitalised by their position ("Police officials" -> "police officials");
    names keep their case ("McConnell aides", "Republicans")."""
    return [w.lower() if w.lower() in _COMMON else w for w in words]


def head_of(text: str) -> str:
    words = _words(text)
    if not words:
        return ""
    low = [w.lower().strip(".'") for w in words]
    if "of" in low[1:] and (_QUANTITY.match(" ".join(words)) or low[low.index("of", 1) - 1] in _AMOUNT):
        return low[-1]  # "many of his supporters", "a group of protesters"
    if "of" in low[1:]:
        return low[low.index("of", 1) - 1]  # "the transcript of the debate", "groups of protesters" -> head first
    return low[-1]


def describe(text: str, kind: str) -> Described | None:
    """The unnamed source a mention describes, from the parse `kind` (group | role | org | generic | person):
    "sources" -> ("sources (unnamed)", anonymous), "46 percent" -> group, "A Bloomberg poll" -> ("Bloomberg
    poll", document, named), "the company" -> organisation. None for mentions that describe no source
    ("you", "it", a bare quantifier)."""
    words = _words(text)
    if not words:
        return None
    low = [w.lower().strip(".'") for w in words]
    if len(low) == 1 and low[0] in {"it", "its", "this", "that", "which", "who", "you", "i", "me", "one", "there"}:
        return None
    head = head_of(text)
    if head.endswith(("ed", "ing")) and head not in DOCUMENT_HEADS | ANONYMOUS_HEADS | ORG_HEADS:
        return None  # "compared to 11% of …": no noun phrase
    if set(low) & _VERBS:
        return None  # "The high stakes would attract donors": a clause, no source
    if len(low) == 1 and low[0] in _ALONE:
        return Described(f"{low[0]}{UNNAMED}", "group", low[0])  # "Some believe …"
    quantity = bool(_QUANTITY.match(" ".join(words)))
    lead = 0
    while lead < len(words) - 1 and low[lead] in _LEAD and (words[lead].islower() or low[lead] not in _ADJ):
        lead += 1
    body = words[lead:]
    if head in DOCUMENT_HEADS and not quantity:
        end = next((i for i, w in enumerate(body) if w.lower().strip(".'") == head), len(body) - 1) + 1
        core = body[:end]
        caps = [w for w in core[:-1] if w[:1].isupper() and (w.lower() not in _LEAD or w.lower() in _ADJ)]
        if caps:  # "Bloomberg poll", "Washington Post-ABC News national poll", "Ivana Trump's brief"
            first = core.index(caps[0])
            return Described(" ".join(core[first:]), "document", head, named=True)
        return Described(" ".join(_lower_common(core)) + UNNAMED, "document", head)
    label = " ".join(_lower_common(body)) + UNNAMED
    content = [w for w in body if w.lower() not in {"of", "for", "and", "on", "the", "&"}]
    if len(content) >= 2 and all(w[:1].isupper() for w in content) and kind in {"org", "generic"} \
            and (head in ORG_HEADS or any(w.lower() in ORG_HEADS for w in content)):
        return Described(" ".join(body), "organisation", head, named=True)  # "the Federal Bureau of Prisons"
    if kind == "org" and head in ORG_HEADS:
        return Described(label, "organisation", head)  # "Police", "the ministry"
    if quantity or (kind == "group" and head not in ANONYMOUS_HEADS) or _GROUP_TAIL.match(head):
        return Described(label, "group", head)
    if head in ANONYMOUS_HEADS:
        return Described(label, "anonymous", head)
    if head in ORG_HEADS or " ".join(low[-2:]) in ORG_HEADS:
        owner = [w for w in body[:-1] if w[:1].isupper()]
        if owner and body[-1].lower() == head:  # "The Trump campaign", "Hillary Clinton's campaign"
            first = body.index(owner[0])
            return Described(" ".join(body[first:]), "organisation", head, named=True)
        return Described(label, "organisation", head)
    if kind == "role":
        return Described(label, "person", head)
    if head.endswith("s") and not head.endswith("ss") and head.isalpha() and len(head) > 3 and kind != "person":
        return Described(label, "group", head)  # "opponents", "veterans", "nations"
    return None
