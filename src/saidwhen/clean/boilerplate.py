"""Boilerplate lines and link-list blocks recognised by pattern.

Every pattern looks at one stripped line. Precision comes first: prompts must be the whole line (or a short
line that starts with them), captions must end with a credit, and nothing here matches a sentence that
merely mentions reading, sharing, photos or comments.
"""

from __future__ import annotations

import re

MAX_PROMPT_CHARS = 220  # longer lines are article text, whatever they start with
MAX_CAPTION_CHARS = 400
MAX_LIST_ITEMS = 15  # headlines removed under one "Read also:" header
MAX_HEADLINE_CHARS = 160

# A label ends the line or is followed by a separator (a dash only with a space before it: not "Related-party").
_SEP = r"(?:\s*[:|»>→]|\s+[-–—]|\s*$)"

# Headers of link lists ("Read also:", "More like this", ...); `rest` is an inline headline, if any.
_LIST_HEADER = re.compile(
    r"(?i)(?:(?:read|see|watch)\s+(?:also|more|next)|also\s+read|further\s+reading|more\s+like\s+this"
    r"|you\s+(?:may|might|could)\s+(?:also\s+)?(?:be\s+interested(?:\s+in)?|like|enjoy)"
    r"|related(?:\s+(?:articles?|stories|news|content|coverage|reading|links?|posts?|topics|videos?))?"
    r"|recommended(?:\s+(?:for\s+you|articles?|stories|reading|videos?))?"
    r"|(?:most|more)\s+(?:read|popular|viewed|shared|stories|news|articles|from\s+(?-i:[A-Z])\w*(?:\s+\w+)?)"
    r"|top\s+stories|trending(?:\s+now)?|don'?t\s+miss|what\s+to\s+read\s+next|editor'?s\s+picks?"
    r"|latest\s+(?:news|stories|articles)|in\s+other\s+news|on\s+the\s+same\s+topic"
    r"|lesen\s+sie\s+auch|à\s+lire\s+aussi|lea\s+también|leggi\s+anche|czytaj\s+(?:też|także)"
    r"|читайте\s+(?:також|также))"
    rf"(?={_SEP})\s*[:|»>→\-–—]?\s*(?P<rest>.*)"
)

_BULLET = re.compile(r"(?:[-–—•*·▪►▶»>+●○◦■□✓➤→]\s*|\d{1,2}[.)]\s+)\S")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_QUOTE_MARK = re.compile(r"[\"“”„«»]")

