"""Word lists and regex fragments for the time expression tagger (English)."""

from __future__ import annotations

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip

NUMBERS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a": 1, "an": 1, "a single": 1, "a couple of": 2, "a couple": 2, "a dozen": 12, "dozen": 12,
}  # fmt: skip

ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
}

DECADE_WORDS: dict[str, int] = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip

# unit word -> (prefix, TimeML unit letter)
UNITS: dict[str, tuple[str, str]] = {
    "second": ("PT", "S"), "minute": ("PT", "M"), "hour": ("PT", "H"), "day": ("P", "D"),
    "night": ("P", "D"), "week": ("P", "W"), "weekend": ("P", "WE"), "month": ("P", "M"),
    "quarter": ("P", "Q"), "year": ("P", "Y"), "decade": ("P", "DE"), "century": ("P", "CE"),
    "centurie": ("P", "CE"),
}  # fmt: skip

SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON_MONTH: dict[str, int] = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}

PARTS_OF_DAY: dict[str, str] = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}

# -- regex fragments (used inside patterns compiled without IGNORECASE where capitalisation matters) --

_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = r"Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.|Jul\.|Aug\.?|Sept\.?|Sep\.|Oct\.?|Nov\.?|Dec\.?"
MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_FULL.upper()}|{_MONTH_ABBR})"
MONTH_FULL = rf"(?:{_MONTH_FULL})"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAYNUM = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[6-9][0-9]{2}|20[0-9]{2})"

_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
NUMWORD = (
    rf"(?:(?:{_TENS})(?:[- ](?:{_ONES}))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
    rf"|eighteen|nineteen|ten|{_ONES}|zero|a couple of|a couple|a dozen|a single|\d+(?:\.\d+)?|an|a)"
)
FEW = r"(?:a few|few|several|many|some|a number of|numerous|the)"
UNIT = r"(?:second|minute|hour|day|night|weekend|week|month|quarter|year|decade|centur(?:y|ie))"
