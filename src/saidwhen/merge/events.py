"""Events: articles about one press conference, summit or incident, grouped by date proximity, shared
named entities and content similarity.

An article is placed by its own date (publication date, else what the caller passes), never by the other
dates it mentions, so a background paragraph about an earlier summit cannot move it into that summit's
event. Candidates are earlier articles that share an entity or an LSH band of the content signature:
dated articles post their keys per day and once more for any day, undated ones under "undated"; a dated
article looks up the days within ± `window_days`, an undated one the any-day and undated postings (a key
yields its newest 200 entries, so the lookup stays bounded). So an undated report joins the event it
describes, while dated articles further apart than the window never meet, not even through an undated
article (dated ones never take an undated parent: an undated article that comes before every dated report
of its happening keeps an event of its own). The article joins the event of the best candidate (its
parent) scoring ≥ `threshold` with

    score = entity_weight * entity cosine + (1 - entity_weight) * min(1, 2 * content Jaccard)

among candidates sharing at least `min_shared` entities (one shared name alone, the president's, the
country's, does not make two happenings one)
where the entity cosine weighs each entity by (1 + log count in the article) * idf, so the people an
article is about count more than those it mentions once, and similar happenings (another rehab stay,
another earthquake: the same topic words, other people and places) stay apart. Entities are the most
frequent capitalised words (or what the caller passes). Events never merge, so an article's event id never
changes; the event's date (most common article date), place (dateline, else "in <Place>" in the lead, by
vote) and title (`headline.event_title`: the headline of its most central article, the one most others
linked to, with place and date) follow its articles.
"""

from __future__ import annotations

import math
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
from saidwhen.merge._text import (
    MONTHS,
    WEEKDAYS,
    content_stems,
    entity_counts,
    string_hash64,
    token_hashes,
    words,
)
from saidwhen.merge.headline import event_title, lead_clause
from saidwhen.model import Event, stable_id

NODATE = -(2**31)
ANY_DAY = -(2**31) + 1  # posting salt: a dated article, for undated lookups
UNDATED = -(2**31) + 2  # posting salt: an undated article

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
    days, place weights (and where each place was first seen), and its most central article (the most
    links to it from the others, earliest on ties)."""

    __slots__ = ("days", "places", "first_seen", "central")

    def __init__(self) -> None:
        self.days: Counter[int] = Counter()
        self.places: Counter[str] = Counter()
        self.first_seen: dict[str, int] = {}
        self.central = -1

    def add(self, i: int, day: int, place: str | None, weight: int) -> None:
        if day != NODATE:
            self.days[day] += 1
        if place:
            self.places[place] += weight
            self.first_seen.setdefault(place, i)


class EventFeatures(NamedTuple):
    """What `EventGrouper.add` needs of a text: entities (lower-cased) and their weights (1 + log count),
    MinHash signature of the content stems and its LSH band keys, the place with its weight (`find_place`)
    and the headline-like lead clause (`headline.lead_clause`)."""

    entities: list[str]
    signature: np.ndarray
    bands: np.ndarray
    place: str | None
    weight: int
    weights: list[float] | None = None
    lead: str | None = None


def entity_similarity(
    mine: dict[str, float], theirs: dict[str, float], df: dict[str, int], n: int
) -> float:
    """Cosine of two articles' entity vectors, weight * idf (idf = log(1 + n / (df + 1))): the pairwise form of
    `EventGrouper`'s vectorised score (the Spark path uses it)."""

    def idf(e: str) -> float:
        return math.log(1.0 + n / (df.get(e, 0) + 1.0))

    shared = sum(w * theirs[e] * idf(e) ** 2 for e, w in mine.items() if e in theirs)
    if not shared:
        return 0.0
    norm_m = math.sqrt(sum((w * idf(e)) ** 2 for e, w in mine.items()))
    norm_t = math.sqrt(sum((w * idf(e)) ** 2 for e, w in theirs.items()))
    return shared / (norm_m * norm_t)


def entity_weight(count: int) -> float:
    """An entity's weight in an article: 1 + log(count), as stored (float32)."""
    return float(np.float32(1.0 + math.log(count)))


def salts(day: int, window: int) -> tuple[list[int], list[int]]:
    """(posting salts, lookup salts) of an article of this day (`NODATE`: undated)."""
    if day == NODATE:
        return [UNDATED], [ANY_DAY, UNDATED]
    return [day, ANY_DAY], list(range(day - window, day + window + 1))


