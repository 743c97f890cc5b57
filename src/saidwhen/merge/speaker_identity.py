"""Which speaker strings name the same speaker across documents.

Speaker strings of one person differ from article to article: "Frank Cicutto" and "Cicutto", "John Mabry"
and "John Mabry Jr", "Sen. Ann Cole" and "Ann Cole", "U.S. researchers" and "US researchers". Equal strings
are not enough, and a shared surname is too much ("Ann Cole" and "Tom Cole" are two people).

- `speaker_key` normalises a string: case, "U.S." -> "us", leading titles ("Sen.", "President", "Dr") and a
  trailing generational suffix ("Jr", "Sr", "III", kept apart) removed.
- `SpeakerIdentity` knows the names a corpus has used so far and decides `same(a, b)`: equal keys (with no
  conflicting suffixes: "John Mabry Sr" is not "John Mabry Jr"), or a surname alone and a full name with
  that surname when the corpus names exactly one person with it. Two different full names, or a surname the
  corpus uses for two people, stay apart. `block` is the key components block candidates by (the surname):
  every pair `same` may accept shares it.
- `named_speaker` is the speaker string identity is about: an unnamed source ("officials (unnamed)", the
  description the statement stage keeps when nobody is named) is nobody in particular, so two documents'
  "officials" are never one speaker; the mergers treat it as no speaker (near-identical text from one
  duplicate group only; no speaker postings for restatements).
- `full_name_in_text` is the article's own evidence: a surname alone in an article that names exactly one
  full name ending in it ("Frank Cicutto ... Cicutto said") is that name.

Used by the statement merger and the claim linker (`saidwhen.merge`); pure and deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from saidwhen.merge._columns import OptionalStrings
from saidwhen.merge._text import STOP_CAPS, normalise, words

_TITLE_WORDS = """mr mrs ms miss mx dr prof professor sir dame lord lady sen senator rep representative
    congressman congresswoman gov governor president vice prime minister chancellor secretary
    gen lt col maj capt sgt adm admiral commander cmdr rev reverend fr father pastor rabbi imam sheikh judge
    mayor deputy ambassador king queen prince princess pope cardinal bishop hon"""
TITLES = frozenset(_TITLE_WORDS.split())
SUFFIXES = {"jr": "jr", "jnr": "jr", "junior": "jr", "sr": "sr", "snr": "sr", "senior": "sr",
            "ii": "ii", "iii": "iii", "iv": "iv"}  # fmt: skip
# capitalised at the start of a sentence before a surname ("Later Cole said"), never a first name
_NOT_FIRST_NAMES = frozenset(words("""later earlier finally instead afterwards again still yet thus hence nevertheless
    nonetheless previously recently separately speaking asked adding"""))
UNNAMED = " (unnamed)"  # the suffix of an unnamed source's label (`statements.sources.UNNAMED`)
_INITIALS = re.compile(r"(?<![^\W\d_])([^\W\d_])\.")  # "u.s." -> "us", "j. smith" -> "j smith"
_NAME_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass(frozen=True)
class SpeakerKey:
    """A speaker string normalised for comparison: `name` without titles or suffix, the `suffix` ("jr",
    "sr", "iii" or ""), and whether every word of the name was capitalised (`proper`: a person's or an
    organisation's name, not a description such as "officials")."""

    name: str
    suffix: str = ""
    proper: bool = False

    @property
    def surname(self) -> str:
        return self.name.rsplit(" ", 1)[-1]

    @property
    def single(self) -> bool:
        return " " not in self.name


@lru_cache(maxsize=65_536)
def speaker_key(speaker: str) -> SpeakerKey:
    """The comparison key of a speaker string (see the module doc)."""
    original = _NAME_WORD.findall(_INITIALS.sub(r"\1", speaker))
    words = [normalise(w) for w in original]
    suffix = ""
    while len(words) > 1 and words[-1] in SUFFIXES:
        suffix = suffix or SUFFIXES[words[-1]]
        words.pop()
        original.pop()
    start = 0
    while start < len(words) - 1 and words[start] in TITLES:
        start += 1
    words, original = words[start:], original[start:]
    if not words:
        return SpeakerKey(normalise(speaker).strip())
    proper = all(w[:1].isupper() for w in original)
    return SpeakerKey(" ".join(words), suffix, proper)


def named_speaker(speaker: str | None) -> str | None:
    """`speaker` when it names someone; None for no speaker or an unnamed source ("officials (unnamed)")."""
    return None if not speaker or speaker.endswith(UNNAMED) else speaker


def block(speaker: str) -> str:
    """The blocking key of a speaker string: the last word of its key (the surname of a person). Any two
    strings `SpeakerIdentity.same` may accept have the same block."""
    return speaker_key(speaker).surname


class SpeakerIdentity:
    """The full names a corpus has used, by surname; `observe` each speaker string as it comes."""

    def __init__(self, speakers: list[str] | None = None) -> None:
        self._full: dict[str, set[str]] = {}
        for s in speakers or ():
            self.observe(s)

    def observe(self, speaker: str) -> SpeakerKey:
        key = speaker_key(speaker)
        if key.proper and not key.single:
            self._full.setdefault(key.surname, set()).add(key.name)
        return key

    def people(self, surname: str) -> set[str]:
        """The full names seen with this surname (normalised)."""
        return self._full.get(normalise(surname), set())

    def same(self, a: str | SpeakerKey, b: str | SpeakerKey) -> bool:
        """Whether two speaker strings (or keys) name the same speaker, on what the corpus has shown."""
        ka = a if isinstance(a, SpeakerKey) else speaker_key(a)
        kb = b if isinstance(b, SpeakerKey) else speaker_key(b)
        if ka.suffix and kb.suffix and ka.suffix != kb.suffix:
            return False
        if ka.name == kb.name:
            return True
        if ka.single == kb.single or not (ka.proper and kb.proper):
            return False  # two different full names, or two different single words
        short, full = (ka, kb) if ka.single else (kb, ka)
        return short.name == full.surname and self._full.get(short.name) == {full.name}

    def same_rows(self, speaker: str, speakers: OptionalStrings, rows: np.ndarray) -> np.ndarray:
        """Which `rows` of a speaker column name the same speaker as `speaker` (a boolean array): one test
        per distinct string."""
        codes = speakers.codes_at(rows)
        ok = codes == speakers.vocab.codes.get(speaker, -2)
        words = speakers.vocab.words
        for code in np.unique(codes[~ok]).tolist():
            if code >= 0 and self.same(speaker, words[code]):
                ok |= codes == code
        return ok


def full_name_in_text(speaker: str, text: str) -> str | None:
    """The one full name ("First Surname" or "First M. Surname") in `text` that ends in `speaker` when
    `speaker` is a capitalised single name ("Cicutto" in an article naming "Frank Cicutto"); None when the
    text names none or several ("Ann Cole" and "Tom Cole"). A first word that is a title, a stop word or
    occurs in lower case in the text too ("Later Cicutto said ... later") is not a first name."""
    key = speaker_key(speaker)
    if not key.single or not key.proper or len(key.name) < 2:
        return None
    surname = speaker.strip().split()[-1]
    found: dict[str, str] = {}
    lower: set[str] | None = None
    for m in re.finditer(rf"\b([A-Z][a-z'’-]+)\s+(?:([A-Z])\.?\s+)?{re.escape(surname)}\b", text):
        first = m.group(1)
        word = normalise(first)
        if word in STOP_CAPS or word in TITLES or word in _NOT_FIRST_NAMES:
            continue  # "When Cicutto", "Senator Cicutto", "Later Cicutto"
        if lower is None:
            lower = set(re.findall(r"\b[a-z][a-z'’-]+\b", text))
        if word in lower:
            continue
        full = " ".join(w for w in (first, m.group(2) and m.group(2) + ".", surname) if w)
        found.setdefault(speaker_key(full).name, full)
    return next(iter(found.values())) if len(found) == 1 else None
