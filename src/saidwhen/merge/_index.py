"""Building blocks: MinHash signatures, a compact append-only key index for LSH bands and postings,
growable numpy rows, and a binary state container.

`KeyIndex` maps hashed keys to integer values (document or statement numbers). New entries go to a small
dict; when it fills up it is merged (linearly) into sorted numpy arrays, so memory is 8 bytes per entry and
a lookup is a `searchsorted` per key and level: no all-pairs comparison anywhere, and the state is just
two arrays. Buckets are capped (`max_bucket`, newest kept) so a very common key cannot make lookups linear.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np
from datasketch import MinHash

from saidwhen.merge._text import fmix32

_MAGIC = b"SWMERGE1"


class MinHasher:
    """MinHash signatures with datasketch's `affine32` scheme and permutations (same `num_perm`, `seed`):
    `signature(h)` equals `MinHash(num_perm, seed, hashfunc=int, scheme="affine32")` updated with `h`."""

    def __init__(self, num_perm: int, seed: int = 1) -> None:
        self.num_perm = num_perm
        self.seed = seed
        a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
        self._a = np.asarray(a, dtype=np.uint32)
        self._b = np.asarray(b, dtype=np.uint32)

    def signature(self, hashes: np.ndarray) -> np.ndarray:
        if len(hashes) == 0:
            return np.full(self.num_perm, 0xFFFFFFFF, dtype=np.uint32)
        hv = fmix32(hashes).reshape(-1, 1)
        with np.errstate(over="ignore"):
            return (hv * self._a + self._b).min(axis=0).astype(np.uint32)


def band_keys(sig: np.ndarray, bands: int, rows: int, salt: int = 0) -> np.ndarray:
    """One uint64 key per LSH band (band number and `salt` mixed in)."""
    m = sig[: bands * rows].reshape(bands, rows).astype(np.uint64)
    with np.errstate(over="ignore"):
        acc = np.arange(bands, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(salt)
        for j in range(rows):
            acc = mix64(acc ^ m[:, j])
    return acc


_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on uint64 arrays (unsigned multiplication wraps silently)."""
    h = h ^ (h >> _S30)
    h = h * _M1
    h = h ^ (h >> _S27)
    h = h * _M2
    return h ^ (h >> _S31)


def ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The concatenated index ranges [start, stop) (empty where stop <= start), as one int64 array."""
    lengths = np.maximum(np.asarray(stops, dtype=np.int64) - starts, 0)
    total = int(lengths.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths  # where each range begins in the output
    return np.arange(total, dtype=np.int64) + np.repeat(np.asarray(starts, dtype=np.int64) - offsets, lengths)


def spans(ends: np.ndarray, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(starts, stops) of `items`' segments in a concatenated array whose segment i ends at `ends[i]`."""
    stops = ends[items]
    return np.where(items > 0, ends[np.maximum(items - 1, 0)], 0), stops