class EventGrouper(PackedState):
    def __init__(
        self,
        *,
        window_days: int = 7,
        threshold: float = 0.2,
        entity_weight: float = 0.6,
        num_perm: int = 64,
        bands: int = 21,
        rows: int = 3,
        max_entities: int = 24,
        max_candidates: int = 100,
        min_shared: int = 2,
        seed: int = 3,
    ) -> None:
        self.params = {
            "min_shared": min_shared,
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
        self.min_shared = min_shared
        self._hasher = MinHasher(num_perm, seed)
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._titles: list[str | None] = []  # the article's title, else its lead clause
        self._places: list[str | None] = []
        self._place_w = Rows(None, np.int8)
        self._day = Rows(None, np.int32)
        self._sigs = Rows(num_perm, np.uint32)
        self._ent = Rows(None, np.int32)  # entity ids of all documents, concatenated
        self._ent_w = Rows(None, np.float32)  # their weights in their document (1 + log count)
        self._ent_end = Rows(None, np.int64)  # end offset in _ent of each document
        self._group = Rows(None, np.int32)
        self._parent = Rows(None, np.int32)  # the article it joined its event through (-1: none)
        self._links = Rows(None, np.int32)  # links to and from each article (its centrality)
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
        taken as is). `features`: `self.features(text, entities)` computed beforehand (e.g. in a worker
        process)."""
        if doc_id in self._pos:
            return self._event_id(int(self._group.a[self._pos[doc_id]]))
        f = features if features is not None else self.features(text, entities)
        weights = f.weights if f.weights is not None else [1.0] * len(f.entities)
        ent_ids, ent_w = [], []
        for e, w in dict(zip(f.entities, weights, strict=True)).items():
            k = self._vocab.get(e)
            if k is None:
                k = self._vocab[e] = len(self._words)
                self._words.append(e)
                self._df.append(0)
            ent_ids.append(k)
            ent_w.append(w)
        ent_arr = np.asarray(ent_ids, dtype=np.int32)
        d = day.toordinal() if day else NODATE

        parent = -1
        if same_as is not None and same_as in self._pos:
            parent = self._pos[same_as]
        else:
            parent = self._best(ent_arr, np.asarray(ent_w, dtype=np.float64), f.signature, f.bands, d)
        i = len(self._ids)
        if parent < 0:
            g = len(self._events)
            self._events.append(_Event(i))
            self._eid[stable_id(doc_id, prefix="e")] = g
        else:
            g = int(self._group.a[parent])
            self._events[g].docs.append(i)
        self._ids.append(doc_id)
        self._pos[doc_id] = i
        self._titles.append(title.strip() if title and title.strip() else f.lead)
        self._places.append(f.place)
        self._place_w.append(f.weight)
        self._day.append(d)
        self._sigs.append(f.signature)
        self._ent.extend(ent_arr)
        self._ent_w.extend(ent_w)
        self._df.a[ent_arr] += 1
        self._ent_end.append(len(self._ent))
        self._group.append(g)
        self._parent.append(parent)
        self._links.append(0 if parent < 0 else 1)
        if parent >= 0:
            self._links.a[parent] += 1
        tally = self._tallies.get(g)
        if tally is not None:
            self._count(tally, i)
            if parent >= 0:
                self._consider(tally, parent)
        post, _ = salts(d, self.window_days)
        self._index.add(self._keys(ent_arr, f.bands, post), i)
        return self._event_id(g)

    def features(self, text: str, entities: list[str] | None = None) -> EventFeatures:
        """The text's features for `add` (pure: depends on the text and the parameters only)."""
        if entities is not None:
            counts = list(Counter(e.lower() for e in entities).items())
        else:
            counts = entity_counts(text, self.max_entities)
        sig = self._hasher.signature(token_hashes(sorted(set(content_stems(text)))))
        place, weight = find_place(text)
        return EventFeatures(
            [e for e, _ in counts], sig, band_keys(sig, self.bands, self.rows, salt=1), place, weight,
            [entity_weight(c) for _, c in counts], lead_clause(text),
        )

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

    def _best(self, ent_arr: np.ndarray, ent_w: np.ndarray, sig: np.ndarray, bands: np.ndarray, d: int) -> int:
        """The candidate article this one joins (-1: none)."""
        if not self._ids:
            return -1
        _, look = salts(d, self.window_days)
        hits = self._index.lookup(self._keys(ent_arr, bands, look))
        if not len(hits):
            return -1
        cands, counts = np.unique(hits, return_counts=True)
        theirs_day = self._day.a[cands].astype(np.int64)
        ok = (d == NODATE) | (np.abs(theirs_day - d) <= self.window_days)
        cands, counts = cands[ok], counts[ok]
        cands = most_shared(cands, counts, self.max_candidates)
        if not len(cands):
            return -1
        score = self._scores(ent_arr, ent_w, sig, cands)
        j = int(np.argmax(score))  # the first of the best (candidates in their ranked order)
        return -1 if score[j] < 0 else int(cands[j])

    def _scores(self, ent_arr: np.ndarray, ent_w: np.ndarray, sig: np.ndarray, cands: np.ndarray) -> np.ndarray:
        """The score of each candidate (in their ranked order) as a parent of this article; -1 where it may
        not be one (below `threshold`, fewer than `min_shared` shared entities). `benchmarks/events_eval.py
        --ceiling` replaces it with the gold answer to measure what the candidates and date rules allow."""
        jac = (self._sigs.a[cands] == sig).mean(axis=1)
        ent, shared = self._entity_cosine(ent_arr, ent_w, cands)
        score = self.entity_weight * ent + (1.0 - self.entity_weight) * np.minimum(1.0, 2.0 * jac)
        score[(score < self.threshold) | (score <= 0.0) | (shared < self.min_shared)] = -1.0
        return score

    def _entity_cosine(
        self, ent_arr: np.ndarray, ent_w: np.ndarray, cands: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """`entity_similarity` of this article with every candidate at once, and how many entities each
        shares with it."""
        if not len(ent_arr):
            return np.zeros(len(cands)), np.zeros(len(cands))
        starts, stops = spans(self._ent_end.a, cands)
        at = ranges(starts, stops)
        theirs = self._ent.a[at]
        segment = np.repeat(np.arange(len(cands)), stops - starts)
        theirs_v = self._ent_w.a[at] * self._idf(theirs)
        order = np.argsort(ent_arr)
        mine_sorted = ent_arr[order]
        mine_v = (ent_w * self._idf(ent_arr))[order]
        where = np.minimum(np.searchsorted(mine_sorted, theirs), len(mine_sorted) - 1)
        hit = mine_sorted[where] == theirs
        shared = np.bincount(segment, weights=np.where(hit, theirs_v * mine_v[where], 0.0), minlength=len(cands))
        norms = np.sqrt(np.bincount(segment, weights=theirs_v * theirs_v, minlength=len(cands)))
        denom = norms * float(np.sqrt((mine_v * mine_v).sum()))
        common = np.bincount(segment, weights=hit, minlength=len(cands))
        return np.divide(shared, denom, out=np.zeros(len(cands)), where=denom > 0), common

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
        tally.add(i, int(self._day.a[i]), self._places[i], int(self._place_w.a[i]))
        self._consider(tally, i)

    def _consider(self, tally: _Tally, i: int) -> None:
        """Make article i the event's central one if it has more links (earlier on ties) and a headline."""
        if self._titles[i] is None:
            return
        best = tally.central
        links = self._links.a
        if best < 0 or links[i] > links[best] or (links[i] == links[best] and i < best):
            tally.central = i

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
        when = date.fromordinal(day) if day is not None else None
        headline = self._titles[t.central] if t.central >= 0 else None
        return Event(
            id=self._event_id(g),
            date=when,
            title=event_title(headline, place, when),
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
            "ent_w": self._ent_w.a,
            "ent_end": self._ent_end.a,
            "group": self._group.a,
            "parent": self._parent.a,
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
        grouper._ent_w = Rows(None, np.float32, arrays.get("ent_w", np.ones(len(arrays["ent"]))))
        grouper._ent_end = Rows(None, np.int64, arrays["ent_end"])
        grouper._group = Rows(None, np.int32, arrays["group"])
        grouper._df = Rows(None, np.int32, arrays["df"])
        parents = arrays.get("parent", np.full(len(grouper._ids), -1, dtype=np.int32))
        grouper._parent = Rows(None, np.int32, parents)
        links = (parents >= 0).astype(np.int32)
        np.add.at(links, parents[parents >= 0], 1)
        grouper._links = Rows(None, np.int32, links)
        for i, g in enumerate(arrays["group"].tolist()):
            if g == len(grouper._events):
                grouper._events.append(_Event(i))
                grouper._eid[stable_id(grouper._ids[i], prefix="e")] = g
            else:
                grouper._events[g].docs.append(i)
        grouper._index = KeyIndex.from_arrays(arrays["keys"], arrays["vals"])
        return grouper
