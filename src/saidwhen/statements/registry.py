"""Canonical speakers across a corpus: people and organisations, their aliases, and role -> person
bindings with date ranges (learned from appositives/titles, or supplied by the user in YAML)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

_SPACE = re.compile(r"\s+")
_ROLE_STOP = {"the", "a", "an", "current", "then", "now", "incumbent", "sitting"}
MAX_GAP_DAYS = 400  # how far outside a learned range a binding may still be used


def role_key(role: str) -> str:
    """Normalised role: lower case, hyphens/possessives folded, articles dropped."""
    r = role.lower().replace("-", " ").replace("’", "'").replace("'s ", " ").replace(".", "")
    words = [_ROLE_ALIASES.get(w, w) for w in _SPACE.split(r.strip()) if w and w not in _ROLE_STOP]
    return " ".join(words)


_ROLE_ALIASES = {"gop": "republican", "dem": "democratic"}  # "the GOP nominee" = "the Republican nominee"


def name_key(name: str) -> str:
    """Lower-cased name without middle initials ("Donald J. Trump" = "Donald Trump")."""
    words = _SPACE.sub(" ", name.replace("’", "'").strip(" ,.")).lower().split(" ")
    if len(words) >= 3:
        words = [words[0]] + [w for w in words[1:-1] if not re.fullmatch(r"[a-z]\.?", w)] + [words[-1]]
    return " ".join(words)


def _d(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass
class Binding:
    role: str
    person: str
    since: date | None
    until: date | None
    user: bool = False  # from the alias file: overrides learned bindings

    def distance(self, when: date | None) -> int:
        """Days from `when` to the binding's range (0 inside it)."""
        if when is None:
            return 0
        if self.since and when < self.since:
            return (self.since - when).days
        if self.until and when > self.until:
            return (when - self.until).days
        return 0


@dataclass
class Person:
    name: str
    kind: str = "person"  # person | org
    aliases: set[str] = field(default_factory=set)
    gender: str | None = None
    count: int = 0


