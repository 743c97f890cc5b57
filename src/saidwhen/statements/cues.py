"""Cue lexicon: speech and attitude verbs with their inflected forms (the pipeline runs without a
lemmatizer, so forms are listed here), role words, pronouns, and the prefilter regex."""

from __future__ import annotations

import re

# lemma -> irregular forms (past, participle); regular forms are generated
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("said",),
    "tell": ("told",),
    "write": ("wrote", "written"),
    "think": ("thought",),
    "feel": ("felt",),
    "know": ("knew", "known"),
    "see": ("saw", "seen"),
    "hear": ("heard",),
    "find": ("found",),
    "show": ("shown",),
    "speak": ("spoke", "spoken"),
    "foresee": ("foresaw", "foreseen"),
    "forbid": ("forbade", "forbidden"),
    "teach": ("taught",),
    "read": ("read",),
    "mean": ("meant",),
    "seek": ("sought",),
}

# the irregular past and participle forms ("said", "written")
IRREGULAR_PAST = frozenset(form for forms in _IRREGULAR.values() for form in forms)

# speech verbs: a clausal complement of these is a statement
SPEECH_VERBS = ["say", "tell", "state", "note", "emphasize", "emphasise", "stress", "remind", "add", "announce", "declare", "warn", "argue", "insist", "claim", "deny", "admit", "acknowledge", "suggest", "explain", "write", "tweet", "post", "ask", "urge", "promise", "pledge", "vow", "confirm", "comment", "remark", "report", "reply", "respond", "answer", "retort", "reiterate", "repeat", "recall", "predict", "caution", "concede", "contend", "assert", "maintain", "allege", "accuse", "charge", "complain", "testify", "disclose", "reveal", "indicate", "point", "observe", "mention", "describe", "estimate", "propose", "recommend", "demand", "threaten", "boast", "brag", "joke", "quip", "lament", "mourn", "acknowledge", "estimate", "affirm", "counter", "conclude", "continue", "advise", "inform", "assure", "reassure", "guarantee", "hint", "signal", "stipulate", "specify", "predict", "forecast", "proclaim", "exclaim", "shout", "whisper", "tout", "concede", "underline", "underscore", "highlight"]

# attitude verbs (beliefs, expectations): statements only with a clausal complement
ATTITUDE_VERBS = ["believe", "expect", "think", "feel", "hope", "fear", "worry", "doubt", "agree", "disagree", "know",
                  "show", "find"]  # evidential: "a poll shows that …"

# multi-word cues: verb + particle/preposition (content follows the particle)
PHRASAL = {
    ("call", "for"),
    ("call", "on"),
    ("call", "upon"),
    ("point", "out"),
    ("warn", "against"),
    ("warn", "of"),
    ("speak", "of"),
    ("speak", "about"),
    ("talk", "about"),
    ("argue", "for"),
    ("argue", "against"),
    ("push", "for"),
    ("press", "for"),
}

VERB_OBJECT_CUES = {  # verbs whose direct object can be the content ("denied the allegations")
    "announce", "deny", "confirm", "reject", "predict", "acknowledge", "admit", "propose", "demand",
    "promise", "pledge", "vow", "reiterate", "dismiss", "defend", "recommend", "concede",
}

VERB_XCOMP_CUES = {  # "urged X to", "promised to", "vowed to", "called on X to"
    "urge", "ask", "promise", "pledge", "vow", "call", "threaten", "tell", "warn", "advise",
    "encourage", "expect", "hope", "plan", "want", "intend", "seek",
}

# intentions of a clear subject: "X plans to …", "X intends to …" (content = the to-clause). "wants/hopes/seeks
# to" were tried and left out: on PolNeAR train their sources were right only ~57% of the time.
INTENTION_VERBS = {"plan", "intend"}


