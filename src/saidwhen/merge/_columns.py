"""Compact per-item storage for the merge components, so that a million statements cost tens of bytes each
instead of a few Python objects each: strings in one UTF-8 buffer (`StrColumn`), repeated strings as
integer codes (`Vocab`), string id -> position through hashes in sorted arrays (`IdIndex`), and groups as
linked lists in integer arrays (`Groups`). Everything is append-only, like the components themselves, and
is saved as numpy arrays (no per-item JSON).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator

import numpy as np

_M64 = (1 << 64) - 1


class StrColumn:
    """An append-only list of strings: one UTF-8 buffer and the end offset of each string."""

    def __init__(self, data: bytes | np.ndarray = b"", ends: Iterable[int] = ()) -> None:
        self._buf = bytearray(data.tobytes() if isinstance(data, np.ndarray) else data)
        self._ends = array("q", ends)

    def __len__(self) -> int:
        return len(self._ends)

    def append(self, text: str) -> None:
        self._buf += text.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._buf))

    def __getitem__(self, i: int) -> str:
        start = self._ends[i - 1] if i > 0 else 0
        return self._buf[start : self._ends[i]].decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        # a view of the buffer (no copy): valid until the next append, i.e. while the state is packed
        return {f"{name}_data": np.frombuffer(self._buf, dtype=np.uint8),
                f"{name}_ends": np.asarray(self._ends, dtype=np.int64)}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], name: str) -> StrColumn:
        return cls(arrays[f"{name}_data"], arrays[f"{name}_ends"].tolist())


class Vocab:
    """Strings <-> dense integer codes (first seen, first numbered)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words: list[str] = list(words)
        self.codes: dict[str, int] = {w: k for k, w in enumerate(self.words)}

    def __len__(self) -> int:
        return len(self.words)

    def code(self, word: str) -> int:
        k = self.codes.get(word)
        if k is None:
            k = self.codes[word] = len(self.words)
            self.words.append(word)
        return k


class OptionalStrings:
    """A column of strings or None (speakers), stored as `Vocab` codes; -1 is None."""

    def __init__(self, words: Iterable[str] = (), codes: Iterable[int] = ()) -> None:
        self.vocab = Vocab(words)
        self._codes = array("i", codes)

    def __len__(self) -> int:
        return len(self._codes)

    def append(self, value: str | None) -> None:
        self._codes.append(-1 if value is None else self.vocab.code(value))

    def __getitem__(self, i: int) -> str | None:
        k = self._codes[i]
        return None if k < 0 else self.vocab.words[k]

    def code(self, i: int) -> int:
        return self._codes[i]

    def codes_at(self, rows: np.ndarray) -> np.ndarray:
        """The codes of some rows (-1: None), as int32."""
        codes = self._codes
        return np.fromiter((codes[i] for i in rows.tolist()), dtype=np.int32, count=len(rows))

    def meta(self) -> list[str]:
        return self.vocab.words

    def codes(self) -> np.ndarray:
        return np.asarray(self._codes, dtype=np.int32)


class IdIndex:
    """Position of a string id in a `StrColumn`, via 64-bit hashes (Python's, so per process: the index is
    rebuilt on load, never saved) kept in two sorted arrays plus a dict of recent ones. A hash collision
    costs one more comparison with the stored id."""

    def __init__(self, ids: StrColumn, buffer: int = 4096) -> None:
        self.ids = ids
        self.buffer = buffer
        self._hashes = np.empty(0, dtype=np.uint64)
        self._pos = np.empty(0, dtype=np.int32)
        self._recent: dict[int, list[int]] = {}
        for i, key in enumerate(ids):
            self.add(key, i)
        self._compact()

    def add(self, key: str, pos: int) -> None:
        self._recent.setdefault(hash(key) & _M64, []).append(pos)
        if len(self._recent) >= max(self.buffer, len(self._hashes) // 16):
            self._compact()

    def _compact(self) -> None:
        if not self._recent:
            return
        hashes = np.fromiter((h for h, ps in self._recent.items() for _ in ps), dtype=np.uint64)
        pos = np.fromiter((p for ps in self._recent.values() for p in ps), dtype=np.int32, count=len(hashes))
        hashes = np.concatenate([self._hashes, hashes])
        pos = np.concatenate([self._pos, pos])
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._pos = hashes[order], pos[order]
        self._recent = {}

    def get(self, key: str) -> int | None:
        h = hash(key) & _M64
        for p in self._recent.get(h, ()):
            if self.ids[p] == key:
                return p
        if not len(self._hashes):
            return None
        lo = int(np.searchsorted(self._hashes, np.uint64(h)))
        while lo < len(self._hashes) and int(self._hashes[lo]) == h:
            p = int(self._pos[lo])
            if self.ids[p] == key:
                return p
            lo += 1
        return None

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None


class Groups:
    """Items (0, 1, 2, ...) in append-only groups: each item starts a group, joins one, or stays out (-1).
    Members of a group are a linked list in order of addition."""

    def __init__(self, group: Iterable[int] = ()) -> None:
        self.group = array("i")
        self._next = array("i")
        self.first = array("i")
        self._last = array("i")
        self.size = array("i")
        for g in group:  # saved groups are numbered in order of their first item
            if g < 0:
                self.add_alone()
            else:
                self.add(g if g < len(self.first) else None)

    def __len__(self) -> int:
        return len(self.group)

    @property
    def n_groups(self) -> int:
        return len(self.first)

    def add(self, g: int | None) -> int:
        """Add the next item to group `g` (a new group when None); returns the group."""
        i = len(self.group)
        if g is None:
            g = len(self.first)
            self.first.append(i)
            self._last.append(i)
            self.size.append(1)
        else:
            self._next[self._last[g]] = i
            self._last[g] = i
            self.size[g] += 1
        self.group.append(g)
        self._next.append(-1)
        return g

    def add_alone(self) -> None:
        """Add the next item outside every group."""
        self.group.append(-1)
        self._next.append(-1)

    def members(self, g: int) -> list[int]:
        out = []
        i = self.first[g]
        while i >= 0:
            out.append(i)
            i = self._next[i]
        return out

    def groups(self) -> np.ndarray:
        return np.asarray(self.group, dtype=np.int32)
