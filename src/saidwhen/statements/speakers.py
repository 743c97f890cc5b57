"""Source mentions and names in one article (rules, no registry): `parse_mention` splits a mention into name
and role and says what kind of speaker it is; `name_runs` finds the full person names of a text with the
title written before them. `article_speakers.ArticleSpeakers` resolves mentions with them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from saidwhen.statements import cues, sources
from saidwhen.statements.registry import role_key

_CAP_RUN = re.compile(r"(?:[A-Z][\w'’-]*)(?: (?:[A-Z]\.|[A-Z][\w'’-]*|(?:de|van|von|al|bin|da|del|le)(?= [A-Z])))*\b")
_NAME_RE = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen)\.?\s+)?"
    r"([A-Z][a-zA-Z'’-]+(?: [A-Z]\.)?(?: (?:de|van|von|al|bin|da|del|le))?(?: [A-Z][a-zA-Z'’-]+){1,2})\b"
)
_NOT_NAME = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "the", "a", "an", "in", "on", "at", "but", "and", "he", "she", "they", "it", "this", "that", "we", "i",
    "new", "north", "south", "east", "west", "united", "white", "state", "states", "city", "street",
    "if", "as", "when", "after", "before", "while", "so", "for", "with", "his", "her", "their", "our", "my",
    "during", "from", "to", "by", "of", "about", "under", "over", "since", "until", "although", "though",
    "because", "despite", "like", "unlike", "among", "against", "between", "into", "through", "without",
    "within", "across", "toward", "upon", "what", "where", "who", "why", "how", "there", "here", "then", "now",
    "yet", "still", "also", "just", "even", "only", "not", "no", "yes", "all", "some", "many", "every", "each",
    "any", "both", "either", "neither", "one", "two", "three", "few", "most", "other", "such", "these", "those",
    "its", "your", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "is", "was", "are", "were", "has", "had", "another",
    "does", "do", "did", "team", "can", "could", "should", "would", "will", "must", "let", "watch", "inside",
    "exclusive", "breaking", "says", "said", "tells", "told", "asks", "meet",
}
_FIRST_F = set(
    ["mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah", "karen", "nancy", "lisa", "margaret", "betty", "sandra", "ashley", "dorothy", "kimberly", "emily", "donna", "michelle", "carol", "amanda", "melissa", "deborah", "stephanie", "rebecca", "laura", "sharon", "cynthia", "kathleen", "amy", "shirley", "angela", "helen", "anna", "brenda", "pamela", "nicole", "samantha", "katherine", "christine", "emma", "ruth", "julie", "olivia", "hillary", "chelsea", "ivanka", "melania", "angela", "theresa", "ursula", "kamala", "nancy", "nikki", "sheila", "marine", "kaja", "annalena", "giorgia", "jacinda", "huma", "kellyanne", "hope", "sarah", "elena", "maria", "sonia", "madeleine", "condoleezza", "michele", "janet", "christine", "liz", "elise", "tulsi", "debbie", "dianne", "maxine", "nikki", "karin", "anna", "ingrid", "petra", "mia", "ada", "clara", "sofia", "eva", "ida", "lena", "nina", "elin", "astrid", "greta", "hanna", "kristin", "marta"]
)
_FIRST_M = set(
    ["james", "john", "robert", "michael", "william", "david", "richard", "joseph", "thomas", "charles", "christopher", "daniel", "matthew", "anthony", "mark", "donald", "steven", "paul", "andrew", "joshua", "kenneth", "kevin", "brian", "george", "edward", "ronald", "timothy", "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "eric", "jonathan", "stephen", "larry", "justin", "scott", "brandon", "benjamin", "samuel", "frank", "gregory", "raymond", "alexander", "patrick", "jack", "dennis", "jerry", "tyler", "aaron", "jose", "adam", "henry", "nathan", "douglas", "peter", "bernie", "ted", "marco", "jeb", "ben", "chris", "mike", "mitt", "barack", "joe", "bill", "newt", "rudy", "rand", "reince", "corey", "jens", "vladimir", "volodymyr", "emmanuel", "olaf", "boris", "rishi", "keir", "xi", "narendra", "recep", "viktor", "mark", "jim", "tim", "tom", "bob", "lindsey", "mitch", "kevin", "rick", "rex", "sean", "steve", "jared", "eric", "hunter", "lloyd", "antony", "dmitry", "sergei", "justin", "ron", "per", "olav", "lukas", "tomas", "rune", "lars", "erik", "anders", "johan", "nils", "sven", "hans", "karl"]
)


@dataclass(frozen=True)
class Mention:
    """A parsed speaker mention: the name part, the role part, and what kind of speaker it is."""

    text: str
    kind: str  # person | pronoun | role | org | group | generic
    name: str | None = None
    role: str | None = None
    gender: str | None = None


def _strip_det(words: list[str]) -> list[str]:
    while words and words[0].lower() in {"the", "a", "an", "then", "current"}:
        words = words[1:]
    return words


_QUANT = {"some", "many", "most", "several", "few", "others", "other", "both", "all", "one", "two", "three",
          "four", "five", "six", "seven", "eight", "nine", "ten", "thirty", "forty", "fifty", "sixty", "twenty",
          "almost", "nearly", "about", "roughly", "only", "percent", "majority", "minority", "plurality",
          "another", "each", "any", "none", "half", "more", "fewer", "such", "these", "those", "this", "that"}
_FUNCTION = {"of", "by", "from", "for", "to", "with", "at", "in", "on", "about", "and", "or", "than", "as", "like",
             "said", "says", "told", "is", "was", "are", "were", "be", "been", "has", "have", "had"}
_DETS = {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your"}
_CUT = re.compile(r"\s+(?:who|which|that|whose|whom)\b|\s*\(|\s+(?:in|at|from|with|on|during|via|after|before|by)\s+")
_FOR = re.compile(r"\s+for\s+")


def _cut(text: str) -> str:
    """The noun phrase without a relative clause or trailing prepositional phrase; "for" ends it after a common
    noun ("a reporter for USA Today") or a full name ("Cameron Easley for Morning Consult"), not inside a name
    ("Democracy for America")."""
    text = _CUT.split(text)[0]
    for m in _FOR.finditer(text):
        before = text[: m.start()].split()
        full_name = len(before) >= 2 and all(w[:1].isupper() for w in before[-2:]) \
            and before[-2].lower() not in _DETS and before[-1].lower() not in cues.ORG_WORDS
        if before and (before[-1].islower() or full_name):
            return text[: m.start()]
    return text


# single capitalised words that name a group, not a person ("Allies said", "Protesters said")
_GROUP_WORDS = cues.GROUP_HEADS | sources.ANONYMOUS_HEADS | {
    "allies", "protesters", "americans", "opponents", "observers", "republicans", "democrats", "conservatives",
    "liberals", "progressives", "critics", "residents", "voters", "officials", "investigators", "authorities",
    "proponents", "advocates", "experts", "analysts", "economists", "scientists", "researchers", "delegates",
    "strategists", "executives", "lawyers", "attorneys", "organizers", "organisers", "demonstrators", "activists",
    "leaders", "members", "aides", "advisers", "donors", "parents", "students", "teachers", "workers"}
_POSSESSIVE = re.compile(r"(?:'s|’s|s'|s’)$")


_OF_ORG = re.compile(r"(.+?) of ((?:the )?[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*)$")


def _is_initial(w: str) -> bool:
    return re.fullmatch(r"(?:[A-Z]\.)+", w) is not None  # "J." and "G.K."


def _namey(w: str) -> bool:
    lw = w.lower().rstrip(".,").replace("’s", "").replace("'s", "")
    return (w[:1].isupper() and lw not in cues.ROLE_WORDS and lw not in cues.ORG_WORDS
            and (not w.isupper() or _is_initial(w)) and lw not in _QUANT)


def _trim_first_name(words: list[str]) -> list[str]:
    """'Rival Hillary Clinton' -> 'Hillary Clinton' (a known first name after a capitalised word)."""
    for k in range(1, len(words) - 1):
        if words[k].lower() in _FIRST_F | _FIRST_M and words[0].lower() not in _FIRST_F | _FIRST_M:
            return words[k:]
    return words


@lru_cache(maxsize=8192)  # mentions repeat ("he", "the prime minister"): parsed once per process
def parse_mention(text: str) -> Mention:
    """Split 'NATO Secretary General Jens Stoltenberg' into role and name, classify the mention.
    Only the noun phrase's own words count: relative clauses and trailing prepositional phrases are cut
    ('several women who said …', 'documents from the papers of X'), so a name inside them is no speaker."""
    text = text.strip(" ,;:")
    if text.endswith(".") and not re.search(r"(?:^| )(?:[A-Z]|Jr|Sr|Inc)\.$", text):
        text = text[:-1]
    appositive = None
    main = text
    if "," in text:  # "Jens Stoltenberg, NATO's secretary general"
        head, _, appositive = text.partition(",")
        appositive = _cut(appositive.strip(" ,")) or None
        main = head.strip()
        named = parse_mention(appositive) if appositive else None
        lead = parse_mention(main)
        if named and named.kind == "person" and not named.role and lead.kind == "role" and lead.role:
            # "The head of the Alliance, Jens Stoltenberg": the appositive names the role's holder
            return Mention(text, "person", name=named.name, role=lead.role, gender=named.gender or lead.gender)
        full = named and named.kind == "person" and named.name and len(named.name.split()) >= 2 \
            and appositive[:1].isupper() and not re.search(r" and |[—–]", main) \
            and main.split()[0].lower() not in _QUANT
        if full and not (lead.kind == "person" and lead.name and len(lead.name.split()) >= 2):
            # "The Keeper of the Ruler's Seal, Omar Haddad": a full name in the mention wins over a title
            # taken for a name ("Keeper") or a relation ("Trump's running mate, Indiana Gov. Mike Pence")
            role = named.role or (lead.role if lead.kind == "role" else None)
            return Mention(text, "person", name=named.name, role=role, gender=named.gender or lead.gender)
    of_org = _OF_ORG.match(main)
    if of_org and _namey(of_org.group(1).split()[-1]):
        # "Secretary General Maria Lindqvist of the Baltic Maritime Council": the name, then its org
        inner = parse_mention(of_org.group(1))
        if inner.kind == "person" and inner.name:
            role = f"{inner.role} of {of_org.group(2)}" if inner.role else None
            return Mention(text, "person", name=inner.name, role=role, gender=inner.gender)
    main = _cut(main).strip()
    words = main.split()
    low = [w.lower() for w in words]
    if len(words) == 1 and low[0] in cues.PERSON_PRONOUNS:
        return Mention(text, "pronoun", gender=cues.PERSON_PRONOUNS[low[0]])
    if len(words) == 1 and low[0] in cues.GROUP_PRONOUNS:
        return Mention(text, "pronoun", gender="pl")
    gender = None
    words = _strip_det(words)
    quantity = words and words[0][:1].isdigit() and (
        words[0].endswith("%") or any(w.lower() in {"percent", "per", "of"} for w in words[1:3]))
    if not words or words[0].lower() in _QUANT or quantity or low[0] in {"you", "i", "we"} \
            or re.search(r" and (?:[a-z]|the |a |an |his |her |their )", main):
        return Mention(text, "generic")  # quantities, "you", several speakers ("X and his aides")
    if words[0].lower().rstrip(".") in cues.HONORIFICS:
        h = words[0].lower().rstrip(".")
        gender = "f" if h in cues.FEMALE_HONORIFICS else "m" if h in cues.MALE_HONORIFICS else None
        words = words[1:]
        if not words:
            return Mention(text, "generic")
        if len(words) == 1 and words[0][:1].isupper():  # "Mr. King" is a name even when it is a title word
            return Mention(text, "person", name=words[0].rstrip(".,"), gender=gender)
    if len(words) >= 3 and words[0].lower() in cues.ROLE_WORDS and words[1].lower() == "of":
        tail = _role_of_name(words)
        if tail:  # "President of Ukraine Volodymyr Zelenskyy": the name inside the mention wins
            name_words, role_words = tail
            first = name_words[0].lower()
            return Mention(text, "person", name=" ".join(name_words), role=" ".join(role_words),
                           gender=gender or ("f" if first in _FIRST_F else "m" if first in _FIRST_M else None))
        return Mention(text, "role", role=" ".join(words), gender=gender)  # "the head of the Alliance"
    # trailing run of capitalised non-role words = the name
    i = len(words)
    while i > 0 and (_namey(words[i - 1]) or (i < len(words) and _is_initial(words[i - 1]))):
        i -= 1
    name_words, prefix = words[i:], words[:i]
    poss = [k for k, w in enumerate(name_words[:-1]) if _POSSESSIVE.search(w)]
    owned = bool(poss) and len(name_words) - poss[-1] - 1 >= 2
    if owned:  # "NBC's Dante Chinni", "Fox News' Megyn Kelly": the name after the owner
        prefix, name_words = prefix + name_words[: poss[-1] + 1], name_words[poss[-1] + 1 :]
    if name_words and name_words[-1].lower() in _GROUP_WORDS and (len(name_words) == 1 or not prefix):
        return Mention(text, "group", name=None)  # "Allies said", "Fellow Republicans said"
    lowered = {w.lower().strip(".,").replace("’s", "").replace("'s", "") for w in words}
    if name_words and prefix and prefix[-1].endswith(("'s", "’s")) and not owned:
        name_words, prefix = [], words  # "Trump's spokesman"
    # the words before a name must be a title ("longtime Democratic pollster"), not another phrase, and not
    # a relation to the named person ("a spokesman for President Obama" is not Obama)
    plow = [w.lower().rstrip(".,") for w in prefix]
    relational = any(w in _RELATIONAL for w in plow) and any(w in {"for", "to", "of", "with", "at"} for w in plow)
    title_ok = owned or not relational and (not prefix or plow[-1] in cues.ROLE_WORDS or all(
        w.lower() in _DETS or w.lower().endswith(("'s", "’s")) for w in prefix) or (
        plow[-1] not in _FUNCTION and not plow[-1].endswith("ed") and plow[-1].isalpha()))
    if name_words and title_ok and not (lowered & cues.ORG_WORDS and not prefix):
        name_words = _trim_first_name(name_words)
        name = " ".join(name_words)
        role = " ".join(prefix) or appositive
        if role and not (set(role_key(role).split()) & cues.ROLE_WORDS):
            role = None
        if gender is None:
            first = name_words[0].lower()
            gender = "f" if first in _FIRST_F else "m" if first in _FIRST_M else None
        return Mention(text, "person", name=name, role=role, gender=gender)
    if name_words and not title_ok:
        return Mention(text, "generic")
    head = words[-1].lower().strip(".,")
    first = words[0].lower().rstrip(".,")
    org_like = bool(lowered & cues.ORG_WORDS) or all(w.isupper() and len(w) > 1 for w in words[-1:])
    if org_like and any(w[:1].isupper() for w in words) and head not in cues.ROLE_WORDS \
            and first not in cues.ROLE_WORDS - cues.ROLE_MODIFIERS:
        return Mention(text, "org", name=" ".join(words))
    if head in cues.GROUP_HEADS:
        return Mention(text, "group", name=" ".join(words) if len(words) >= 2 else None)
    if head in cues.ROLE_WORDS or first in cues.ROLE_WORDS:
        return Mention(text, "role", role=" ".join(words), gender=gender)
    return Mention(text, "generic")


def _role_of_name(words: list[str]) -> tuple[list[str], list[str]] | None:
    """"President of Ukraine Volodymyr Zelenskyy" -> (name, role): the name is the known first name and what
    follows, else the last two words of a run of at least three capitalised words after "of"."""
    rest = words[2:]
    while rest and rest[0].lower() in {"the", "a", "an"}:
        rest = rest[1:]
    run = len(rest)
    k = len(rest)
    while k > 0 and (rest[k - 1][:1].isupper() or rest[k - 1].lower() in {"of", "and", "the"}):
        k -= 1
    if k != 0 or run < 3 or any(w.lower() in {"of", "and", "the"} for w in rest[-2:]):
        return None
    start = next((j for j in range(1, run - 1) if rest[j].lower() in _FIRST_F | _FIRST_M), 0)
    if start < 1 or not all(_namey(w) or _is_initial(w) for w in rest[start:]):
        return None
    return rest[start:], words[: len(words) - (run - start)]


def _subject_position(text: str, start: int) -> bool:
    """Does a name at `start` open a sentence or paragraph (a likely subject, salient for pronouns)?"""
    before = text[max(0, start - 80) : start]
    # skip a title before the name ("Harbour master", "NATO Secretary General", "the company's chief")
    words = before.split(" ")
    while words and words[-1] == "":
        words.pop()
    while words and (words[-1].lower().rstrip(",.") in cues.ROLE_WORDS or words[-1][:1].isupper()
                     or words[-1].lower() in {"the", "a", "an"} or words[-1].endswith(("'s", "’s"))) \
            and not words[-1].endswith((".", ":", ";", '"', "”")):
        words.pop()
    before = " ".join(words)
    before = re.sub(r"(?:(?:On|In|At|Later|Earlier|Then|But|And|Meanwhile|However)\b[^,.]{0,25},?\s*)$", "", before)
    before = re.sub(r"(?:(?<=[.!?:;\n\"”])|^)\s*(?:During|After|Before|Since|When|While|As|Following|Asked|Speaking|"
                    r"Still|Yet|Now|Today|Last|This|Earlier|Instead|Afterwards|Separately)\b[^,.;:]{0,60},\s*$", "", before)
    stripped = before.rstrip()
    return not stripped or stripped[-1] in ".!?:;\"”\n" or stripped.endswith(("—", "–"))


_NON_UNIQUE = {
    "analyst", "strategist", "pollster", "expert", "economist", "professor", "official", "officials", "activist",
    "author", "delegate", "lawmaker", "lawmakers", "aide", "aides", "adviser", "advisor", "staffer", "staff",
    "player", "actor", "singer", "owner", "lawyer", "doctor", "teacher", "engineer", "farmer", "diplomat",
    "envoy", "officer", "detective", "inspector", "trustee", "executive", "representative", "assistant",
}
_RELATIONAL = {"spokesman", "spokeswoman", "spokesperson", "aide", "aides", "adviser", "advisor", "friend",
               "wife", "husband", "son", "daughter", "lawyer", "attorney", "staffer", "assistant", "supporter",
               "supporters", "critic", "critics", "ally", "allies", "rival", "manager", "strategist", "brother",
               "sister", "mother", "father", "chief"}


def is_title(role: str) -> bool:
    """Can this role description be bound to one person ("NATO Secretary General"; not "State", "an analyst",
    "top adviser for President")?"""
    if re.match(r"(?i)\s*(?:a|an|one|another)\s", role) or re.search(r"(?i)\s(?:for|to|with|at|from|by)\s", role):
        return False
    words = role_key(role).split()
    return bool(words) and words[-1] in cues.ROLE_WORDS and words[-1] not in cues.ROLE_MODIFIERS \
        and words[-1] not in _NON_UNIQUE


def canonical_org(name: str) -> str:
    words = _strip_det(name.split())
    return " ".join(words)


@dataclass(frozen=True)
class NameRun:
    """A full person name written in an article (found by `name_runs`, without the registry)."""

    name: str  # "Rune Falk"
    first: str  # its first word, lower-cased
    last: str  # its last word (the surname)
    pos: int  # where the name starts in the text
    role: str | None  # the title written before it, when it can be bound to one person ("Fisheries Commissioner")
    subject: bool  # does it open a sentence or paragraph (`_subject_position`)
    introduced: bool = False  # followed by an appositive title ("Henry Crespo, president of …")


def name_runs(text: str) -> list[NameRun]:
    """The full person names of a text: a cheap regex over capitalised runs, titles and honorifics cut off.
    Pure (no registry), so it can run in a worker process."""
    out: list[NameRun] = []

    def titled(w: str) -> bool:
        lw = w.lower().rstrip(".")
        return lw in cues.ROLE_WORDS or lw in cues.HONORIFICS or lw in cues.ORG_WORDS or w.isupper()

    for m in _CAP_RUN.finditer(text):
        run = re.sub(r"(?:'s|’s|'|’)$", "", m.group(0))
        if run.endswith(".") and not re.search(r"(?:^| )[A-Z]\.$", run):
            run = run[:-1]
        words = run.split(" ")
        offs = [m.start()]
        for w in words[:-1]:
            offs.append(offs[-1] + len(w) + 1)
        i = 0
        while i < len(words) and (words[i].lower().strip(".’'") in _NOT_NAME or titled(words[i])):
            i += 1
        last_title = max((k for k, w in enumerate(words) if titled(w)), default=-1)
        if last_title >= i and len(words) - last_title - 1 >= 2:
            i = last_title + 1  # "Fisheries Commissioner Rune Falk"
        name_words = words[i:]
        poss = [k for k, w in enumerate(name_words) if w.endswith(("'s", "’s"))]
        if poss:  # "Green Party's Jill Stein"
            name_words = name_words[poss[-1] + 1 :]
        name_words = _trim_first_name(name_words)
        if name_words and name_words[0].lower().endswith("ing") and name_words[0].lower() not in _FIRST_F | _FIRST_M:
            name_words = name_words[1:]  # "Bashing Trump"
        i = len(words) - len(name_words)
        if name_words and name_words[0].lower() not in _FIRST_F | _FIRST_M and _title_case_line(text, m.start()):
            continue  # "Derelict Obama and Clinton": a headline's capitals make no name
        if (len(name_words) == 4 and not any(_is_initial(w) for w in name_words)) or \
                (name_words and _is_initial(name_words[-1])):
            continue
        if not 2 <= len(name_words) <= 4 or any(
            w.lower().rstrip(".") in cues.ROLE_WORDS or w.lower() in cues.ORG_WORDS
            or w.lower() in _NOT_NAME or (w.isupper() and len(w) > 1 and not _is_initial(w)) for w in name_words
        ):
            continue
        role_words = [w for w in words[:i] if w.lower().rstrip(".") not in cues.HONORIFICS]
        role = " ".join(role_words) if role_words else None
        if role is not None and not (is_title(role) and role_words[0].lower() not in _NOT_NAME):
            role = None
        name = " ".join(name_words)
        out.append(NameRun(name, name_words[0].lower(), name_words[-1], offs[i], role,
                           _subject_position(text, m.start()), _introduced(text, offs[i] + len(name))))
    return out


def _title_case_line(text: str, pos: int) -> bool:
    """Is the line around `pos` a title-case headline (most longer words capitalised)?"""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    words = [w for w in text[start : end if end >= 0 else len(text)].split() if len(w) > 3 and w[:1].isalpha()]
    return len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.8 * len(words)


_APPOSITIVE_ROLE = re.compile(r",\s+(?!who |which |whose |whom |that |now |his |her |their )(?:the |a |an )?"
                              r"(?:[\w’'-]+ ){0,3}?(" + "|".join(
    sorted(w for w in cues.ROLE_WORDS if w.isalpha() and len(w) > 3)) + r")\b")


def _introduced(text: str, end: int) -> bool:
    """Is the name ending at `end` introduced with its title ("Henry Crespo, president of the caucus")? Such a
    newly introduced person is usually the one quoted next, so salient for a following "he"/"she"."""
    return _APPOSITIVE_ROLE.match(text, end, end + 80) is not None
