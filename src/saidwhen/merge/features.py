"""Merge features: what the merge components compute from one article's own text, before comparing it
with anything else.

Each component has a pure method for its part (`DuplicateIndex.fingerprint`, `EventGrouper.features`,
`statements.stem_keys`, `ClaimLinker.features`, and the embedding hook's `vectors`); the result depends only
on the text and the component's parameters. So a worker process can compute them for a batch while the main
process merges the previous one (`CorpusMerger.features`, with a merger rebuilt from `CorpusMerger.params()`
in the worker), and `CorpusMerger.add(..., features=)` then only compares: the same links as computing them
in place, less work in the one process that has to see every article in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from saidwhen.merge.claims import ClaimKeys
from saidwhen.merge.dating import DatingFeatures
from saidwhen.merge.duplicates import Fingerprint
from saidwhen.merge.events import EventFeatures
from saidwhen.merge.statements import StemKeys


@dataclass
class StatementFeatures:
    """One statement text's features: for the statement merger, the claim linker, and its embedding
    (None when the hook does not judge it, or none was computed)."""

    merge: StemKeys
    claim: ClaimKeys
    vector: np.ndarray | None = None


@dataclass
class DocumentFeatures:
    """One article's features: its text's for duplicates and events, and its statements', by text."""

    duplicate: Fingerprint
    event: EventFeatures
    statements: dict[str, StatementFeatures] = field(default_factory=dict)
    dating: DatingFeatures | None = None
