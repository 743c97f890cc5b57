"""Events: one happening reported over several days in other words (undated reports included) is one event;
similar happenings (same kind, other place, people or date) stay apart; titles read like headlines."""

from __future__ import annotations

from datetime import date

from saidwhen.merge import EventGrouper
from saidwhen.merge.headline import event_title, lead_clause

QUAKE_DAY1 = """Earthquake kills twelve in Kestrelby

KESTRELBY, March 3 (Wire) - A strong earthquake struck the hill town of Kestrelby before dawn on Tuesday,
killing at least twelve people and trapping dozens under collapsed houses, Mayor Marta Oyelaran said.
The Vennland Geological Survey measured the quake at magnitude 6.1, centred four kilometres below Kestrelby.
Oyelaran said the old quarter around the Saint Brannoc church was worst hit and asked the Vennland army
for tents and generators.
"""

QUAKE_DAY3 = """Survivors pulled from rubble as Kestrelby counts its dead

Rescue teams digging through the ruins of Kestrelby's old quarter found two survivors on Thursday, two days
after the tremor flattened much of the town. Marta Oyelaran, the mayor, told reporters that the death toll
had risen to nineteen. Volunteers from the Vennland Red Cross handed out blankets near the Saint Brannoc
church, where families have slept in the square since the shaking began.
"""

QUAKE_UNDATED = """Aftershocks rattle Kestrelby as army tents go up

Aftershocks kept residents of Kestrelby out of their homes again, and the Vennland army put up a camp of
tents beside the Saint Brannoc church. Mayor Oyelaran thanked the soldiers and said the Vennland Geological
Survey had warned of further shocks.
"""

OTHER_QUAKE = """Earthquake hits Dunmarrow harbour

DUNMARROW, March 4 (Wire) - A strong earthquake struck the port city of Dunmarrow on Wednesday, killing at
least five people and damaging the harbour walls, Governor Ilse Tambor said. The quake had a magnitude of
5.8, according to the Vennland Geological Survey. Ferries were halted and the fish market near the
Dunmarrow lighthouse was closed while engineers from Tambor's office inspected the quays.
"""

TOWNS = ["Arnholt", "Belmora", "Carrowick", "Dellin", "Esker", "Fallow", "Garnet", "Hollin", "Ivel", "Jorum"]


def _background(grouper: EventGrouper) -> None:
    """A month of other news from the same country and wire, so that its name and the agencies that
    every report cites weigh what they weigh in a real collection."""
    for k in range(40):
        town = TOWNS[k % len(TOWNS)]
        text = (
            f"{town.upper()}, January {k % 28 + 1} (Wire) - The Vennland Geological Survey and the Vennland army "
            f"held a drill in {town} on Monday; Mayor Tomas {TOWNS[(k + 3) % len(TOWNS)]}son said schools in "
            f"{town} would practise evacuations every term."
        )
        grouper.add(f"bg{k}", text, date(2026, 1, k % 28 + 1))


KESTRELBY_LATER = """Earthquake shakes Kestrelby again

KESTRELBY, May 20 (Wire) - A new earthquake struck Kestrelby on Monday, killing three people, Mayor Marta
Oyelaran said. The Vennland Geological Survey measured it at magnitude 5.2, near the Saint Brannoc church.
"""


def _quakes() -> tuple[EventGrouper, dict[str, str]]:
    grouper = EventGrouper()
    _background(grouper)
    ids = {
        "day1": grouper.add("day1", QUAKE_DAY1, date(2026, 3, 3)),
        "other": grouper.add("other", OTHER_QUAKE, date(2026, 3, 4)),
        "day3": grouper.add("day3", QUAKE_DAY3, date(2026, 3, 5)),
        "undated": grouper.add("undated", QUAKE_UNDATED, None),
        "later": grouper.add("later", KESTRELBY_LATER, date(2026, 5, 20)),
    }
    return grouper, ids


def test_one_happening_over_days_and_undated_reports_is_one_event() -> None:
    grouper, ids = _quakes()
    assert ids["day1"] == ids["day3"] == ids["undated"]
    event = grouper.event(ids["day1"])
    assert event is not None and event.document_ids == ["day1", "day3", "undated"]
    assert event.date == date(2026, 3, 3) and event.place == "Kestrelby"


def test_similar_happenings_stay_apart() -> None:
    _, ids = _quakes()
    assert ids["other"] != ids["day1"]  # another town, another official, the next day
    assert ids["later"] not in {ids["day1"], ids["other"]}  # the same town months later


def test_undated_articles_never_bridge_dated_happenings() -> None:
    # dated reports look up dated articles only: an undated article joins the dated event it reports, but a
    # dated report weeks later cannot reach that event through it (nor through one that came first)
    grouper = EventGrouper()
    _background(grouper)
    first = grouper.add("undated", QUAKE_UNDATED, None)
    day1 = grouper.add("day1", QUAKE_DAY1, date(2026, 3, 3))
    assert day1 != first
    assert grouper.add("undated2", QUAKE_UNDATED + " More to follow.", None) in {first, day1}
    assert grouper.add("later", KESTRELBY_LATER, date(2026, 5, 20)) not in {first, day1}


def test_event_title_is_the_central_headline_with_place_and_date() -> None:
    grouper, ids = _quakes()
    event = grouper.event(ids["day1"])
    assert event is not None
    # day1 is the article the others joined through: its headline, then the date (the place is in it)
    assert event.title == "Earthquake kills twelve in Kestrelby — 3 March 2026"
    other = grouper.event(ids["other"])
    assert other is not None and other.title == "Earthquake hits Dunmarrow harbour — 4 March 2026"
    restored = EventGrouper.from_state(grouper.to_state())
    assert restored.event(ids["day1"]) == event
    assert restored.add("more", QUAKE_DAY3 + " More to follow.", date(2026, 3, 6)) == ids["day1"]


def test_lead_clause_skips_datelines_and_cuts_long_sentences() -> None:
    text = "\nMarch 3, 2026\nBRIGHTWATER, March 3 (Wire) - The harbour board approved a new ferry terminal on Tuesday, "
    text += "ending a dispute that had lasted eleven years and cost the town more than it could afford. More later."
    lead = lead_clause(text)
    assert lead == "The harbour board approved a new ferry terminal on Tuesday"
    assert lead_clause("Short line\n\nA headline with enough words here") == "A headline with enough words here"
    assert lead_clause("") is None
    assert event_title(None, None, None) == "(untitled)"
    assert event_title("Ferry terminal approved", "Brightwater", date(2026, 3, 3)) == (
        "Ferry terminal approved — Brightwater, 3 March 2026"
    )
