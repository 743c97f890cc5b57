"""What an article itself defines for speaker resolution, found by regexes over its text (pure, cheap):
organisation names and the acronyms it introduces ("Immigration, Refugees and Citizenship Canada (IRCC)"),
photo-credit lines (whose names are no speakers), and the title written right before a person's name
("Sen. Lindsey Graham" -> senator), so that "the senator" can be bound to the one senator it names."""

from __future__ import annotations

import re

from saidwhen.statements import cues

Span = tuple[int, int]

# lines that credit a photo or video: "Photo: Kari Nilsen", "Kari Nilsen / The Canadian Press", "(AP Photo/…)"
_CREDIT = re.compile(
    r"(?im)^[ \t]*(?:\(?\s*(?:photo|photograph|image|picture|video|credit|photo credit|file photo|illustration)"
    r"s?\b\s*(?:by\b)?\s*[:/|-][^\n]{0,120}"
    r"|[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,3}\s*/\s*[A-Z][^\n]{0,60}"
    r"|[^\n]{0,200}\((?:[A-Z][\w ]{0,30}\s)?(?:photo|photograph|image)s?\b[^\n)]{0,80}\)\s*)$"
)
_JOIN = r"(?:of|for|and|on|the|de|du|&)"
_ORG_RUN = re.compile(rf"(?:[A-Z][\w&'’.-]*|{_JOIN})(?:,? (?:[A-Z][\w&'’.-]*|{_JOIN}(?= )))*")
_CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
             "march", "april", "june", "july", "august", "september", "october", "november", "december"}
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z&]{1,9})\)")
_ORG_WORDS = cues.ORG_WORDS | {"caucus", "fund", "court", "agency", "center", "centre", "institute", "reserve"}

# title words before a name, to the head a description uses ("the senator", "the judge")
TITLE_HEADS = {
    "sen": "senator", "senator": "senator", "rep": "representative", "representative": "representative",
    "congressman": "representative", "congresswoman": "representative", "gov": "governor",
    "governor": "governor", "gen": "general", "general": "general", "dr": "doctor", "doctor": "doctor",
    "physician": "doctor", "judge": "judge", "justice": "judge", "mayor": "mayor", "president": "president",
    "commissioner": "commissioner", "chancellor": "chancellor", "minister": "minister", "sheriff": "sheriff",
    "ambassador": "ambassador", "pastor": "pastor", "rev": "pastor", "bishop": "bishop", "pope": "pope",
    "king": "king", "queen": "queen", "nominee": "nominee", "candidate": "candidate", "chairman": "chairman",
    "chairwoman": "chairman", "chair": "chairman", "secretary": "secretary", "admiral": "admiral",
    "colonel": "colonel", "col": "colonel", "prosecutor": "prosecutor", "coach": "coach", "ceo": "ceo",
    "director": "director", "speaker": "speaker", "premier": "premier", "mp": "mp",
}


def credit_spans(text: str) -> list[Span]:
    """Photo and video credit lines; names in them are no speakers and no antecedents."""
    return [(m.start(), m.end()) for m in _CREDIT.finditer(text)]


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s,-]+", name) if w and w[0].isupper())


def acronyms(text: str) -> dict[str, str]:
    """Acronyms the article defines: "Immigration, Refugees and Citizenship Canada (IRCC)" -> {"IRCC": …}.
    The capitalised words before the parenthesis must give the acronym's letters (joining words skipped)."""
    out: dict[str, str] = {}
    for m in _ACRONYM.finditer(text):
        acro = m.group(1)
        before = text[max(0, m.start() - 160) : m.start()].rstrip()
        words = re.split(r"(?<=\S) (?=\S)", before.split("\n")[-1])
        letters = acro.replace("&", "").upper()
        taken: list[str] = []
        caps = ""
        for w in reversed(words):
            if w[:1].isupper():
                caps = w[0] + caps
                taken.insert(0, w)
                if caps == letters:
                    break
                if not letters.endswith(caps):
                    taken = []
                    break
            elif w.lower() in {"of", "for", "and", "on", "the", "&", "de"} and taken:
                taken.insert(0, w)
            else:
                taken = []
                break
        if taken and caps == letters:
            out.setdefault(acro, " ".join(taken).strip(" ,"))
    return out


def org_names(text: str) -> list[tuple[int, str]]:
    """Capitalised names with an organisation word ("International Monetary Fund", "Department of Veterans
    Affairs"), with their positions; a leading "The" dropped."""
    out = []
    for m in _ORG_RUN.finditer(text):
        words = m.group(0).replace(",", "").split()
        while words and (words[0] in {"The", "the"} or words[0].lower() in {"of", "for", "and", "on", "de", "&"}):
            words = words[1:]
        while words and words[-1].lower() in {"of", "for", "and", "on", "the", "de", "du", "&"}:
            words = words[:-1]
        if len(words) < 2 or not any(w.lower().strip("'’s") in _ORG_WORDS for w in words) \
                or any(w.lower() in _CALENDAR for w in words):
            continue
        name = re.sub(r"(?:'s|’s)$", "", " ".join(words))
        out.append((m.start() + m.group(0).find(words[0]), name))
    return out


