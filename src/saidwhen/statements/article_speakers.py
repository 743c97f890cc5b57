"""Speaker resolution inside one article (rules; no coreference model): the state of one article (who was
named where, with which title; its organisations, acronyms and documents) and the resolution of each source
mention to a person, organisation, group, document or unnamed source with its type."""

from __future__ import annotations

import re
from datetime import date

from saidwhen.statements import article, cues, sources
from saidwhen.statements.article_facts import ArticleFacts, article_facts, possessive, surname_matches
from saidwhen.statements.first_names import first_name_gender
from saidwhen.statements.registry import SpeakerRegistry, name_key, role_key
from saidwhen.statements.speakers import (
    _FIRST_F,
    _FIRST_M,
    _RELATIONAL,
    Mention,
    NameRun,
    _subject_position,
    canonical_org,
    is_title,
    parse_mention,
)


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
        self.quoted: list[tuple[int, int]] = []  # the article's quotations
        self.said = ""  # the words of the statement whose source is being resolved
        self.spoke_at: set[int] = set()  # positions in `history` that are resolved speakers
        self.appositive_at: set[int] = set()  # names in apposition ("her husband, former President Bill Clinton")

    # --------------------------------------------------------------- names
    def scan_names(self, text: str, quoted: list[tuple[int, int]], runs: list[NameRun],
                   facts: ArticleFacts | None = None) -> None:
        """Collect the full person names of `text` (its `name_runs`, found without the registry, e.g. in a
        worker) so that surnames, pronouns and titles ("NATO Secretary General Jens Stoltenberg") resolve;
        and the organisations and acronyms the article names. Names on photo-credit lines are skipped.
        `facts`: the text's `article_facts(text, quoted, runs)`, when computed beforehand (in a worker)."""
        if facts is None:
            facts = article_facts(text, quoted, runs)
        self.text = text
        self.quoted = quoted
        credits = facts.credits
        self.acronyms = dict(facts.acronyms)
        for acro, full in self.acronyms.items():
            self.registry.add_person(full, kind="org", aliases=[acro])
        self.orgs = list(facts.orgs)
        for run, rf in zip(runs, facts.runs, strict=True):
            if rf.credit:
                continue
            name, pos = run.name, run.pos
            if name_key(name) not in self.local:
                canon = self._canonical_person(name)
                g = "f" if run.first in _FIRST_F else "m" if run.first in _FIRST_M else first_name_gender(run.first)
                g = g or article.gender_at(text, pos)  # "his daughter Ivy Lund"
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
            if canon and canon not in self.genders and (g := article.gender_at(text, pos)):
                self.genders[canon] = g
            if canon and run.role:
                self.local_roles.setdefault(role_key(run.role), canon)
                self.registry.bind(run.role, canon, self.when)
            if rf.appositive:
                self.appositive_at.add(pos)
            if canon and rf.head:
                self.titled.setdefault(rf.head, []).append((pos, canon, rf.title))
            if canon and not rf.quoted:  # names inside quotes are no subjects
                gender = self._gender(canon)
                # a person introduced with their title is salient for a pronoun of their known gender only
                subject = run.subject and not possessive(text, pos + len(name))  # "Lund's aide said": not Lund
                self.history.append((pos, canon, gender, subject or (run.introduced and gender is not None)))
        self._join_partial_names()
        # surname-only mentions of known people
        surnames = {k: v for k, v in self.local.items() if " " not in k and v}
        if surnames:
            if facts.surnames is None:
                matches = surname_matches(text, surnames, quoted, credits)
            else:  # the matches of every name's surname: keep those of `surnames`
                titles = {k.title() for k in surnames}
                matches = [m for m in facts.surnames if m.text in titles]
            for m in matches:
                canon = surnames[name_key(m.text)]
                if canon not in self.genders and m.gender:
                    self.genders[canon] = m.gender  # "Mr. Dahl"
                if m.kept:
                    self.history.append((m.pos, canon, self._gender(canon), m.subject))
        self._first_name_people(text, quoted, credits)
        self.history.sort(key=lambda h: h[0])

    def _first_name_people(self, text: str, quoted: list[tuple[int, int]], credits: list[tuple[int, int]]) -> None:
        """People the article calls by their first name alone: "Hillary" when it names one Hillary in full, or
        someone it only ever calls "Melanie" when the name is introduced as a person ("Melanie, a nurse, …",
        "Melanie said"). They take part in pronoun salience with the gender of the name."""
        full: dict[str, set[str]] = {}
        for key, canon in self.local.items():
            if " " in key and canon:
                full.setdefault(key.split()[0], set()).add(canon)
        lower: set[str] | None = None  # the words the article writes in lower case, when needed
        for m in _FIRST_NAME.finditer(text):
            word, start = m.group(1), m.start(1)
            gender = "f" if word.lower() in _FIRST_F else "m" if word.lower() in _FIRST_M else first_name_gender(word)
            key = name_key(word)
            people = full.get(key, set())
            if gender is None and lower is None:
                lower = set(re.findall(r"\b[a-z][a-z'’-]+\b", text))
            if gender is None and (len(people) != 1 or key in (lower or ())):
                continue  # a word the article also writes in lower case is no first name ("Beyond", "Says")
            if any(qs <= start < qe for qs, qe in quoted + credits):
                continue
            prev = text[max(0, start - 30) : start].split()[-1:]
            if prev and prev[0][:1].isupper() and not prev[0].endswith((":", '"', "”", "!", "?")) and (
                    not prev[0].endswith(".") or prev[0].rstrip(".").lower() in _HONORIFICS):
                continue  # "Mr. Tom", "Senator Ada": part of a name or title
            if len(people) == 1:
                canon = next(iter(people))
            elif not people and key not in self.local and key not in _NOT_FIRST_NAMES and _PERSON_AFTER.match(
                    text, m.end()):
                canon = word
                self.genders.setdefault(canon, gender)
            else:
                continue
            self.local.setdefault(key, canon)
            if self.local[key] == canon:
                self.history.append((start, canon, self._gender(canon) or gender,
                                     _subject_position(text, start) and not possessive(text, m.end())))

    def _join_partial_names(self) -> None:
        """"De Blasio" (a headline) is "Bill de Blasio", "Wasserman Schultz" is "Debbie Wasserman Schultz": a
        two-word surname that ends a longer name of the article starting with a known first name (or itself
        starting with a particle) is that person, and no second person with that surname."""
        for key, canon in list(self.local.items()):
            if " " not in key or not canon or key.split()[0] in _FIRST_F | _FIRST_M:
                continue
            longer = {c for k, c in self.local.items() if c and c != canon and k.endswith(" " + key)
                      and (key.split()[0] in _PARTICLES or k.split()[0] in _FIRST_F | _FIRST_M)}
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
        if p and p.kind != "person":
            return None
        words = canon.split()  # a single word may be a surname ("Shelby"): no first name
        return (p.gender if p else None) or self.genders.get(canon) or (
            first_name_gender(words[0]) if len(words) > 1 else None)

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

    def resolve_source(self, mention_text: str, pos: int, said: str = "") -> tuple[str | None, str]:
        """(speaker, speaker type) for a mention at `pos`: a canonical person or organisation, an earlier
        document, or the label of an unnamed source ("officials (unnamed)"); the speaker is None when the
        mention names someone who cannot be told for sure (an ambiguous "he"). `said`: what the source said
        (a pronoun is not the person it names: '"Wid has no plan," he said')."""
        self.said = said
        owner = _SPEECH_OWNER.fullmatch(mention_text.strip(" ,"))
        if owner and owner.group(2).lower() in _SPEECH_NOUNS:
            mention_text = owner.group(1)  # "Obama and Clinton's gut reaction": the possessor speaks
        m = parse_mention(mention_text)
        if m.kind in {"org", "person", "generic"} and sources.head_of(mention_text) in sources.DOCUMENT_HEADS:
            return self._unnamed(mention_text, Mention(mention_text, "generic"), pos)  # "A Bloomberg poll"
        if m.kind in {"org", "group"} and (m.name or "").lower() in sources.ORG_HEADS | {"police"}:
            return self._unnamed(mention_text, Mention(mention_text, "org"), pos)  # "Police", "The ministry"
        if m.kind == "person" and not m.role and m.name and _DEMONYM.fullmatch(m.name) \
                and name_key(m.name) not in self.local and not self.registry.lookup(m.name):
            m = Mention(mention_text, "group")  # "Canadians say …": a people, not a person called Canadians
            return self._unnamed(mention_text, m, pos)
        if _AGE_DESCRIPTION.match(mention_text.strip()):
            # "the 54-year-old mother of three": the salient person, as a pronoun of that gender would be
            gender = article.noun_gender(mention_text) or "any"
            person = self._pronoun(Mention(mention_text, "pronoun", gender=gender), pos)
            if person:
                return self._spoke(person, "person", pos, Mention(mention_text, "role", gender=gender))
            return None, "person"
        pair = self._pair(mention_text, pos)
        if pair:
            return pair, "group"
        org = self._article_org(mention_text, m)
        if org:
            self.registry.add_person(org, kind="org")
            return self._spoke(org, "organisation", pos, m)
        speaker: str | None = None
        # the corpus's aliases, unless the article itself knows the name (two Holms here, one in the corpus)
        alias = self.registry.lookup(mention_text.strip(" ,")) \
            if m.kind not in {"pronoun", "group"} and name_key(mention_text.strip(" ,")) not in self.local else None
        if alias:
            speaker = alias
        elif m.kind == "pronoun" and m.gender == "?" and not any(qs <= pos < qe for qs, qe in self.quoted):
            return self._author(m, pos)  # "I" in the article's own voice
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
        elif m.kind == "role" and m.role and self._leading_name(mention_text):
            speaker = self._leading_name(mention_text)  # "Elizabeth Warren Hammers Wells Fargo CEO" (a headline)
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
            if not found and " " in m.name:
                return None
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
        names = [name for _p, name in self.orgs if parse_mention(name).kind != "person"]
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
        if len(words) == 1 and m.kind in {"org", "person"} and text.lower() in cues.ORG_WORDS \
                and not self._is_person_word(text):
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
            # "Mr. Lund": the bearers of that gender, else those of an unknown gender
            cands = [c for c in self.surnames[key] if gender is None or self._gender(c) in {None, gender}]
            known = [c for c in cands if gender is not None and self._gender(c) == gender]
            return self._shared_surname(name, known or cands, pos)
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

    def _shared_surname(self, surname: str, cands: list[str], pos: int) -> str | None:
        """"Lund" in an article naming Maria and Erik Lund (`cands`: those of an agreeing gender): a pronoun of
        its clause that agrees with one of them; else the one mentioned last when that was in this paragraph
        (as speaker or subject) or when the article has no short form yet; else the article's *main* bearer
        of the name (`_main_bearer`) when the bare surname was its short form before the other was named in
        full, or when the corpus knows it much better ("Trump" after a paragraph about "Ivanka Trump"); else the
        nearest full mention; unsure: None."""
        if len(cands) <= 1:
            return cands[0] if cands else None
        agree = self._agreeing(cands, pos)
        if agree:
            return agree
        before = [h for h in self.history if h[0] < pos and h[1] in cands
                  and (h[0] not in self.appositive_at or h[0] in self.spoke_at)]
        main = self._main_bearer(cands)
        if not before:
            return main
        last = before[-1]
        if self._same_paragraph(last[0], pos) and (last[3] or last[1] == main):
            return last[1]  # the person this paragraph has just named or heard
        if last[1] == main:
            return main
        other_named = min(h[0] for h in before if h[1] == last[1])
        if main and (self._bare_before(surname, cands, other_named) or self._better_known(cands) == main):
            # the article used the bare surname before it named the other one: its short form is for `main`
            return None if self._same_paragraph(last[0], pos) else main
        return last[1]

    def _main_bearer(self, cands: list[str]) -> str | None:
        """The article's main bearer of a shared surname: the one the corpus has heard clearly more often (at
        least twice as many statements and three more), else the first named who was not introduced as
        somebody's relative ("his daughter X", "her husband, former President X")."""
        known = self._better_known(cands)
        if known:
            return known
        first = {c: min((h[0] for h in self.history if h[1] == c), default=len(self.text)) for c in cands}
        plain = [c for c in cands if not _relative_at(self.text, first[c]) and first[c] not in self.appositive_at]
        return min(plain, key=lambda c: first[c]) if plain else None

    def _better_known(self, cands: list[str]) -> str | None:
        """The one of `cands` the corpus has heard clearly more often (at least twice the statements and three
        more than any other), if any."""
        counts = {c: (p.count if (p := self.registry.get(c)) else 0) for c in cands}
        top = sorted(cands, key=lambda c: -counts[c])
        return top[0] if counts[top[0]] >= 2 * counts[top[1]] and counts[top[0]] - counts[top[1]] >= 3 else None

    def _bare_before(self, surname: str, cands: list[str], end: int) -> bool:
        """Does the article use `surname` alone (not after one of the candidates' first names) before `end`?"""
        firsts = {c.split()[0] for c in cands}
        for m in re.finditer(rf"\b{re.escape(surname)}\b", self.text[:end]):
            prev = self.text[max(0, m.start() - 20) : m.start()].split()
            if not prev or prev[-1].rstrip(".") not in firsts and not (len(prev) > 1 and prev[-2] in firsts):
                return True
        return False

    def _same_paragraph(self, a: int, b: int) -> bool:
        return "\n" not in self.text[a:b]

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
        """The one candidate whose gender agrees with a pronoun that can only be the mention's own, in its clause
        (before a comma or quote mark): "Clinton and her husband", "Clinton told the audience that she …" (a
        later "him" may be anyone)."""
        clause = re.split(r"[.,;:\"“”]", self.text[pos : pos + 120])[0] if self.text else ""
        m = re.match(r"\S+(?:\s+\S+){0,2}?\s+(?:and\s+)?(his|her)\b", clause) or re.search(
            r"\bthat\s+(he|she)\b", clause)
        if not m:
            return None
        g = "m" if m.group(1) in {"he", "his"} else "f"
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
        if low.startswith(("the ", "a ", "an ")):
            return None
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
            if m.text.strip().lower() == "they":
                return self._plural_subject(pos)
            return None
        if m.gender == "?":
            return None
        window = [h for h in self.history if h[0] < pos and pos - h[0] < 1500 and h[3]]  # salient mentions
        window = [h for h in window if (p := self.registry.get(h[1])) is None or p.kind == "person"]
        named = set(re.findall(r"[A-Z][\w'’-]+", self.said))
        window = [h for h in window if h[1].split()[-1] not in named]  # '"Wid has no plan," he said': not Wid
        compatible = [h for h in window if m.gender not in {"m", "f"} or self._gender_of(h) in {None, m.gender}]
        if not compatible:
            return self._paragraph_topic(m, pos)
        last = compatible[-1]
        spoke = [h for h in compatible if h[0] in self.spoke_at]
        if spoke and spoke[-1][1] != last[1] and _CONTINUES.match(self.text, pos + len(m.text)):
            last = spoke[-1]  # "…, he added": the speaker of the previous attribution goes on
        if self._rival(last, m, pos):
            return None  # "Brand and Wid met on Monday. He said …": two candidates, no telling
        if m.gender in {"m", "f"} and self._gender_of(last) is None and last[0] not in self.spoke_at and any(
                h[1] != last[1] and self._gender_of(h) == m.gender for h in compatible):
            # a person of unknown gender named after one who agrees for sure: two candidates, no telling (the
            # speaker of the previous attribution keeps the pronoun whatever their name)
            return None
        return last[1]

    def _author(self, m: Mention, pos: int) -> tuple[str, str]:
        """"I" outside quotations is the writer: the name a letter is signed with (the first paragraph after it
        that is only a name, "Chris Lund." or "— Chris Lund, Dayton"), else "author (unnamed)"."""
        for sig in _SIGNATURE.finditer(self.text, pos):
            return self._spoke(sig.group(1), "person", pos, Mention(sig.group(1), "person", name=sig.group(1)))
        return "author" + sources.UNNAMED, "anonymous"

    def _plural_subject(self, pos: int) -> str | None:
        """"They" with no group speaker before it: two people of the article named as the subject of the
        previous sentence or this one ("Obama and Clinton call them … they believe"), when no other person
        is named since."""
        start = max(self.text.rfind("\n", 0, pos) + 1, pos - 400)
        found = None
        for pair in _PAIR_SUBJECT.finditer(self.text, start, pos):
            names = [self._known_person(part) for part in pair.group(1, 2)]
            if all(names) and names[0] != names[1]:
                found = (pair.end(), " and ".join(n for n in names if n))
        if found is None or any(found[0] < h[0] < pos for h in self.history):
            return None
        self.last_speaker = (pos, found[1], "group")
        return found[1]

    def _known_person(self, text: str) -> str | None:
        key = name_key(text)
        found = self.local.get(key) or next(
            (c for k, c in self.local.items() if c and k.endswith(" " + key)), None) if " " not in key else \
            self.local.get(key)
        return found or None

    def _gender_of(self, h: tuple[int, str, str | None, bool]) -> str | None:
        return h[2] or self._gender(h[1])

    def _rival(self, last: tuple[int, str, str | None, bool], m: Mention, pos: int) -> bool:
        """Does another person who may be `m` compete with `last` (the salient antecedent): named with it as
        one subject ("Brand and Wid met", "Hahn, the ferry operator, and Wirt, a fisherman, met"), in its
        sentence? A person named after it as an object ("… angered Wid") is no rival."""
        for h in self.history:
            if h[1] == last[1] or abs(h[0] - last[0]) > 120 or h[0] >= pos or h[0] in self.appositive_at:
                continue
            if m.gender in {"m", "f"} and self._gender_of(h) not in {None, m.gender}:
                continue
            a, b = sorted((last[0], h[0]))
            between = self.text[a:b]
            if re.search(r"[.!?;\n]", between):
                continue
            if re.search(r"(?:,|\band\b)\s+(?:(?:[A-Z][\w.'’-]*|the|former|then)\s+){0,4}$", between) and (
                    " and " in between):
                return True
        return False


