"""The internal attribution candidate shared by the quote and reported-speech finders."""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass
class Candidate:
    """One attribution in the (cleaned) analysis text: content fragments, cue, source mention."""

    content: list[Span]  # content fragments, in text order
    kind: str  # direct | indirect | mixed
    cue: str | None
    cue_span: Span | None
    source: Span | None  # the speaker mention
    confidence: float
    inherit: bool = False  # continuation quote: the speaker comes from the previous direct quote
    para: int = -1
    frame_end: int = -1  # where the attribution frame ends (split quotes continue after it)
    speaker: str | None = None
    speaker_type: str = "unknown"  # person | organisation | group | document | anonymous | unknown
    mention: str | None = None
    flags: set[str] = field(default_factory=set)
    written: Span | None = None  # the subject as written when it is a relative pronoun ("Smith, who said …")

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]

    def overlaps(self, span: Span) -> bool:
        return any(s < span[1] and span[0] < e for s, e in self.content)
