"""Speaker resolution inside one article (rules; no coreference model): names to canonical people,
pronouns to the most recent compatible person, role descriptions through role -> person bindings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from saidwhen.statements import article, cues, sources
from saidwhen.statements.registry import SpeakerRegistry, name_key, role_key

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
    "its", "your", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "is", "was", "are", "were", "has", "had",
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
_CUT = re.compile(r"\s+(?:who|which|that|whose|whom)\b|\s*\(|\s+(?:in|at|from|with|on|during|via|after|before|by)\s+"
                  r"|(?<!" + ")(?<!".join(sorted(w.title() for w in ("committee", "center", "centre", "council", "institute",
                  "foundation", "campaign", "coalition", "fund", "office", "commission", "agency", "association",
                  "alliance", "bureau", "network"))) + r")\s+for\s+")  # "Cameron Easley for Morning Consult"
# single capitalised words that name a group, not a person ("Allies said", "Protesters said")
_GROUP_WORDS = cues.GROUP_HEADS | sources.ANONYMOUS_HEADS | {
    "allies", "protesters", "americans", "opponents", "observers", "republicans", "democrats", "conservatives",
    "liberals", "progressives", "critics", "residents", "voters", "officials", "investigators", "authorities",
    "proponents", "advocates", "experts", "analysts", "economists", "scientists", "researchers", "delegates"}
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
        appositive = _CUT.split(appositive.strip(" ,"))[0] or None
        main = head.strip()
        named = parse_mention(appositive) if appositive else None
        lead = parse_mention(main)
        if named and named.kind == "person" and not named.role and lead.kind == "role" and lead.role:
            # "The head of the Alliance, Jens Stoltenberg": the appositive names the role's holder
            return Mention(text, "person", name=named.name, role=lead.role, gender=named.gender or lead.gender)
        full = named and named.kind == "person" and named.name and len(named.name.split()) >= 2 \
            and appositive[:1].isupper()
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
    main = _CUT.split(main)[0].strip()
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
                           _subject_position(text, m.start()) or _introduced(text, offs[i] + len(name))))
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


class ArticleSpeakers:
    """Speaker state of one article: who was mentioned where, role bindings seen in the article, the
    organisations, acronyms and documents it names."""

    def __init__(self, registry: SpeakerRegistry, when: date | None) -> None:
        self.registry = registry
        self.when = when
        self.local: dict[str, str] = {}  # name_key(alias) -> canonical, this article
        self.local_roles: dict[str, str] = {}  # role_key -> canonical, this article
        self.history: list[tuple[int, str, str | None, bool]] = []  # (pos, canonical, gender, was speaker)
        self.last_speaker: tuple[int, str, str] | None = None  # (pos, canonical, person|org|group)
        self.surnames: dict[str, list[str]] = {}  # surname -> full names in this article
        self.genders: dict[str, str] = {}  # canonical -> "m"/"f" from first names, this article
        self.titled: dict[str, list[tuple[int, str, str]]] = {}  # title head -> (position, person, title words)
        self.orgs: list[tuple[int, str]] = []  # organisations named in the article (position, name)
        self.acronyms: dict[str, str] = {}  # acronym -> full name, defined in the article
        self.documents: list[tuple[int, str, str]] = []  # (position, label, head) of document sources
        self.text = ""
        self.spoke_at: set[int] = set()  # positions in `history` that are resolved speakers

    # --------------------------------------------------------------- names
    def scan_names(self, text: str, quoted: list[tuple[int, int]], runs: list[NameRun]) -> None:
        """Collect the full person names of `text` (its `name_runs`, found without the registry, e.g. in a
        worker) so that surnames, pronouns and titles ("NATO Secretary General Jens Stoltenberg") resolve;
        and the organisations and acronyms the article names. Names on photo-credit lines are skipped."""
        self.text = text
        credits = article.credit_spans(text)
        self.acronyms = article.acronyms(text)
        for acro, full in self.acronyms.items():
            self.registry.add_person(full, kind="org", aliases=[acro])
        self.orgs = article.org_names(text)
        for run in runs:
            name, pos = run.name, run.pos
            if any(cs <= pos < ce for cs, ce in credits):
                continue
            if name_key(name) not in self.local:
                canon = self._canonical_person(name)
                g = "f" if run.first in _FIRST_F else "m" if run.first in _FIRST_M else None
                if g and canon not in self.genders:
                    self.genders[canon] = g  # article-local: only speakers and titled people enter the registry
                self.local[name_key(name)] = canon
                sk = name_key(run.last)
                if canon not in self.surnames.setdefault(sk, []):
                    self.surnames[sk].append(canon)
                if self.local.get(sk, canon) != canon:
                    self.local[sk] = ""  # ambiguous surname in this article
                else:
                    self.local[sk] = canon
            canon = self.local[name_key(name)]
            if canon and run.role:
                self.local_roles.setdefault(role_key(run.role), canon)
                self.registry.bind(run.role, canon, self.when)
            head = article.title_head(text, pos)
            if canon and head:
                self.titled.setdefault(head, []).append((pos, canon, article.title_before(text, pos)))
            if canon and not any(qs <= pos < qe for qs, qe in quoted):  # names inside quotes are no subjects
                self.history.append((pos, canon, self._gender(canon), run.subject))
        self._join_partial_names()
        # surname-only mentions of known people
        surnames = {k: v for k, v in self.local.items() if " " not in k and v}
        if surnames:
            pat = re.compile(r"\b(" + "|".join(re.escape(k.title()) for k in surnames) + r")\b")
            for m in pat.finditer(text):
                canon = surnames[name_key(m.group(1))]
                start = m.start()
                hon = re.search(r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.? $", text[max(0, start - 5) : start])
                if hon:
                    start -= len(hon.group(0))
                if not any(qs <= start < qe for qs, qe in quoted) and not any(cs <= start < ce for cs, ce in credits):
                    self.history.append((m.start(), canon, self._gender(canon), _subject_position(text, start)))
        self.history.sort(key=lambda h: h[0])

    def _join_partial_names(self) -> None:
        """"De Blasio" (a headline) is "Bill de Blasio" of the same article: a name that ends another, longer
        name of the article is that person, and no second person with that surname."""
        for key, canon in list(self.local.items()):
            if " " not in key or not canon:
                continue
            longer = {c for k, c in self.local.items() if c and c != canon and k.endswith(" " + key)}
            if len(longer) != 1:
                continue
            target = next(iter(longer))
            self.local[key] = target
            self.history = [(h[0], target if h[1] == canon else h[1], h[2], h[3]) for h in self.history]
            for sk, names in self.surnames.items():
                if canon in names:
                    names[:] = [n for n in names if n != canon] + ([target] if target not in names else [])
                    self.local[sk] = names[0] if len(names) == 1 else ""

    def _gender(self, canon: str) -> str | None:
        p = self.registry.get(canon)
        return (p.gender if p else None) or self.genders.get(canon)

    def _canonical_person(self, name: str) -> str:
        found = self.registry.lookup(name)
        if found:
            person = self.registry.get(found)
            if person and person.kind == "person":
                return found
        return name

    # --------------------------------------------------------------- resolution
    def resolve(self, mention_text: str, pos: int) -> str | None:
        """Canonical speaker for a mention at position `pos` of the article, or None when unsure."""
        return self.resolve_source(mention_text, pos)[0]

    def resolve_source(self, mention_text: str, pos: int) -> tuple[str | None, str]:
        """(speaker, speaker type) for a mention at `pos`: a canonical person or organisation, an earlier
        document, or the label of an unnamed source ("officials (unnamed)"); the speaker is None when the
        mention names someone who cannot be told for sure (an ambiguous "he")."""
        owner = _SPEECH_OWNER.fullmatch(mention_text.strip(" ,"))
        if owner and owner.group(2).lower() in _SPEECH_NOUNS:
            mention_text = owner.group(1)  # "Obama and Clinton's gut reaction": the possessor speaks
        m = parse_mention(mention_text)
        if m.kind in {"org", "person", "generic"} and sources.head_of(mention_text) in sources.DOCUMENT_HEADS:
            return self._unnamed(mention_text, Mention(mention_text, "generic"), pos)  # "A Bloomberg poll"
        if m.kind in {"org", "group"} and (m.name or "").lower() in sources.ORG_HEADS | {"police"}:
            return self._unnamed(mention_text, Mention(mention_text, "org"), pos)  # "Police", "The ministry"
        pair = self._pair(mention_text, pos)
        if pair:
            return pair, "group"
        org = self._article_org(mention_text, m)
        if org:
            self.registry.add_person(org, kind="org")
            return self._spoke(org, "organisation", pos, m)
        speaker: str | None = None
        alias = self.registry.lookup(mention_text.strip(" ,")) if m.kind not in {"pronoun", "group"} else None
        if alias:
            speaker = alias
        elif m.kind == "pronoun":
            speaker = self._pronoun(m, pos)
        elif m.kind == "person" and m.name and not m.role and self._has_role(m.name):
            speaker = self._role(m.name, pos)  # "the Harbour Master" when that is a bound role
        elif m.kind == "person" and m.name:
            speaker = self._person(m.name, m.gender, pos)
            if speaker and m.role and is_title(m.role):
                self.local_roles[role_key(m.role)] = speaker
                self.registry.bind(m.role, speaker, self.when)
            head = article.role_head(m.role) if speaker and m.role else None
            if head:  # "President of Ukraine Volodymyr Zelenskyy": "the president" later is Zelenskyy
                self.titled.setdefault(head, []).append((pos, speaker, m.role or ""))
        elif m.kind == "role" and m.role and self._leading_name(m.role):
            speaker = self._leading_name(m.role)  # "Elizabeth Warren Hammers Wells Fargo CEO" (a headline)
        elif m.kind == "role" and m.role and _INDEFINITE.match(mention_text):
            speaker = self._introduced_role(m.role, pos)
        elif m.kind == "role" and m.role:
            speaker = self._role(m.role, pos) or self._named_in_role(m.role)
        elif m.kind == "org" and m.name:
            found = self.registry.lookup(m.name)
            speaker = found or canonical_org(m.name)
            self.registry.add_person(speaker, kind="org")
        if speaker:
            person = self.registry.get(speaker)
            if m.kind == "pronoun" and m.gender == "pl":
                kind = {"org": "organisation", "anonymous": "anonymous"}.get(
                    self.last_speaker[2] if self.last_speaker else "", "group")
            else:
                kind = "organisation" if person and person.kind == "org" else "person"
            return self._spoke(speaker, kind, pos, m)
        return self._unnamed(mention_text, m, pos)

    def _spoke(self, speaker: str, kind: str, pos: int, m: Mention) -> tuple[str, str]:
        """Record a resolved speaker (history for pronouns, last speaker for "they")."""
        if kind == "person":
            if self.registry.get(speaker) is None:
                self.registry.add_person(speaker, gender=self.genders.get(speaker))
            person = self.registry.get(speaker)
            if person and not person.gender and self.genders.get(speaker):
                person.gender = self.genders[speaker]
            gender = m.gender if m.gender in {"m", "f"} and m.kind != "pronoun" else self._gender(speaker)
            if person and m.kind == "pronoun" and m.gender in {"m", "f"} and not person.gender:
                person.gender = m.gender
            self.history.append((pos, speaker, gender, True))
            self.history.sort(key=lambda h: h[0])
            self.spoke_at.add(pos)
        elif kind == "organisation" and not any(o == speaker for _p, o in self.orgs):
            self.orgs.append((pos, speaker))
        # the end of the mention: names inside it ("the Harbour Post's editor") do not block "they"
        self.last_speaker = (pos + len(m.text), speaker, "org" if kind == "organisation" else kind)
        return speaker, kind

    def _unnamed(self, mention_text: str, m: Mention, pos: int) -> tuple[str | None, str]:
        """A source that names nobody: a pronoun left unresolved, an earlier document ("the poll"), an
        organisation of the article ("the fund"), or the description kept as an unnamed source."""
        if m.kind == "pronoun":
            return None, "person" if m.gender in {"m", "f"} else "group" if m.gender == "pl" else "unknown"
        desc = sources.describe(mention_text, m.kind)
        if desc is None:
            return None, "unknown"
        definite = mention_text.strip().lower().startswith(("the ", "this ", "that ", "these ", "those "))
        if desc.type == "document":
            if not desc.named and definite:
                earlier = [label for p, label, h in self.documents if p < pos and _same_head(h, desc.head)]
                if earlier:
                    self.documents.append((pos, earlier[-1], desc.head))
                    return earlier[-1], "document"
            self.documents.append((pos, desc.label, desc.head))
            return desc.label, "document"
        if desc.type == "organisation" and definite:
            found = [name for p, name in self.orgs if p < pos and desc.head in name.lower().split()]
            if len(set(found[-2:])) == 1:  # the one organisation of that kind named last
                return self._spoke(found[-1], "organisation", pos, m)
        speaker, kind = desc.label, desc.type
        if kind in {"group", "organisation", "anonymous"}:
            self.last_speaker = (pos + len(m.text), speaker, "org" if kind == "organisation" else kind)
        return speaker, kind

    def _pair(self, mention_text: str, pos: int) -> str | None:
        """"Obama and Clinton" when both names resolve to people of the article: one group source."""
        parts = re.fullmatch(r"(?:(?:the|both)\s+)?([A-Z][\w.'’ -]*?)\s+and\s+([A-Z][\w.'’ -]*?)(?:['’]s?)?",
                             mention_text.strip(" ,"))
        if not parts:
            return None
        names = []
        for part in parts.groups():
            m = parse_mention(part)
            if m.kind != "person" or not m.name:
                return None
            key = name_key(m.name)
            found = self.local.get(key) or next(
                (c for k, c in self.local.items() if c and k.endswith(" " + key)), None)
            if found == "":  # an ambiguous surname
                return None
            names.append(found or m.name)
        if names[0] == names[1]:
            return None
        pair = " and ".join(names)
        self.last_speaker = (pos + len(mention_text), pair, "group")  # "they" next refers to both
        return pair

    def _article_org(self, mention_text: str, m: Mention) -> str | None:
        """An organisation as the article names it: an acronym it defines or an org's initials ("IMF"),
        the full name with its acronym ("… Canada (IRCC)"), or a short form of a named org ("The Post")."""
        text = re.sub(r"(?i)^the\s+", "", mention_text.strip(" ,.")).replace("’s", "").replace("'s", "")
        acro = re.search(r"\(([A-Z][A-Za-z&]{1,9})\)\s*$", text)
        if acro and acro.group(1) in self.acronyms:
            return self.acronyms[acro.group(1)]
        if text in self.acronyms:
            return self.acronyms[text]
        if text in self.acronyms.values():
            return text
        names = [name for _p, name in self.orgs]
        described = [n for n in names if len(n.split()) >= 2 and text.endswith(" " + n)
                     and text[: -len(n)].strip().replace("-", "").isalpha() and text[: -len(n)].islower()]
        if described and m.kind in {"org", "generic", "person"}:
            return max(described, key=len)  # "the nonpartisan Congressional Budget Office"
        if m.kind in {"pronoun", "role", "group"} or not text[:1].isupper():
            return None
        if re.fullmatch(r"[A-Z]{2,6}", text):
            full = {n for n in names if article.initials_match(text, n)}
            return next(iter(full)) if len(full) == 1 else None
        if text in names and m.kind in {"org", "generic"}:
            return text
        words = text.split()
        if len(words) == 1 and m.kind in {"org", "person"} and not self._is_person_word(text):
            longer = {n for n in names if n.split()[-1] == text and len(n.split()) > 1}
            return next(iter(longer)) if len(longer) == 1 else None  # "The Post" after "The New York Post"
        return None

    def _is_person_word(self, word: str) -> bool:
        return bool(self.surnames.get(name_key(word)))

    def _person(self, name: str, gender: str | None, pos: int = 0) -> str | None:
        key = name_key(name)
        words = name.split()
        if key in self.local and self.local[key]:
            return self.local[key]
        if len(words) == 1 and len(self.surnames.get(key, [])) > 1:
            # "Lund" with Maria and Erik Lund in the article: the person of that surname mentioned last before
            # (a full mention or a resolved speaker), of a compatible gender
            # "Lund" with Maria and Erik Lund in the article: a pronoun of the sentence that agrees with one of
            # them, else the last of them to speak when none was named since, else the nearest preceding mention
            cands = [c for c in self.surnames[key] if gender is None or self._gender(c) in {None, gender}]
            agree = self._agreeing(cands, pos)
            if agree:
                return agree
            last = [h for h in self.history if h[0] < pos and h[1] in cands]
            spoke = [h for h in last if h[0] in self.spoke_at]
            if spoke and not any(h[0] > spoke[-1][0] and h[1] != spoke[-1][1] for h in last):
                return spoke[-1][1]
            if last:
                return last[-1][1]
            explicit = [c for c in cands if gender is not None and self._gender(c) == gender]
            if len(cands) == 1:
                return cands[0]
            if len(explicit) == 1:
                return explicit[0]
            return None
        if key in self.local:
            return None  # ambiguous
        if len(words) >= 2:  # "De Blasio" after "Bill de Blasio"
            longer = {c for k, c in self.local.items() if c and k.endswith(" " + key)}
            if len(longer) == 1:
                return next(iter(longer))
        if len(words) == 1:
            found = self.registry.lookup(name)
            if found:
                self.local[key] = found
                return found
            canon = name
        else:
            canon = self._canonical_person(name)
            self.local.setdefault(name_key(words[-1]), canon)
        self.local[key] = canon
        self.registry.add_person(canon, gender=gender)
        if canon != name:
            self.registry.add_person(canon, aliases=[name])
        return canon

    def _paragraph_topic(self, m: Mention, pos: int) -> str | None:
        """"he"/"she" with no salient antecedent: the one person the paragraph has named so far, when the
        pronoun agrees with their known gender."""
        start = self.text.rfind("\n", 0, pos) + 1
        people = {h[1] for h in self.history if start <= h[0] < pos}
        if len(people) != 1 or m.gender not in {"m", "f"}:
            return None
        person = next(iter(people))
        return person if self._gender(person) == m.gender else None

    def _introduced_role(self, role: str, pos: int) -> str | None:
        """"A New York judge has rejected …, Justice Frank Nervo wrote": an indefinite role introduces the one
        person the article names with that title later, when nobody with that title was named before."""
        head = article.role_head(role)
        if not head or self._names_inside(role):
            return None
        titled = [(p, c) for p, c, t in self.titled.get(head, []) if article.compatible_titles(role, t)]
        if any(p < pos for p, _c, _t in self.titled.get(head, [])) or len({c for _p, c in titled}) != 1:
            return None
        return titled[0][1]

    def _agreeing(self, cands: list[str], pos: int) -> str | None:
        """The one candidate whose gender agrees with the first personal pronoun after `pos` in its sentence
        ("Clinton told the audience that she …")."""
        m = re.search(r"\b(he|his|him|she|her|hers)\b", self.text[pos : pos + 120].split(".")[0]) if self.text else None
        if not m:
            return None
        g = "m" if m.group(1) in {"he", "his", "him"} else "f"
        fit = [c for c in cands if self._gender(c) == g]
        return fit[0] if len(fit) == 1 else None

    def _named_in_role(self, role: str) -> str | None:
        """A role mention that ends with a full name the article gives ("Head of the Caucus Jim Clyburn")."""
        words = role.split()
        for k in (3, 2):
            if len(words) > k:
                key = name_key(" ".join(words[-k:]))
                if self.local.get(key):
                    return self.local[key]
        return None

    def _has_role(self, text: str) -> bool:
        key = role_key(text)
        return key in self.local_roles or self.registry.resolve_role(text, self.when, min_words=2) is not None

    def _role(self, role: str, pos: int = 0) -> str | None:
        key = role_key(role)
        if re.match(r"(?i)\s*(?:a|an|one|another|some)\s", role):
            return None  # "a New York judge" introduces someone; it does not point back
        if key in self.local_roles:
            return self.local_roles[key]
        # suffix match inside the article ("the president" -> "ukrainian president")
        local = {p for k, p in self.local_roles.items() if k.endswith(" " + key) or k == key}
        if len(local) == 1:
            return next(iter(local))
        # corpus-wide bindings only for qualified roles ("NATO Secretary General"), not a bare "president"
        found = self.registry.resolve_role(role, self.when, min_words=2)
        if found:
            return found
        words = key.split()
        if words and (set(words) & cues.GENERIC_HEADS):  # "the NATO leader", "the head of the alliance"
            qual = [w for w in words if w not in cues.GENERIC_HEADS and w not in {"of", "the"}]
            leaders = {p for k, p in self.local_roles.items() if not qual or any(q in k.split() for q in qual)}
            if len(leaders) == 1:
                return next(iter(leaders))
            if not leaders and len(set(self.local_roles.values())) == 1 and qual:
                return next(iter(self.local_roles.values()))
        if " of " in f" {key} ":  # "the Secretary General of the Alliance": the article's one secretary general
            base = key.split(" of ")[0]
            holders = {p for k, p in self.local_roles.items() if k == base or k.endswith(" " + base)}
            if len(holders) == 1:
                return next(iter(holders))
        head = article.role_head(role)  # "the South Carolina senator": the one senator the article names
        if head and not (set(words) & _RELATIONAL) and " and " not in f" {key} " and not self._names_inside(role):
            titled = [(p, c, t) for p, c, t in self.titled.get(head, []) if article.compatible_titles(role, t)]
            before = {c for p, c, _t in titled if p < pos}
            if len(before) == 1:
                return next(iter(before))
            if not before and len({c for _p, c, _t in titled}) == 1:  # a headline naming the role first
                return titled[0][1]
        return None

    def _leading_name(self, text: str) -> str | None:
        """The article's full name that opens `text`, if any (the subject of a headline taken as a role)."""
        low = name_key(text)
        found = [v for k, v in self.local.items() if " " in k and v and (low == k or low.startswith(k + " "))]
        return found[0] if len(set(found)) == 1 else None

    def _names_inside(self, text: str) -> bool:
        """Does `text` contain a full name of the article ("Elizabeth Warren Hammers Wells Fargo CEO")?"""
        low = name_key(text)
        return any(" " in k and v and k in low for k, v in self.local.items())

    def _pronoun(self, m: Mention, pos: int) -> str | None:
        if m.gender == "pl":  # they/we: the previous speaker when it was an organisation or group
            last = self.last_speaker
            if last and last[2] in {"org", "group", "anonymous"} and 0 < pos - last[0] < 800 and not any(
                last[0] < h[0] < pos for h in self.history
            ):
                return last[1]
            return None
        if m.gender == "?":
            return None
        window = [h for h in self.history if h[0] < pos and pos - h[0] < 1500 and h[3]]  # salient mentions
        window = [h for h in window if (p := self.registry.get(h[1])) is None or p.kind == "person"]
        compatible = [h for h in window if m.gender not in {"m", "f"} or h[2] in {None, m.gender}]
        if not compatible:
            return self._paragraph_topic(m, pos)
        last = compatible[-1]
        # another compatible person mentioned close before the last one: prefer a speaker, else give up
        close = {h[1] for h in compatible if last[0] - h[0] < 120 and h[1] != last[1]}
        if close and not last[3]:
            speakers = [h for h in compatible if h[3] and last[0] - h[0] < 400]
            if speakers and speakers[-1][1] != last[1] and speakers[-1][1] in close:
                return speakers[-1][1]
            if m.gender in {"m", "f"} and last[2] == m.gender and all(
                h[2] not in {None, m.gender} for h in window if h[1] in close
            ):
                return last[1]
            return None
        return last[1]


_SPEECH_OWNER = re.compile(r"(.*?[A-Z][\w.-]*)['’]s?\s+(?:[a-z-]+\s+){0,2}([a-z]+)")
_SPEECH_NOUNS = cues.NOMINAL_CUES | {"reaction", "response", "position", "message", "answer", "reply", "words"}
_INDEFINITE = re.compile(r"(?i)\s*(?:a|an|one|another|some)\s")  # "a judge" introduces someone, no reference


def _same_head(a: str, b: str) -> bool:
    return a.rstrip("s") == b.rstrip("s")