_SPEECH_OWNER = re.compile(r"(.*?[A-Z][\w.-]*)['’]s?\s+(?:[a-z-]+\s+){0,2}([a-z]+)")
_SPEECH_NOUNS = cues.NOMINAL_CUES | {"reaction", "response", "position", "message", "answer", "reply", "words"}
# a capitalised word alone: not after a capitalised word or an honorific, not before one (no part of a full name)
_FIRST_NAME = re.compile(r"(?<![\w.’'-])([A-Z][a-z]+)\b(?!['’]?\s+[A-Z]|-)")
_HONORIFICS = cues.FEMALE_HONORIFICS | cues.MALE_HONORIFICS | {"dr", "sen", "rep", "gov", "gen", "prof", "st"}
_PERSON_AFTER = re.compile(r",\s+(?:a|an|the|who|\d+)\b|\s+(?:said|says|told|added|explained|recalled|wrote)\b")
# first names that are also places, months or common words ("Georgia, the swing state", "Frank said")
_NOT_FIRST_NAMES = {"georgia", "virginia", "florence", "charlotte", "austin", "eugene", "regina", "helena", "victoria",
                    "salvador", "christian", "april", "hope", "grace", "joy", "dawn", "mark", "bill", "frank", "rose",
                    "iris", "violet", "hazel", "amber", "crystal", "jesus", "chester", "max", "lincoln", "jordan",
                    "sydney", "carolina", "santiago", "augusta", "patience", "faith", "justice", "miles", "rex"}