def _regular_forms(lemma: str) -> set[str]:
    if lemma.endswith("e"):
        past, ing = lemma + "d", lemma[:-1] + "ing"
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        past, ing = lemma[:-1] + "ied", lemma + "ing"
    elif re.fullmatch(r".*[^aeiou][aeiou][pt]", lemma) and lemma in {"admit", "quip", "regret", "commit"}:
        past, ing = lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"
    else:
        past, ing = lemma + "ed", lemma + "ing"
    if re.search(r"(s|sh|ch|x|z)$", lemma):
        third = lemma + "es"
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    return {lemma, past, ing, third}


def _build_forms(lemmas: list[str]) -> dict[str, str]:
    forms: dict[str, str] = {}
    for lemma in lemmas:
        regular = _regular_forms(lemma)
        if lemma in _IRREGULAR:
            regular = {lemma, lemma + ("es" if lemma.endswith("s") else "s"), *_IRREGULAR[lemma]}
            regular.add((lemma[:-1] if lemma.endswith("e") else lemma) + "ing")
            if lemma == "say":
                regular.add("says")
        for form in regular:
            forms.setdefault(form, lemma)
    return forms


SPEECH_FORMS = _build_forms(SPEECH_VERBS + ["tweet", "post"])
ATTITUDE_FORMS = _build_forms(ATTITUDE_VERBS)
OTHER_FORMS = _build_forms(sorted(VERB_XCOMP_CUES | {"call", "point", "talk", "speak", "push", "press", "encourage"}))
ALL_FORMS: dict[str, str] = {**OTHER_FORMS, **ATTITUDE_FORMS, **SPEECH_FORMS}


# broad mode only (benchmark, PolNeAR-style attributions): evaluative speech acts and intentions
_BROAD = """
describe criticize criticise accuse praise tout cite refer defend reject dismiss endorse mention discuss respond
blame decry denounce slam attack question challenge applaud welcome condemn hail mock thank want plan intend
seek support oppose propose consider view regard doubt wonder ask label dub brand characterize portray
"""
BROAD_VERBS = _BROAD.split()
BROAD_FORMS = _build_forms(BROAD_VERBS)
BROAD_WORDS = frozenset(BROAD_FORMS)


# evaluative speech acts with a clear subject and object, kept in the default mode (their precision on
# PolNeAR train is about that of speech verbs): "X criticized Y", "X endorsed Y", "X accused Y of Z". Not
# "attack" (physical attacks) and not the broad mode's intentions ("wants to").
EVALUATIVE_VERBS = ["criticize", "criticise", "praise", "endorse", "cite", "defend", "dismiss", "mention", "mock",
                    "reject", "decry", "denounce", "condemn", "describe", "portray", "question", "oppose", "accuse",
                    "blast", "slam", "applaud", "hail", "ridicule", "lambaste", "chide", "rebuke", "assail", "blame",
                    "welcome", "support", "thank", "challenge"]
# finite forms only ("criticized", "endorses"): bare and -ing forms are mostly generic or embedded
EVALUATIVE_FORMS = frozenset(f for f, lemma in _build_forms(EVALUATIVE_VERBS).items()
                             if f != lemma and not f.endswith("ing"))


# nominal cues with a possessor and a that-clause: "Trump's claim that …", "her warning that …"
NOMINAL_CUES = frozenset({
    "claim", "claims", "assertion", "argument", "suggestion", "insistence", "warning", "promise", "pledge", "view",
    "belief", "contention", "allegation", "charge", "accusation", "statement", "comment", "comments", "remark",
    "remarks", "prediction", "assurance", "admission", "complaint", "announcement", "vow",
})


def lemma_of(word: str) -> str | None:
    """The cue lemma of an inflected verb form, or None."""
    return ALL_FORMS.get(word.lower())


def is_speech(word: str) -> bool:
    return word.lower() in SPEECH_FORMS


def is_attitude(word: str) -> bool:
    return word.lower() in ATTITUDE_FORMS


_CUE_WORDS = sorted(set(SPEECH_FORMS) | set(ATTITUDE_FORMS) | {"according", "calls", "called", "calling", "call"},
                    key=len, reverse=True)
