"""Speaker resolution inside one article (rules; no coreference model): names to canonical people,
pronouns to the most recent compatible person, role descriptions through role -> person bindings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from saidwhen.statements import cues
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
_CUT = re.compile(r"\s+(?:who|which|that|whose|whom)\b|\s*\(|\s+(?:in|at|from|with|on|during|via|after|before|by)\s+")


_OF_ORG = re.compile(r"(.+?) of ((?:the )?[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*)$")


def _is_initial(w: str) -> bool:
    return re.fullmatch(r"[A-Z]\.", w) is not None


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
    if len(words) >= 3 and words[0].lower() in cues.ROLE_WORDS and words[1].lower() == "of":
        return Mention(text, "role", role=" ".join(words), gender=gender)  # "the head of the Alliance"
    # trailing run of capitalised non-role words = the name
    i = len(words)
    while i > 0 and (_namey(words[i - 1]) or (i < len(words) and _is_initial(words[i - 1]))):
        i -= 1
    name_words, prefix = words[i:], words[:i]
    lowered = {w.lower().strip(".,").replace("’s", "").replace("'s", "") for w in words}
    if name_words and prefix and prefix[-1].endswith(("'s", "’s")):
        name_words, prefix = [], words  # "Trump's spokesman"
    # the words before a name must be a title ("longtime Democratic pollster"), not another phrase, and not
    # a relation to the named person ("a spokesman for President Obama" is not Obama)
    plow = [w.lower().rstrip(".,") for w in prefix]
    relational = any(w in _RELATIONAL for w in plow) and any(w in {"for", "to", "of", "with", "at"} for w in plow)
    title_ok = not relational and (not prefix or plow[-1] in cues.ROLE_WORDS or all(
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
        out.append(NameRun(" ".join(name_words), name_words[0].lower(), name_words[-1], offs[i], role,
                           _subject_position(text, m.start())))
    return out


class ArticleSpeakers:
    """Speaker state of one article: who was mentioned where, role bindings seen in the article."""

    def __init__(self, registry: SpeakerRegistry, when: date | None) -> None:
        self.registry = registry
        self.when = when
        self.local: dict[str, str] = {}  # name_key(alias) -> canonical, this article
        self.local_roles: dict[str, str] = {}  # role_key -> canonical, this article
        self.history: list[tuple[int, str, str | None, bool]] = []  # (pos, canonical, gender, was speaker)
        self.last_speaker: tuple[int, str, str] | None = None  # (pos, canonical, person|org|group)
        self.surnames: dict[str, list[str]] = {}  # surname -> full names in this article
        self.genders: dict[str, str] = {}  # canonical -> "m"/"f" from first names, this article

    # --------------------------------------------------------------- names
    def scan_names(self, text: str, quoted: list[tuple[int, int]], runs: list[NameRun]) -> None:
        """Collect the full person names of `text` (its `name_runs`, found without the registry, e.g. in a
        worker) so that surnames, pronouns and titles ("NATO Secretary General Jens Stoltenberg") resolve."""
        for run in runs:
            name, pos = run.name, run.pos
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
            if canon and not any(qs <= pos < qe for qs, qe in quoted):  # names inside quotes are no subjects
                self.history.append((pos, canon, self._gender(canon), run.subject))
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
                if not any(qs <= start < qe for qs, qe in quoted):
                    self.history.append((m.start(), canon, self._gender(canon), _subject_position(text, start)))
        self.history.sort(key=lambda h: h[0])

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
        m = parse_mention(mention_text)
        speaker: str | None = None
        alias = self.registry.lookup(mention_text.strip(" ,")) if m.kind != "pronoun" else None
        if alias:
            speaker = alias
        elif m.kind == "pronoun":
            speaker = self._pronoun(m, pos)
        elif m.kind == "person" and m.name and not m.role and self._has_role(m.name):
            speaker = self._role(m.name)  # "the Harbour Master" when that is a bound role
        elif m.kind == "person" and m.name:
            speaker = self._person(m.name, m.gender)
            if speaker and m.role and is_title(m.role):
                self.local_roles[role_key(m.role)] = speaker
                self.registry.bind(m.role, speaker, self.when)
        elif m.kind == "role" and m.role:
            speaker = self._role(m.role)
        elif m.kind == "org" and m.name:
            found = self.registry.lookup(m.name)
            speaker = found or canonical_org(m.name)
            self.registry.add_person(speaker, kind="org")
        elif m.kind == "group" and m.name:
            speaker = m.name
        if speaker:
            if m.kind in {"person", "pronoun"} and self.registry.get(speaker) is None:
                self.registry.add_person(speaker, gender=self.genders.get(speaker))
            person = self.registry.get(speaker)
            if person and not person.gender and self.genders.get(speaker):
                person.gender = self.genders[speaker]
            gender = m.gender if m.gender in {"m", "f"} and m.kind != "pronoun" else self._gender(speaker)
            if person and m.kind == "pronoun" and m.gender in {"m", "f"} and not person.gender:
                person.gender = m.gender
            kind = "group" if m.kind == "group" else (person.kind if person else "person")
            if kind == "person":
                self.history.append((pos, speaker, gender, True))
                self.history.sort(key=lambda h: h[0])
            self.last_speaker = (pos, speaker, kind)
        return speaker

    def _person(self, name: str, gender: str | None) -> str | None:
        key = name_key(name)
        words = name.split()
        if key in self.local and self.local[key]:
            return self.local[key]
        if len(words) == 1 and len(self.surnames.get(key, [])) > 1:
            # "Mr. Trump" with Donald and Ivana Trump in the article: only an unambiguous gender decides
            cands = [c for c in self.surnames[key] if self._gender(c) in {None, gender} or gender is None]
            explicit = [c for c in cands if gender is not None and self._gender(c) == gender]
            if len(cands) == 1:
                return cands[0]
            if len(explicit) == 1:
                return explicit[0]
            return None
        if key in self.local:
            return None  # ambiguous
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

    def _has_role(self, text: str) -> bool:
        key = role_key(text)
        return key in self.local_roles or self.registry.resolve_role(text, self.when, min_words=2) is not None

    def _role(self, role: str) -> str | None:
        key = role_key(role)
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
        return None

    def _pronoun(self, m: Mention, pos: int) -> str | None:
        if m.gender == "pl":  # they/we: the previous speaker when it was an organisation or group
            last = self.last_speaker
            if last and last[2] in {"org", "group"} and 0 < pos - last[0] < 800 and not any(
                last[0] < h[0] < pos for h in self.history
            ):
                return last[1]
            return None
        if m.gender == "?":
            return None
        window = [h for h in self.history if h[0] < pos and pos - h[0] < 1500 and h[3]]  # salient mentions
        if not window:
            return None
        compatible = [h for h in window if m.gender not in {"m", "f"} or h[2] in {None, m.gender}]
        if not compatible:
            return None
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
