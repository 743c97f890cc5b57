"""Events: articles about one press conference, summit or incident, grouped by date proximity, shared
named entities and content similarity.

An article is placed by its own date (publication date, else what the caller passes), never by the other
dates it mentions, so a background paragraph about an earlier summit cannot move it into that summit's
event. Candidates are earlier articles within ± `window_days` that share an entity (postings keyed by
(entity, day)) or an LSH band of the content signature (keyed by (band, day)); the article joins the
event of the best candidate scoring ≥ `threshold` with

    score = entity_weight * idf-weighted Jaccard of entities + (1 - entity_weight) * min(1, 2 * content Jaccard)

Entities are the most frequent capitalised words (or what the caller passes). Events never merge, so an
article's event id never changes; the event's date (most common article date), place (dateline, else "in
<Place>" in the lead, by vote) and title (first article title, else top entities) follow its articles.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import NamedTuple

import numpy as np

from saidwhen.merge._index import (
    KeyIndex,
    MinHasher,
    PackedState,
    Rows,
    band_keys,
    most_shared,
    pack_parts,
    ranges,
    salted,
    spans,
    unpack,
)
from saidwhen.merge._text import MONTHS, WEEKDAYS, content_stems, string_hash64, token_hashes, words
from saidwhen.merge._text import entities as find_entities
from saidwhen.model import Event, stable_id

NODATE = -(2**31)

_DATELINE = re.compile(
    r"^[ \t]*([A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3})"  # BRUSSELS / NEW YORK / ST. LOUIS
    r"(?:,[ \t]*[A-Z][A-Za-z.]+(?: [A-Z][a-z.]+)?)?"  # , Lithuania / , Ill.
    r"(?:,?[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?"  # , July 11
    r"[ \t]*(?:\([^)\n]{1,30}\))?[ \t]*[—–-]{1,2}[ \t]",  # (AP) —
    re.M,
)
_IN_PLACE = re.compile(r"\bin ((?:[A-Z][a-z]+)(?:[ -][A-Z][a-z]+)?)\b(?!['’])")
_NOT_PLACES = (
    MONTHS
    | WEEKDAYS
    | frozenset(
        words("""the a an his her their our my this that these those its which what one two some other another
    january february march april may june july august september october november december english
    fact addition order response particular general total recent part favor favour turn short""")
    )
)


def find_place(text: str, lead_chars: int = 600) -> tuple[str | None, int]:
    """(place, weight): a dateline ("BRUSSELS, July 11 —", "DALLAS (AP) —") weighs 3, else the most
    frequent "in <Place>" in the lead weighs 1."""
    head = text[:400]
    m = _DATELINE.search(head)
    if m and m.group(1).upper() not in {"UPDATE", "EXCLUSIVE", "BREAKING", "WATCH", "VIDEO", "PHOTOS"}:
        return " ".join(w.capitalize() for w in m.group(1).split()), 3
    votes: Counter[str] = Counter()
    for m in _IN_PLACE.finditer(text[:lead_chars]):
        place = m.group(1)
        if place.split()[0].lower() not in _NOT_PLACES:
            votes[place] += 1
    if not votes:
        return None, 0
    return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0], 1


class _Event:
    __slots__ = ("docs",)

    def __init__(self, first: int) -> None:
        self.docs = [first]


class _Tally:
    """Running votes of one event, so that its record costs O(1) however many articles it has: article
    days, place weights (and where each place was first seen), the first title, and entity counts while
    it has no title."""

    __slots__ = ("days", "places", "first_seen", "title", "entities")

    def __init__(self) -> None:
        self.days: Counter[int] = Counter()
        self.places: Counter[str] = Counter()
        self.first_seen: dict[str, int] = {}
        self.title: str | None = None
        self.entities: Counter[int] = Counter()

    def add(self, i: int, day: int, place: str | None, weight: int, title: str | None, ents: list[int]) -> None:
        if day != NODATE:
            self.days[day] += 1
        if place:
            self.places[place] += weight
            self.first_seen.setdefault(place, i)
        if self.title is None:
            if title:
                self.title, self.entities = title, Counter()
            else:
                self.entities.update(ents)


class EventFeatures(NamedTuple):
    """What `EventGrouper.add` needs of a text: entities (lower-cased), MinHash signature of the content
    stems and its LSH band keys, and the place with its weight (`find_place`)."""

    entities: list[str]
    signature: np.ndarray
    bands: np.ndarray
    place: str | None
    weight: int


class EventGrouper(PackedState):
    def __init__(
        self,
        *,
        window_days: int = 2,
        threshold: float = 0.3,
        entity_weight: float = 0.6,
        num_perm: int = 64,
        bands: int = 21,
        rows: int = 3,
        max_entities: int = 12,
        max_candidates: int = 100,
        seed: int = 3,
    ) -> None:
        self.params = {
            "window_days": window_days,
            "threshold": threshold,
            "entity_weight": entity_weight,
            "num_perm": num_perm,
            "bands": bands,
            "rows": rows,
            "max_entities": max_entities,
            "max_candidates": max_candidates,
            "seed": seed,
        }
        self.window_days = window_days
        self.threshold = threshold
        self.entity_weight = entity_weight
        self.bands, self.rows = bands, rows
        self.max_entities = max_entities
        self.max_candidates = max_candidates
        self._hasher = MinHasher(num_perm, seed)
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._titles: list[str | None] = []
        self._places: list[str | None] = []
        self._place_w = Rows(None, np.int8)
        self._day = Rows(None, np.int32)
        self._sigs = Rows(num_perm, np.uint32)
        self._ent = Rows(None, np.int32)  # entity ids of all documents, concatenated
        self._ent_end = Rows(None, np.int64)  # end offset in _ent of each document
        self._group = Rows(None, np.int32)
        self._vocab: dict[str, int] = {}
        self._words: list[str] = []
        self._df = Rows(None, np.int32)
        self._events: list[_Event] = []
        self._tallies: dict[int, _Tally] = {}  # built on first need, then kept up to date
        self._eid: dict[str, int] = {}
        self._index = KeyIndex()
        self._entity_hashes: list[int] = []  # posting key of each entity id

    def __len__(self) -> int:
        return len(self._ids)

    # --- adding -----------------------------------------------------------------------------------------

    def add(
        self,
        doc_id: str,
        text: str,
        day: date | None,
        *,
        title: str | None = None,
        entities: list[str] | None = None,
        same_as: str | None = None,
        features: EventFeatures | None = None,
    ) -> str:
        """Place one article; returns its event id. `same_as`: a known article it duplicates (its event is
        taken as is). Undated articles that duplicate nothing get an event of their own. `features`:
        `self.features(text, entities)` computed beforehand (e.g. in a worker process)."""
        if doc_id in self._pos:
            return self._event_id(int(self._group.a[self._pos[doc_id]]))
        ents, sig, bands, place, weight = features if features is not None else self.features(text, entities)
        ent_ids = []
        for e in dict.fromkeys(ents):
            k = self._vocab.get(e)
            if k is None:
                k = self._vocab[e] = len(self._words)
                self._words.append(e)
                self._df.append(0)
            ent_ids.append(k)
        ent_arr = np.asarray(ent_ids, dtype=np.int32)
        d = day.toordinal() if day else NODATE

        g: int | None = None
        if same_as is not None and same_as in self._pos:
            g = int(self._group.a[self._pos[same_as]])
        elif d != NODATE:
            g = self._best(ent_arr, sig, bands, d)
        i = len(self._ids)
        if g is None:
            g = len(self._events)
            self._events.append(_Event(i))
            self._eid[stable_id(doc_id, prefix="e")] = g
        else:
            self._events[g].docs.append(i)
        self._ids.append(doc_id)
        self._pos[doc_id] = i
        self._titles.append(title.strip() if title and title.strip() else None)
        self._places.append(place)
        self._place_w.append(weight)
        self._day.append(d)
        self._sigs.append(sig)
        for k in ent_ids:
            self._ent.append(k)
            self._df.a[k] += 1
        self._ent_end.append(len(self._ent))
        self._group.append(g)
        tally = self._tallies.get(g)
        if tally is not None:
            self._count(tally, i)
        if d != NODATE:
            self._index.add(self._keys(ent_arr, bands, [d]), i)
        return self._event_id(g)

    def features(self, text: str, entities: list[str] | None = None) -> EventFeatures:
        """The text's features for `add` (pure: depends on the text and the parameters only)."""
        ents = [e.lower() for e in entities] if entities is not None else find_entities(text, self.max_entities)
        sig = self._hasher.signature(token_hashes(sorted(set(content_stems(text)))))
        place, weight = find_place(text)
        return EventFeatures(ents, sig, band_keys(sig, self.bands, self.rows, salt=1), place, weight)

    def _keys(self, ent_arr: np.ndarray, bands: np.ndarray, days: list[int]) -> np.ndarray:
        hashes = self._entity_hashes
        for k in range(len(hashes), len(self._words)):
            hashes.append(string_hash64("e", k))
        base = np.concatenate(
            [
                np.asarray([hashes[k] for k in ent_arr.tolist()], dtype=np.uint64),
                bands,
            ]
        )
        return salted(base, days)

    def _doc_entities(self, i: int) -> np.ndarray:
        start = int(self._ent_end.a[i - 1]) if i else 0
        return self._ent.a[start : int(self._ent_end.a[i])]

    def _idf(self, entity_ids: np.ndarray) -> np.ndarray:
        """The weight of each entity as of now: log(1 + n / (document frequency + 1))."""
        return np.log(1.0 + (len(self._ids) + 1) / (self._df.a[entity_ids] + 1.0))

    def _best(self, ent_arr: np.ndarray, sig: np.ndarray, bands: np.ndarray, d: int) -> int | None:
        if not self._ids:
            return None
        days = list(range(d - self.window_days, d + self.window_days + 1))
        hits = self._index.lookup(self._keys(ent_arr, bands, days))
        if not len(hits):
            return None
        cands, counts = np.unique(hits, return_counts=True)
        ok = np.abs(self._day.a[cands].astype(np.int64) - d) <= self.window_days
        cands, counts = cands[ok], counts[ok]
        cands = most_shared(cands, counts, self.max_candidates)
        if not len(cands):
            return None
        jac = (self._sigs.a[cands] == sig).mean(axis=1)
        # idf-weighted Jaccard of the entity sets, all candidates at once (each document's entities are distinct)
        starts, stops = spans(self._ent_end.a, cands)
        theirs = self._ent.a[ranges(starts, stops)]
        segment = np.repeat(np.arange(len(cands)), stops - starts)
        weight = self._idf(theirs)
        shared = np.bincount(segment, weights=weight * np.isin(theirs, ent_arr), minlength=len(cands))
        union = float(self._idf(ent_arr).sum()) + np.bincount(segment, weights=weight, minlength=len(cands)) - shared
        ent = np.divide(shared, union, out=np.zeros(len(cands)), where=union > 0)
        score = self.entity_weight * ent + (1.0 - self.entity_weight) * np.minimum(1.0, 2.0 * jac)
        score[(score < self.threshold) | (score <= 0.0)] = -1.0
        j = int(np.argmax(score))  # the first of the best (candidates in their ranked order)
        return None if score[j] < 0 else int(self._group.a[cands[j]])

    # --- reading ----------------------------------------------------------------------------------------

    def _event_id(self, g: int) -> str:
        return stable_id(self._ids[self._events[g].docs[0]], prefix="e")

    def event_id(self, doc_id: str) -> str | None:
        i = self._pos.get(doc_id)
        return None if i is None else self._event_id(int(self._group.a[i]))

    def event(self, event_id: str, *, members: bool = True) -> Event | None:
        """The event's record; `members=False` leaves `document_ids` empty (the record is then O(1): a
        store keeps membership as each document's `event_id`)."""
        g = self._eid.get(event_id)
        return None if g is None else self._record(g, members)

    def events(self) -> list[Event]:
        """All events, in order of their first article."""
        return [self._record(g, True) for g in range(len(self._events))]

    def _count(self, tally: _Tally, i: int) -> None:
        tally.add(
            i, int(self._day.a[i]), self._places[i], int(self._place_w.a[i]), self._titles[i],
            self._doc_entities(i).tolist(),
        )

    def _tally(self, g: int) -> _Tally:
        tally = self._tallies.get(g)
        if tally is None:
            tally = self._tallies[g] = _Tally()
            for i in self._events[g].docs:
                self._count(tally, i)
        return tally

    def _record(self, g: int, members: bool) -> Event:
        t = self._tally(g)
        day = min(t.days, key=lambda d: (-t.days[d], d)) if t.days else None
        place = min(t.places, key=lambda p: (-t.places[p], t.first_seen[p])) if t.places else None
        title = t.title
        if title is None:
            top = sorted(t.entities, key=lambda k: (-t.entities[k], self._words[k]))[:3]
            title = ", ".join(_display(self._words[k]) for k in top) or "(untitled)"
        return Event(
            id=self._event_id(g),
            date=date.fromordinal(day) if day is not None else None,
            title=title,
            place=place,
            document_ids=[self._ids[i] for i in self._events[g].docs] if members else [],
        )

    # --- state ------------------------------------------------------------------------------------------

    def state_parts(self) -> list[bytes | memoryview]:
        keys, vals = self._index.arrays()
        meta = {
            "params": self.params,
            "ids": self._ids,
            "titles": self._titles,
            "places": self._places,
            "words": self._words,
        }
        arrays = {
            "place_w": self._place_w.a,
            "day": self._day.a,
            "sigs": self._sigs.a,
            "ent": self._ent.a,
            "ent_end": self._ent_end.a,
            "group": self._group.a,
            "df": self._df.a,
            "keys": keys,
            "vals": vals,
        }
        return pack_parts(meta, arrays)

    @classmethod
    def from_state(cls, data: bytes) -> EventGrouper:
        meta, arrays = unpack(data)
        grouper = cls(**meta["params"])
        grouper._ids = list(meta["ids"])
        grouper._pos = {d: i for i, d in enumerate(grouper._ids)}
        grouper._titles = list(meta["titles"])
        grouper._places = list(meta["places"])
        grouper._words = list(meta["words"])
        grouper._vocab = {w: k for k, w in enumerate(grouper._words)}
        grouper._place_w = Rows(None, np.int8, arrays["place_w"])
        grouper._day = Rows(None, np.int32, arrays["day"])
        grouper._sigs = Rows(grouper._hasher.num_perm, np.uint32, arrays["sigs"])
        grouper._ent = Rows(None, np.int32, arrays["ent"])
        grouper._ent_end = Rows(None, np.int64, arrays["ent_end"])
        grouper._group = Rows(None, np.int32, arrays["group"])
        grouper._df = Rows(None, np.int32, arrays["df"])
        for i, g in enumerate(arrays["group"].tolist()):
            if g == len(grouper._events):
                grouper._events.append(_Event(i))
                grouper._eid[stable_id(grouper._ids[i], prefix="e")] = g
            else:
                grouper._events[g].docs.append(i)
        grouper._index = KeyIndex.from_arrays(arrays["keys"], arrays["vals"])
        return grouper


def _display(word: str) -> str:
    return word.upper() if len(word) <= 4 and word.isalpha() else word.title()