# Whole-line labels and short prompts, anchored at the start; the group name is the reason.
_PROMPTS: dict[str, str] = {
    "comment": (
        r"(?:leave|post|add|write|submit)\s+(?:a\s+|your\s+)?(?:comment|reply)s?"
        r"|(?:log|sign)\s*in\s+(?:or\s+(?:register|sign\s+up)\s+)?to\s+(?:comment|reply|post)"
        r"|you\s+must\s+be\s+logged\s+in\s+to\s+(?:post|leave)\s+a\s+comment"
        r"|your\s+email\s+address\s+will\s+not\s+be\s+published|required\s+fields\s+are\s+marked"
        r"|save\s+my\s+name,?\s+email,?\s+and\s+website|notify\s+me\s+of\s+(?:new|follow-?up)\s+(?:comments|posts)"
        r"|join\s+the\s+(?:conversation|discussion)|be\s+the\s+first\s+to\s+comment|comments?\s+policy"
        r"|there\s+are\s+no\s+comments|(?:show|view|hide|load|read|see)\s+(?:all\s+)?(?:\d+\s+)?comments"
        r"|(?:\d+\s+)?comments?(?:\s*\(\d+\))?\s*$|cancel\s+reply\s*$|reply\s*$|comment\s*\*|(?:name|e-?mail)\s*\*"
    ),
    "share": (
        r"share(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page|video))?(?:\s+(?:on|via|with)\s+[\w ]{1,30})?"
        r"\s*[:!.]?\s*$"
        r"|(?:click\s+to\s+)?share\s+(?:on|via)\s+(?:facebook|twitter|x|whatsapp|telegram|linkedin|reddit|"
        r"e-?mail|pinterest|viber|messenger|flipboard|vk|bluesky|threads)\b"
        r"|follow\s+us(?:\s+on\s+[\w ,]{1,40})?\s*[:!.]?\s*$|follow\s+us\s+on\s+(?:telegram|twitter|facebook|"
        r"instagram|google\s+news|youtube|x|tiktok|linkedin|whatsapp|viber)"
        r"|(?:subscribe|join)\s+(?:to\s+)?(?:us|our)\s+(?:on\s+)?(?:telegram|youtube|whatsapp|viber)"
        r"|(?:tweet|email|e-mail|print|copy\s+link|facebook|twitter|whatsapp|telegram|linkedin|pinterest|"
        r"reddit|messenger|viber|flipboard)\s*$"
    ),
    "watch": rf"watch(?:\s+(?:now|live|video|the\s+video|here))?{_SEP}|video\s*[:|]|live\s*:\s*$",
    "advertisement": (
        r"(?:advertisement|advertising|ad|sponsored(?:\s+content)?|promoted(?:\s+content)?|"
        r"(?:paid\s+)?partner\s+content|skip\s+advertisement|(?:story|article)\s+continues\s+(?:below|after)"
        r"(?:\s+(?:this\s+)?(?:advertisement|ad))?|continue\s+reading(?:\s+(?:below|the\s+main\s+story))?|"
        r"scroll\s+to\s+continue(?:\s+with\s+content)?)\s*[:.]?\s*$"
    ),
    "subscribe": (
        r"(?:subscribe|register)\s+(?:now|today|here|for\s+free|to\s+(?:our|the)\s+\w*\s*newsletter)"
        r"|subscribe\s*[:!.]?\s*$|(?:sign|signing)\s+up\b.{0,80}\b(?:newsletters?|inbox|alerts|briefing)"
        r"|get\s+(?:the\s+latest|our)\b.{0,80}\b(?:newsletter|inbox|delivered)|newsletters?\s*[:!.]?\s*$"
        r"|already\s+(?:a\s+subscriber|have\s+an\s+account)|(?:by\s+)?(?:signing\s+up|subscribing),?\s+you\s+agree"
        r"|thank\s+you\s+for\s+(?:signing\s+up|subscribing)|enter\s+your\s+email(?:\s+address)?"
        r"|this\s+(?:article|content|story)\s+is\s+(?:only\s+)?(?:available|for)\s+(?:to\s+)?subscribers"
        r"|support\s+(?:our|independent)\s+journalism|become\s+a\s+(?:member|subscriber|patron)"
    ),
    "cookie": (
        r"(?:we|this\s+(?:web)?site|our\s+(?:web)?site)\s+uses?\s+cookies"
        r"|by\s+(?:continuing\s+to\s+(?:use|browse)|using)\s+(?:this|our)\s+(?:web)?site,?\s+you\s+"
        r"(?:agree|consent|accept)|(?:accept|allow|reject|manage)(?:\s+all)?\s+cookies|cookie\s+"
        r"(?:settings|policy|preferences|consent|notice)|we\s+value\s+your\s+privacy"
    ),
    "copyright": (
        r"©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\))?\s*\d{4}|all\s+rights\s+reserved"
        r"|this\s+material\s+may\s+not\s+be\s+published,\s+broadcast"
    ),
    "navigation": (
        r"(?:skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|(?:next|previous)\s+(?:article|story|post)|"
        r"home|menu|search|close)\s*$|(?:tags?|topics|filed\s+under|categories)\s*(?::\s*.{0,200})?$"
    ),
    "caption": (
        r"(?:file\s+)?(?:photo|image|picture|photograph|foto|pic|illustration|cover\s+photo|main\s+photo|"
        r"top\s+photo|featured\s+image|header\s+image)s?(?:\s+(?:credit|source|by))?\s*[:|]\s*\S"
        r"|(?:photo|image)\s+(?:credit|source)\b|(?:photographer|credits?)\s*:|photo\s+by\s+[^.]{1,80}$"
        r"|(?:getty\s+images|shutterstock|afp\s+via\s+getty\s+images)\s*$"
    ),
}
_PROMPT = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _PROMPTS.items()), re.I)

# Longest line each kind of prompt may be; sentence-like prompts are allowed to be longer.
_PROMPT_CAP = {"comment": 90, "share": 80, "watch": 160, "advertisement": 60, "subscribe": 160}

