"""One writer per store: an ingest (CLI or API upload) holds an exclusive lock on `<store>.lock`.

A second writer waits for the first to finish, saying once that it waits (`on_wait`); readers never
take the lock (SQLite's WAL lets them read while a writer commits). The lock is `flock` on a file beside
the store, so it is released by the kernel when its holder dies, and it excludes two writers of one
process too (each opens its own file description).
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Callable


def _say_waiting(path: str) -> None:
    print(f"saidwhen: the store {path} is busy: another ingest is writing to it; waiting for it to finish…",
          file=sys.stderr, flush=True)


class WriterLock:
    """An exclusive lock on a store file (acquiring a held lock does nothing); no-op for in-memory stores."""

    def __init__(self, store_path: str, on_wait: Callable[[str], None] | None = _say_waiting) -> None:
        self.store_path = store_path
        self.path = None if store_path in ("", ":memory:") else store_path + ".lock"
        self.on_wait = on_wait
        self._fd: int | None = None

    def acquire(self) -> None:
        if self.path is None or self._fd is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if self.on_wait is not None:
                    self.on_wait(self.store_path)
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None