# intention forms with a subject ("plans", "intended"; not the bare "plan", mostly generic or nominal)
INTENTION_FORMS = frozenset(f for f, lemma in _build_forms(sorted(INTENTION_VERBS)).items() if f != lemma)
CUE_WORDS = frozenset(w.lower() for w in _CUE_WORDS) | INTENTION_FORMS | EVALUATIVE_FORMS | NOMINAL_CUES
WORD_RE = re.compile(r"[A-Za-z]+")
CUE_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, _CUE_WORDS)) + r")\b", re.IGNORECASE)
# post-quote cues only (for "..., X said" / "..., said X" frames after a quote)
FRAME_CUE_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(SPEECH_FORMS, key=len, reverse=True))) + r")\b")

PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f", "i": "?", "me": "?"}
GROUP_PRONOUNS = {"they", "we", "them", "us"}

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "rev", "mx"}
FEMALE_HONORIFICS = {"mrs", "ms", "miss", "dame", "lady"}
MALE_HONORIFICS = {"mr", "sir", "lord"}

# words that make a title/role description ("NATO Secretary General", "the former president")
ROLE_WORDS = {
    "president", "vice", "prime", "minister", "secretary", "general", "secretary-general", "chancellor",
    "senator", "sen", "rep", "representative", "congressman", "congresswoman", "governor", "gov", "mayor",
    "chairman", "chairwoman", "chair", "chief", "head", "leader", "spokesman", "spokeswoman", "spokesperson",
    "director", "ambassador", "commissioner", "speaker", "candidate", "nominee", "adviser", "advisor",
    "official", "officials", "ceo", "executive", "founder", "manager", "attorney", "judge", "justice",
    "king", "queen", "prince", "pope", "foreign", "defense", "defence", "deputy", "former", "acting",
    "state", "press", "campaign", "party", "national", "security", "analyst", "strategist", "pollster",
    "professor", "expert", "economist", "commander", "colonel", "lt", "col", "gen", "admiral", "lieutenant",
    "sergeant", "captain", "officer", "democratic", "republican", "presidential", "host", "author", "boss",
    "envoy", "diplomat", "lawmaker", "lawmakers", "delegate", "activist", "assistant", "aide", "aides",
    "staff", "staffer", "treasurer", "presumptive", "incumbent", "longtime", "top", "senior", "chairperson",
    "coach", "engineer", "farmer", "organiser", "organizer", "master", "lawyer", "doctor", "teacher", "pastor",
    "bishop", "player", "actor", "singer", "owner", "councillor", "councilman",
    "councilwoman", "trustee", "inspector", "detective", "sheriff", "superintendent", "principal", "editor",
    "member",
}
ROLE_MODIFIERS = {
    "vice", "prime", "foreign", "defense", "defence", "deputy", "former", "acting", "state", "press", "campaign",
    "party", "national", "security", "democratic", "republican", "presidential", "presumptive", "incumbent",
    "longtime", "top", "senior", "executive", "staff", "sen", "rep", "gov", "lt", "col", "gen",
}
GENERIC_HEADS = {"leader", "chief", "head", "boss"}
ORG_WORDS = {
    "ministry", "office", "department", "committee", "council", "commission", "party", "campaign",
    "government", "agency", "administration", "union", "alliance", "organization", "organisation",
    "association", "institute", "bureau", "court", "parliament", "congress", "senate", "house", "kremlin",
    "pentagon", "police", "army", "company", "corporation", "inc", "group", "foundation", "center", "centre",
    "network", "news", "press", "times", "post", "journal", "university", "bank", "fund", "board",
    "coalition", "movement", "service", "services", "authority", "authorities", "embassy", "nato", "un",
    "eu", "fbi", "cia", "who", "spokesperson's", "conference",
}
GROUP_HEADS = {
    "ministers", "officials", "leaders", "members", "lawmakers", "diplomats", "experts", "analysts",
    "critics", "supporters", "democrats", "republicans", "voters", "residents", "protesters", "activists",
    "investigators", "prosecutors", "police", "authorities", "sources", "aides", "advisers", "organizers",
    "spokesmen", "representatives", "delegates", "senators", "governors", "scientists", "researchers",
}
