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

import math
import re
from collections import Counter
from datetime import date

import numpy as np

from saidwhen.merge._index import KeyIndex, MinHasher, Rows, band_keys, pack, salted, unpack
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


class EventGrouper:
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
    ) -> str:
        """Place one article; returns its event id. `same_as`: a known article it duplicates (its event is
        taken as is). Undated articles that duplicate nothing get an event of their own."""
        if doc_id in self._pos:
            return self._event_id(int(self._group.a[self._pos[doc_id]]))
        ents = (
            [e.lower() for e in entities] if entities is not None else find_entities(text, self.max_entities)
        )
        ent_ids = []
        for e in dict.fromkeys(ents):
            k = self._vocab.get(e)
            if k is None:
                k = self._vocab[e] = len(self._words)
                self._words.append(e)
                self._df.append(0)
            ent_ids.append(k)
        ent_arr = np.asarray(ent_ids, dtype=np.int32)
        sig = self._hasher.signature(token_hashes(sorted(set(content_stems(text)))))
        d = day.toordinal() if day else NODATE
        place, weight = find_place(text)

        g: int | None = None
        if same_as is not None and same_as in self._pos:
            g = int(self._group.a[self._pos[same_as]])
        elif d != NODATE:
            g = self._best(ent_arr, sig, d)
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
        if d != NODATE:
            self._index.add(self._keys(ent_arr, sig, [d]), i)
        return self._event_id(g)

    def _keys(self, ent_arr: np.ndarray, sig: np.ndarray, days: list[int]) -> np.ndarray:
        hashes = self._entity_hashes
        for k in range(len(hashes), len(self._words)):
            hashes.append(string_hash64("e", k))
        base = np.concatenate(
            [
                np.asarray([hashes[k] for k in ent_arr.tolist()], dtype=np.uint64),
                band_keys(sig, self.bands, self.rows, salt=1),
            ]
        )
        return salted(base, days)

    def _doc_entities(self, i: int) -> np.ndarray:
        start = int(self._ent_end.a[i - 1]) if i else 0
        return self._ent.a[start : int(self._ent_end.a[i])]

    def _idf(self, entity_ids: set[int]) -> dict[int, float]:
        """The weight of each entity as of now: log(1 + n / (document frequency + 1))."""
        n = len(self._ids) + 1
        ks = list(entity_ids)
        return {k: math.log(1.0 + n / (df + 1.0)) for k, df in zip(ks, self._df.a[ks].tolist(), strict=True)}

    def _best(self, ent_arr: np.ndarray, sig: np.ndarray, d: int) -> int | None:
        if not self._ids:
            return None
        days = list(range(d - self.window_days, d + self.window_days + 1))
        hits = self._index.lookup(self._keys(ent_arr, sig, days))
        if not len(hits):
            return None
        cands, counts = np.unique(hits, return_counts=True)
        ok = np.abs(self._day.a[cands].astype(np.int64) - d) <= self.window_days
        cands, counts = cands[ok], counts[ok]
        cands = cands[np.lexsort((cands, -counts))[: self.max_candidates]]
        if not len(cands):
            return None
        jac = (self._sigs.a[cands] == sig).mean(axis=1)
        mine = set(ent_arr.tolist())
        theirs_all = [set(self._doc_entities(c).tolist()) for c in cands.tolist()]
        weight = self._idf(mine.union(*theirs_all))
        best, best_score = None, 0.0
        for c, j, theirs in zip(cands.tolist(), jac.tolist(), theirs_all, strict=True):
            if mine or theirs:
                union = mine | theirs
                ent = sum(weight[k] for k in mine & theirs) / sum(weight[k] for k in union)
            else:
                ent = 0.0
            score = self.entity_weight * ent + (1.0 - self.entity_weight) * min(1.0, 2.0 * j)
            if score >= self.threshold and score > best_score:
                best, best_score = c, score
        return None if best is None else int(self._group.a[best])

    # --- reading ----------------------------------------------------------------------------------------

    def _event_id(self, g: int) -> str:
        return stable_id(self._ids[self._events[g].docs[0]], prefix="e")

    def event_id(self, doc_id: str) -> str | None:
        i = self._pos.get(doc_id)
        return None if i is None else self._event_id(int(self._group.a[i]))

    def event(self, event_id: str) -> Event | None:
        g = self._eid.get(event_id)
        return None if g is None else self._record(g)

    def events(self) -> list[Event]:
        """All events, in order of their first article."""
        return [self._record(g) for g in range(len(self._events))]

    def _record(self, g: int) -> Event:
        docs = self._events[g].docs
        days = Counter(d for d in self._day.a[docs].tolist() if d != NODATE)
        day = min(days, key=lambda d: (-days[d], d)) if days else None
        places: Counter[str] = Counter()
        first_seen: dict[str, int] = {}
        for i in docs:
            p = self._places[i]
            if p:
                places[p] += int(self._place_w.a[i])
                first_seen.setdefault(p, i)
        place = min(places, key=lambda p: (-places[p], first_seen[p])) if places else None
        title = next((self._titles[i] for i in docs if self._titles[i]), None)
        if title is None:
            counts: Counter[int] = Counter()
            for i in docs:
                counts.update(self._doc_entities(i).tolist())
            top = sorted(counts, key=lambda k: (-counts[k], self._words[k]))[:3]
            title = ", ".join(_display(self._words[k]) for k in top) or "(untitled)"
        return Event(
            id=self._event_id(g),
            date=date.fromordinal(day) if day is not None else None,
            title=title,
            place=place,
            document_ids=[self._ids[i] for i in docs],
        )

    # --- state ------------------------------------------------------------------------------------------

    def to_state(self) -> bytes:
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
        return pack(meta, arrays)

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