_AGENCY = (
    r"AFP|AP|EPA(?:-EFE)?|REUTERS|Reuters|Getty\s+Images|Shutterstock|Bloomberg|Sputnik|TASS|Anadolu(?:\s+Agency)?"
    r"|Xinhua|Ukrinform|UNIAN|Alamy|Pool|NurPhoto|SOPA\s+Images|LightRocket|Corbis|dpa|picture\s+alliance|AAP"
    r"|Imago|ZUMA(?:\s+Press)?|Zuma\s+Press|Polaris|Redux"
)
# Credits ending a caption line, and copyright footers; searched in the line's tail only.
_LINE_END = re.compile(
    rf"(?P<caption>[|/]\s*(?:{_AGENCY})(?:\s*(?:[|/]|\bvia\b)\s*[\w .&'-]{{1,40}}){{0,3}}\s*\)?\.?$"
    r"|\((?i:photo|image|photograph|picture|pic|video)s?\s*(?i:by|credit|courtesy(?:\s+of)?|:)[^()]{1,120}\)\.?$"
    r"|\((?:AP|AFP|Reuters|EPA|Getty)\b[^()]{0,20}(?i:photo|images?)\b[^()]{0,80}\)\.?$"
    r"|\b(?:REUTERS|AFP|EPA|EPA-EFE|TASS|AP\s+Photo)\s*/\s*[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\s*\)?\.?$"
    r"|(?<=[.!?]\s)(?:Photo|Image|Credit|Photograph|Picture)s?\s*:\s*[^.!?]{1,80}$"
    r"|\bGetty\s+Images\s*\)?\.?$)"
    r"|(?P<copyright>(?i:all\s+rights\s+reserved)\.?$)"
)
_TAIL = 200
_END_HINT = re.compile(r"[|/(:]|Getty|reserved")  # every _LINE_END match has one in the last 130 chars
# Style sheets and scripts that leaked into the text: `.selector {`, `}`, `width: 100%;`.
_CODE = re.compile(
    r"(?:@media\b.*|[@.#]?[\w\-.#:, >()]*\{\s*|[\w\-.#:, >()]*\{[^{}]*\}?|\}\.?|-?[a-z]+(?:-[a-z]+)*\s*:\s*[^;{}]{1,80};)\s*$"
)


def list_header(line: str) -> str | None:
    """For a link-list header ("Read also:", "More like this"), the inline rest of the line ("" when none)."""
    if len(line) > MAX_PROMPT_CHARS:
        return None
    m = _LIST_HEADER.match(line)
    return None if m is None else m.group("rest")


def is_bullet(line: str) -> bool:
    return _BULLET.match(line) is not None


def ends_sentence(line: str) -> bool:
    return _SENTENCE_END.search(line[-4:]) is not None


def headline_like(line: str) -> bool:
    """A line of a link list: a bullet, or a short line that does not read as a finished sentence."""
    if is_bullet(line):
        return len(line) <= 2 * MAX_HEADLINE_CHARS
    if len(line) > MAX_HEADLINE_CHARS or (ends_sentence(line) and _QUOTE_MARK.search(line)):
        return False  # a paragraph, or a quote
    tail = line.rstrip("\"'”’»)]")[-1:]
    if tail in ".:,;" or line[0].islower():
        return False  # a sentence, or part of one
    return len(line) <= 120 or tail not in "!?…"


def line_reason(line: str) -> str | None:
    """Why a stripped, non-blank line is boilerplate, or None when it is article text."""
    n = len(line)
    if n <= MAX_PROMPT_CHARS:
        m = _PROMPT.match(line)
        if m is not None and n <= _PROMPT_CAP.get(m.lastgroup or "", MAX_PROMPT_CHARS):
            kind = m.lastgroup
            if kind == "caption":
                return "caption"
            return "share-prompt" if kind == "share" else f"boilerplate:{kind}"
        if (line[-1] in "{};" or line[0] == "}") and _CODE.match(line):
            return "boilerplate:code"
    if n <= MAX_CAPTION_CHARS and _END_HINT.search(line, max(0, n - 130)):
        m = _LINE_END.search(line, max(0, n - _TAIL))
        if m is not None:
            return "caption" if m.lastgroup == "caption" else "boilerplate:copyright"
    return None