class SpeakerRegistry:
    """People/organisations with aliases, and role bindings valid over date ranges."""

    def __init__(self) -> None:
        self._people: dict[str, Person] = {}
        self._alias: dict[str, set[str]] = {}  # name_key(alias) -> canonical names
        self._bindings: dict[str, list[Binding]] = {}  # role_key -> bindings

    # ------------------------------------------------------------------ people and aliases
    def add_person(self, name: str, *, kind: str = "person", aliases: list[str] | tuple[str, ...] = (),
                   gender: str | None = None) -> Person:
        p = self._people.get(name)
        if p is None:
            p = self._people[name] = Person(name, kind)
            self._index(name, name)
        if gender and not p.gender:
            p.gender = gender
        for a in aliases:
            if a and a != name:
                p.aliases.add(a)
                self._index(a, name)
        return p

    def _index(self, alias: str, canonical: str) -> None:
        self._alias.setdefault(name_key(alias), set()).add(canonical)
        parts = alias.split()
        if len(parts) >= 2 and self._people.get(canonical, Person(canonical)).kind == "person":
            self._alias.setdefault(name_key(parts[-1]), set()).add(canonical)  # surname

    def lookup(self, mention: str) -> str | None:
        """The canonical name for a name or alias, when unambiguous."""
        found = self._alias.get(name_key(mention))
        if found and len(found) == 1:
            return next(iter(found))
        if found and len(found) > 1:  # prefer an exact canonical/alias over a surname match
            exact = [c for c in found if name_key(c) == name_key(mention)
                     or name_key(mention) in {name_key(a) for a in self._people[c].aliases}]
            if len(exact) == 1:
                return exact[0]
        return None

    def get(self, name: str) -> Person | None:
        return self._people.get(name)

    def count(self, name: str) -> None:
        if name in self._people:
            self._people[name].count += 1

    # ------------------------------------------------------------------ roles
    def bind(self, role: str, person: str, when: date | None, *, since: date | None = None,
             until: date | None = None, user: bool = False) -> None:
        """Record that `person` held `role` at `when` (extends a learned range) or over [since, until]."""
        key = role_key(role)
        if not key:
            return
        self.add_person(person)
        lst = self._bindings.setdefault(key, [])
        if user:
            if not any(b.user and b.person == person and b.since == since and b.until == until for b in lst):
                lst.append(Binding(role, person, since, until, user=True))  # re-applying an alias file adds nothing
            return
        for b in lst:
            if b.person == person and not b.user:
                if when is not None:
                    b.since = min(b.since, when) if b.since else when
                    b.until = max(b.until, when) if b.until else when
                return
        lst.append(Binding(role, person, when, when))

    def resolve_role(self, role: str, when: date | None, min_words: int = 1) -> str | None:
        """The person holding `role` at `when`; None when unknown or ambiguous. Learned (not user) bindings
        are used only for roles of at least `min_words` words."""
        key = role_key(role)
        lst = self._bindings.get(key)
        if not lst:
            return None
        users = [b for b in lst if b.user and b.distance(when) == 0]
        if users:
            return users[-1].person
        if len(key.split()) < min_words:
            return None
        if any(b.user for b in lst) and when is not None and not [b for b in lst if not b.user]:
            return None
        cands = sorted(((b.distance(when), b.person) for b in lst if not b.user), key=lambda x: x[0])
        if not cands or cands[0][0] > MAX_GAP_DAYS:
            return None
        best = [p for d, p in cands if d == cands[0][0]]
        if len(set(best)) > 1:
            return None
        if when is None and len({p for _d2, p in cands}) > 1:
            return None
        return best[0]

    def roles_of(self, person: str) -> list[Binding]:
        return [b for lst in self._bindings.values() for b in lst if b.person == person]

    # ------------------------------------------------------------------ persistence
    def people(self) -> list[dict]:
        out = []
        for p in sorted(self._people.values(), key=lambda p: p.name):
            roles = [{"role": b.role, "since": b.since.isoformat() if b.since else None,
                      "until": b.until.isoformat() if b.until else None} for b in self.roles_of(p.name)]
            out.append({"name": p.name, "kind": p.kind, "aliases": sorted(p.aliases), "roles": roles,
                        "count": p.count})
        return out

    def to_dict(self) -> dict:
        return {
            "people": [
                {"name": p.name, "kind": p.kind, "aliases": sorted(p.aliases), "gender": p.gender,
                 "count": p.count} for p in self._people.values()
            ],
            "bindings": [
                {"role": b.role, "person": b.person, "since": b.since.isoformat() if b.since else None,
                 "until": b.until.isoformat() if b.until else None, "user": b.user}
                for lst in self._bindings.values() for b in lst
            ],
        }

    @classmethod
    def from_dict(cls, d: dict) -> SpeakerRegistry:
        reg = cls()
        for p in d.get("people", []):
            person = reg.add_person(p["name"], kind=p.get("kind", "person"), aliases=p.get("aliases", []),
                                    gender=p.get("gender"))
            person.count = int(p.get("count", 0))
        for b in d.get("bindings", []):
            reg._bindings.setdefault(role_key(b["role"]), []).append(
                Binding(b["role"], b["person"], _d(b.get("since")), _d(b.get("until")), bool(b.get("user"))))
        return reg

    @classmethod
    def from_yaml(cls, path: str | Path, base: SpeakerRegistry | None = None) -> SpeakerRegistry:
        """Read a user alias file::

            people:
              - name: Jens Stoltenberg
                aliases: [Stoltenberg, NATO chief]
                gender: m
                roles:
                  - {role: NATO Secretary General, since: 2014-10-01, until: 2024-09-30}
            orgs:
              - name: NATO
                aliases: [the Alliance, North Atlantic Treaty Organization]
        """
        import yaml

        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        reg = base or cls()
        reg.merge_user(data)
        return reg

    def merge_user(self, data: dict) -> None:
        for kind, key in (("person", "people"), ("org", "orgs")):
            for p in data.get(key) or []:
                if isinstance(p, str):
                    p = {"name": p}
                self.add_person(p["name"], kind=kind, aliases=list(p.get("aliases") or []), gender=p.get("gender"))
                for r in p.get("roles") or []:
                    if isinstance(r, str):
                        r = {"role": r}
                    self.bind(r["role"], p["name"], None, since=_d(r.get("since")), until=_d(r.get("until")),
                              user=True)