def initials_match(acro: str, name: str) -> bool:
    """Is `acro` ("IMF") the initials of `name` ("International Monetary Fund"), joining words skipped?"""
    return len(acro) >= 2 and acro.isupper() and _initials(name) == acro


def title_head(text: str, pos: int) -> str | None:
    """The head of the title written right before the name at `pos` ("Manhattan Supreme Court Justice
    Frank Nervo" -> "judge", "Sen. Lindsey Graham" -> "senator"), or None."""
    before = text[max(0, pos - 40) : pos].split()
    if not before:
        return None
    word = before[-1].lower().strip(".,")
    return TITLE_HEADS.get(word)


_TITLE_WORD = re.compile(r"[\w.'’-]+")
# qualifiers that tell two holders of one title apart: a description with one binds only to a title with it
_CONTRASTS = [{"democratic", "democrat", "d"}, {"republican", "gop", "r"}, {"libertarian"}, {"green"},
              {"vice"}, {"deputy"}, {"assistant"}, {"acting"}, {"first"}]


def title_before(text: str, pos: int) -> str:
    """The capitalised title words and modifiers written right before the name at `pos` (at most 6 words,
    stopping at punctuation): "Republican presidential nominee" for "… Republican presidential nominee Donald
    Trump"."""
    words = text[max(0, pos - 80) : pos].split()
    out: list[str] = []
    for w in reversed(words):
        if w[-1:] in ",;:\"”(" or len(out) >= 6:
            break
        lw = w.lower().strip(".’'")
        if not (w[:1].isupper() or lw in cues.ROLE_WORDS or lw in {"presidential", "former", "first"}):
            break
        out.insert(0, w)
    return " ".join(out)


def compatible_titles(description: str, title: str) -> bool:
    """Can a description ("the Democratic presidential nominee") refer to someone introduced with `title`
    ("Republican presidential nominee")? Not when one says Democratic and the other Republican, or one says
    vice/deputy/acting and the other does not ("former" is often left out, so it does not count)."""
    d = {w.lower().strip(".’'") for w in _TITLE_WORD.findall(description)}
    t = {w.lower().strip(".’'") for w in _TITLE_WORD.findall(title)}
    for group in _CONTRASTS:
        if bool(d & group) != bool(t & group) and (d & group or group & {"vice", "deputy", "assistant", "acting"}):
            return False
    return True


def role_head(role: str) -> str | None:
    """The head of a role description ("the South Carolina senator" -> "senator", "The Secretary General of
    the Alliance" -> "secretary general"), through `TITLE_HEADS`."""
    words = [w.lower().strip(".,'’") for w in role.split()]
    if "of" in words[1:]:
        words = words[: words.index("of", 1)]
    if not words:
        return None
    return TITLE_HEADS.get(words[-1])


# what an article says of a person's gender, when the first name does not tell it
_FEMALE_NOUNS = ("wife|mother|daughter|sister|widow|niece|grandmother|granddaughter|girlfriend|spokeswoman|"
                 "congresswoman|businesswoman|chairwoman|actress|first lady|mrs|ms|miss")
_MALE_NOUNS = ("husband|father|son|brother|widower|nephew|grandfather|grandson|boyfriend|spokesman|congressman|"
               "businessman|actor|mr")
_NOUN_BEFORE = re.compile(rf"(?i)\b(?:({_FEMALE_NOUNS})|({_MALE_NOUNS}))\b\.?,?\s+(?:(?:former|then|the)\s+)?$")
def gender_at(text: str, pos: int) -> str | None:
    """"f"/"m" for the name at text[pos:end] when the article says so right there: a gendered noun before it
    ("his daughter Ivy Lund", "spokeswoman Ivy Lund", "Ms. Lund"); None otherwise. (A pronoun after the name
    is no evidence: "Lund said he …" is often about someone else.)"""
    before = _NOUN_BEFORE.search(text[max(0, pos - 40) : pos])
    return None if before is None else "f" if before.group(1) else "m"


_GENDERED = re.compile(rf"(?i)\b(?:({_FEMALE_NOUNS}|woman|girl|lady)|({_MALE_NOUNS}|man|boy))\b")


def noun_gender(description: str) -> str | None:
    """"f"/"m" when a description names a gendered noun ("the 54-year-old mother of three"), else None."""
    found = _GENDERED.search(description)
    return None if found is None else "f" if found.group(1) else "m"