_NAME_PART = r"(?:[A-Z][\w.'’-]+\s+){0,2}[A-Z][\w'’-]+"
_PAIR_SUBJECT = re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=\n)|(?<=,\s))({_NAME_PART})\s+and\s+({_NAME_PART})\s+(?=[a-z])")
_SIGNATURE = re.compile(r"(?m)^[ \t]*(?:[—–-]\s*)?([A-Z][\w'’-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+)){1,3})\.?"
                        r"(?:,[ \t]*[A-Z][^\n.]{0,40}\.?)?[ \t]*$")
_AGE_DESCRIPTION = re.compile(r"(?i)(?:later,?\s+|then\s+)?the\s+\d{1,3}-year-old\b[\w\s,'’-]*")
_CONTINUES = re.compile(r"\s+(?:added|continued|went on|also said|later said|further said|concluded)\b")
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ians|eans|cans|mans|ese)")  # Canadians, Koreans, Mexicans, Germans, Chinese
_PARTICLES = {"de", "van", "von", "al", "el", "bin", "ben", "da", "del", "della", "di", "du", "le", "la", "mac", "st"}
_INDEFINITE = re.compile(r"(?i)\s*(?:a|an|one|another|some)\s")  # "a judge" introduces someone, no reference


_KIN = re.compile(r"(?i)\b(?:wife|husband|son|daughter|brother|sister|mother|father|son-in-law|daughter-in-law|"
                  r"niece|nephew|cousin|widow|stepson|stepdaughter)[,\s]+(?:(?:the|former|then|[A-Z][\w.]*)\s+){0,3}$")


def _relative_at(text: str, pos: int) -> bool:
    """Is the name at `pos` introduced as somebody's relative ("his daughter Ivy Lund", "her husband, Tom")?"""
    return bool(_KIN.search(text[max(0, pos - 60) : pos]))


def _same_head(a: str, b: str) -> bool:
    return a.rstrip("s") == b.rstrip("s")