def count_unique(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(values, return_counts=True)` for small integer arrays, without its overhead."""
    if not len(values):
        return values, np.empty(0, dtype=np.int64)
    s = np.sort(values)
    first = np.flatnonzero(np.concatenate(([True], s[1:] != s[:-1])))
    return s[first], np.diff(np.append(first, len(s)))


def most_shared(cands: np.ndarray, counts: np.ndarray, limit: int) -> np.ndarray:
    """The first `limit` of ascending `cands` ordered by their `counts` (shared postings), most first, ties in
    ascending order: a stable sort on small integers (radix sort, linear)."""
    return cands[np.argsort(-np.minimum(counts, 32767).astype(np.int16), kind="stable")[:limit]]


def salted(keys: np.ndarray, salts: list[int]) -> np.ndarray:
    """Keys re-hashed with each integer salt (e.g. day numbers, so postings are per day), salt-major."""
    s = mix64(np.asarray([x & 0xFFFFFFFFFFFFFFFF for x in salts], dtype=np.uint64))
    return mix64(keys[None, :] ^ s[:, None]).ravel()


class KeyIndex:
    """Append-only multimap key -> int value (values ascending within a key). Keys are given as uint64 and
    kept as their low 32 bits (8 bytes an entry instead of 12): two keys that share them share a bucket,
    which only adds a candidate the caller's scoring rejects (about one lookup key in 200 at 20M entries).

    Three levels, newest first: a dict buffer of at most `buffer` entries, then a small sorted level, then
    the main sorted arrays. A full buffer is merged into the small level, which is merged into the main
    arrays once it holds 1/16 of their entries: every entry is copied O(log n) times, the buffer's Python
    objects stay bounded (a few MB) however large the index grows, and only a merge into the main arrays
    needs twice their size for a moment."""

    def __init__(self, max_bucket: int = 200, buffer: int = 50_000) -> None:
        self.max_bucket = max_bucket
        self.buffer = buffer
        self._keys, self._vals = _empty()
        self._keys1, self._vals1 = _empty()  # the small sorted level
        self._recent: dict[int, list[int]] = {}
        self._n_recent = 0

    def __len__(self) -> int:
        return len(self._keys) + len(self._keys1) + self._n_recent

    def add(self, keys: np.ndarray, value: int) -> None:
        recent = self._recent
        for k in _short(keys).tolist():
            bucket = recent.get(k)
            if bucket is None:
                recent[k] = [value]
            else:
                bucket.append(value)
        self._n_recent += len(keys)
        if self._n_recent >= self.buffer:
            self._flush()
            if len(self._keys1) >= max(self.buffer, len(self._keys) // 16):
                self.compact()

    def _flush(self) -> None:
        """Merge the dict buffer into the small sorted level."""
        if not self._n_recent:
            return
        nk = np.fromiter(
            (k for k, vs in self._recent.items() for _ in vs), dtype=np.uint32, count=self._n_recent
        )
        nv = np.fromiter(
            (v for vs in self._recent.values() for v in vs), dtype=np.int32, count=self._n_recent
        )
        self._recent = {}
        self._n_recent = 0
        order = np.lexsort((nv, nk))
        self._keys1, self._vals1 = _merge_sorted(self._keys1, self._vals1, nk[order], nv[order])

    def compact(self) -> None:
        """Merge everything into the main arrays, dropping the values no lookup can return."""
        self._flush()
        if not len(self._keys1):
            return
        keys, vals = _merge_sorted(self._keys, self._vals, self._keys1, self._vals1)
        # let the old arrays go before pruning copies the merged ones: at most twice the index at any time
        self._keys, self._vals = self._keys1, self._vals1 = _empty()
        self._keys, self._vals = self._live(keys, vals)

    def _live(self, keys: np.ndarray, vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Drop the values no lookup can return any more: all but the newest `max_bucket` of each key."""
        if len(keys) <= self.max_bucket:
            return keys, vals
        # a value is dead when the key `max_bucket` places further on is still the same key
        dead = keys[: -self.max_bucket] == keys[self.max_bucket :]
        if not dead.any():
            return keys, vals
        keep = np.concatenate([~dead, np.ones(self.max_bucket, dtype=bool)])
        del dead
        return keys[keep], vals[keep]

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """All values stored under any of `keys` (with repeats: one per matching key, in no particular order);
        per key only the newest `max_bucket` values, whichever levels they sit in (so the answer does not
        depend on when the levels were last merged)."""
        cap = self.max_bucket
        keys = np.sort(_short(keys))  # ascending keys let each binary search start where the last one ended
        parts: list[np.ndarray] = []
        rooms = np.full(len(keys), cap, dtype=np.int64)  # how many of each key's newest values are still to take
        if self._recent:
            recent = self._recent
            buffered: list[int] = []
            for j, k in enumerate(keys.tolist()):
                bucket = recent.get(k)
                if bucket:
                    buffered.extend(bucket[-cap:])
                    rooms[j] = max(0, cap - len(bucket))
            if buffered:
                parts.append(np.asarray(buffered, dtype=np.int32))
        for level_keys, level_vals in ((self._keys1, self._vals1), (self._keys, self._vals)):
            if not len(level_keys):
                continue
            hi = level_keys.searchsorted(keys, side="right")
            take = np.minimum(hi - level_keys.searchsorted(keys, side="left"), rooms)
            if take.any():
                parts.append(level_vals[ranges(hi - take, hi)])
                rooms -= take
        if not parts:
            return np.empty(0, dtype=np.int32)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        self.compact()
        return self._keys, self._vals

    @classmethod
    def from_arrays(cls, keys: np.ndarray, vals: np.ndarray, max_bucket: int = 200) -> KeyIndex:
        index = cls(max_bucket=max_bucket)
        vals = vals.astype(np.int32, copy=False)
        if keys.dtype == np.uint32:
            index._keys, index._vals = keys, vals
        else:  # a state written with 64-bit keys: shortened, buckets that now coincide merged in value order
            short = _short(keys)
            order = np.lexsort((vals, short))
            index._keys, index._vals = index._live(short[order], vals[order])
        return index


def _short(keys: np.ndarray) -> np.ndarray:
    """The stored form of uint64 keys: their low 32 bits."""
    return keys.astype(np.uint32) if keys.dtype != np.uint32 else keys


def _empty() -> tuple[np.ndarray, np.ndarray]:
    return np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.int32)


def _merge_sorted(
    keys: np.ndarray, vals: np.ndarray, new_keys: np.ndarray, new_vals: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Two (key, value) arrays sorted by key merged into one; of equal keys, the `new` entries go last."""
    if not len(keys):
        return new_keys, new_vals
    pos = np.searchsorted(keys, new_keys, side="right") + np.arange(len(new_keys))
    total = len(keys) + len(new_keys)
    mask = np.zeros(total, dtype=bool)
    mask[pos] = True
    out_keys = np.empty(total, dtype=keys.dtype)
    out_vals = np.empty(total, dtype=np.int32)
    out_keys[mask], out_vals[mask] = new_keys, new_vals
    out_keys[~mask], out_vals[~mask] = keys, vals
    return out_keys, out_vals


class Rows:
    """A growable 1-D or 2-D numpy array (amortised O(1) append). It grows by a quarter, not by doubling:
    at most a fifth of its memory is unused, for about four copies of each row over its life (cheap
    memcpy)."""

    def __init__(self, width: int | None, dtype: Any, data: np.ndarray | None = None) -> None:
        self.width = width
        self.dtype = np.dtype(dtype)
        shape = (0,) if width is None else (0, width)
        self._a = np.empty(shape, dtype=self.dtype) if data is None else np.array(data, dtype=self.dtype)
        self.n = len(self._a)

    def append(self, row: Any) -> None:
        if self.n == len(self._a):
            cap = max(1024, len(self._a) + len(self._a) // 4)
            grown = np.empty((cap,) if self.width is None else (cap, self.width), dtype=self.dtype)
            grown[: self.n] = self._a[: self.n]
            self._a = grown
        self._a[self.n] = row
        self.n += 1

    def extend(self, rows: Any) -> None:
        rows = np.asarray(rows, dtype=self.dtype)
        need = self.n + len(rows)
        if need > len(self._a):
            cap = max(1024, len(self._a) + len(self._a) // 4, need)
            grown = np.empty((cap,) if self.width is None else (cap, self.width), dtype=self.dtype)
            grown[: self.n] = self._a[: self.n]
            self._a = grown
        self._a[self.n : need] = rows
        self.n = need

    @property
    def a(self) -> np.ndarray:
        return self._a[: self.n]

    def __len__(self) -> int:
        return self.n


def pack_parts(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> list[bytes | memoryview]:
    """meta (JSON) + named numpy arrays -> the pieces of the state: magic, header length, zlib(JSON header),
    then each array's raw bytes as a view (no copy: a caller can write a large state piece by piece)."""
    specs = []
    blobs: list[bytes | memoryview] = []
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        specs.append([name, arr.dtype.str, list(arr.shape)])
        blobs.append(memoryview(arr.reshape(-1).view(np.uint8)))
    header = zlib.compress(json.dumps({"meta": meta, "arrays": specs}, separators=(",", ":")).encode())
    return [_MAGIC, struct.pack("<Q", len(header)), header, *blobs]


def pack(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """`pack_parts` joined into one bytes object."""
    return b"".join(pack_parts(meta, arrays))


def chunked_parts(parts: list[bytes | memoryview], size: int) -> Iterator[bytes | memoryview]:
    """The concatenation of `parts` cut into consecutive pieces of `size` bytes (the last may be shorter),
    each a view into one part where it lies within one, so that at most `size` bytes are copied at once."""
    pending = bytearray()
    for part in parts:
        view = memoryview(part).cast("B")
        pos = 0
        if pending:
            take = min(size - len(pending), len(view))
            pending += view[:take]
            pos = take
            if len(pending) < size:
                continue
            yield bytes(pending)
            pending = bytearray()
        while len(view) - pos >= size:
            yield view[pos : pos + size]
            pos += size
        pending += view[pos:]
    if pending:
        yield bytes(pending)


class PackedState:
    """For merge components: `to_state()` is what `state_parts()` (built with `pack_parts`) joins to."""

    def state_parts(self) -> list[bytes | memoryview]:
        raise NotImplementedError

    def to_state(self) -> bytes:
        return b"".join(self.state_parts())


def unpack(data: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    if data[:8] != _MAGIC:
        raise ValueError("not a saidwhen merge state")
    (n,) = struct.unpack("<Q", data[8:16])
    header = json.loads(zlib.decompress(data[16 : 16 + n]))
    pos = 16 + n
    arrays: dict[str, np.ndarray] = {}
    for name, dtype, shape in header["arrays"]:
        dt = np.dtype(dtype)
        count = int(np.prod(shape)) if shape else 1
        arrays[name] = np.frombuffer(data, dtype=dt, count=count, offset=pos).reshape(shape).copy()
        pos += count * dt.itemsize
    return header["meta"], arrays
