"""Names of the made-up organisations: their parts, and drawing distinct ones.

>>> import random
>>> picker = NamePicker(random.Random(1), n_actors=100)
>>> picker.pick("nhs_mental_health", 0, ())
'Fernbridge Mental Health NHS Trust'
"""

from __future__ import annotations

import difflib
import random

from netmap.synthetic.borough import BOROUGH

COMMUNITY_WORD = {
    "bangladeshi": "Bangladeshi", "chinese": "Chinese", "indian": "Indian", "pakistani": "Pakistani",
    "other_asian": "Asian", "african": "African", "caribbean": "Caribbean", "other_black": "Black",
    "white_and_asian": "Mixed Heritage", "white_and_black_african": "Mixed Heritage",
    "white_and_black_caribbean": "Mixed Heritage", "other_mixed": "Mixed Heritage", "irish": "Irish",
    "gypsy_or_irish_traveller": "Traveller", "other_white": "European", "any_other": "New Communities",
}
#: Made-up street and area names that make organisation names distinct.
PLACES: tuple[str, ...] = (
    "Ashgrove", "Beechcroft", "Brookfield", "Canalside", "Castlegate", "Cherry Tree", "Coppice", "Dale End",
    "Elmstead", "Fairfield", "Foxhill", "Gorse Lane", "Greenacre", "Hawthorn", "Heathside", "Hollybank",
    "Ivy Road", "Juniper", "Kingsmead", "Larkrise", "Linden", "Maple", "Meadowvale", "Millbrook", "Moorside",
    "Northgate", "Oakwood", "Orchard", "Parkside", "Primrose", "Quarry Hill", "Redbrook", "Rosehill", "Rowan",
    "Saltwell", "Sandpits", "Silverdale", "Springfield", "Stonebridge", "Sycamore", "Thornbury", "Townend",
    "Underhill", "Victoria Road", "Waterside", "Westfield", "Willowbank", "Woodlands", "Yewtree", "Zetland",
)
#: (themes, forms) of generated names: "<place> <theme> <form>" or "<place> <form>".
NAME_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "vcse_provider": (("Wellbeing", "Recovery", "Youth", "Women's", "Men's", "Befriending", "Counselling",
                       "Advice", "Peer Support", "Family", "Elders", "Refugee", "Mental Health", "Food",
                       "Housing Support", "Bereavement"),
                      ("Project", "Trust", "Centre", "Network", "Service", "Hub", "Association")),
    "community_group": ((), ("Community Association", "Elders Group", "Women's Group", "Youth Forum",
                             "Cultural Society", "Wellbeing Circle", "Men's Group", "Parents' Network")),
    "faith_group": ((), ("Church", "Mosque", "Gurdwara", "Mandir", "Buddhist Centre", "Faith Network",
                         "Pentecostal Church", "Islamic Centre")),
    "primary_care": ((), ("Surgery", "Medical Practice", "Health Centre", "Primary Care Network",
                          "Family Practice")),
    "housing": ((), ("Homes", "Housing Association", "Homelessness Service", "Supported Housing",
                     "Housing Co-operative")),
    "education": ((), ("Primary School", "Academy", "College", "Adult Learning Service", "High School")),
    "employment_welfare": ((), ("Jobcentre", "Debt Advice", "Welfare Rights", "Employment Support",
                                "Citizens Advice Outreach")),
    "advocacy_activism": ((), ("Race Equality Campaign", "Mental Health Advocacy", "Anti-Racism Network",
                               "Independent Advocacy", "Justice Collective")),
    "arts_culture": ((), ("Museum", "Gallery", "Arts Collective", "Theatre", "Music Project",
                          "Heritage Trust")),
    "local_authority": ((), ("Council Neighbourhood Team",)),
    "vcse_infrastructure": ((), ("Voluntary Sector Network",)),
    "patient_voice": ((), ("Patient Participation Group",)),
    "service_user_led": ((), ("Service User Forum",)),
    "carer_led": ((), ("Carers Together",)),
    "nhs_mental_health": ((), ("Community Mental Health Team",)),
    "commissioner": ((), ("Commissioning Hub",)),
    "academic_research": ((), ("Research Unit",)),
    "national_body_funder": ((), ("Community Fund",)),
}
#: Names used first, in order, for the few actors of these constituencies.
FIXED_NAMES: dict[str, tuple[str, ...]] = {
    "nhs_mental_health": (f"{BOROUGH} Mental Health NHS Trust",),
    "commissioner": (f"{BOROUGH} Place Team, Riverlands ICB", f"{BOROUGH} Joint Commissioning Unit"),
    "local_authority": (f"{BOROUGH} Borough Council", f"{BOROUGH} Public Health",
                        "Adult Social Care Directorate", "Council Communities Team"),
    "vcse_infrastructure": (f"{BOROUGH} Council for Voluntary Service", f"{BOROUGH} BME Forum",
                            "Volunteer Centre"),
    "patient_voice": (f"Healthwatch {BOROUGH}",),
    "academic_research": (f"University of {BOROUGH} Centre for Mental Health Research",
                          f"{BOROUGH} Institute of Community Health",
                          "Riverlands Applied Research Collaboration"),
    "national_body_funder": ("Riverlands Community Foundation", "National Mental Health Equity Fund",
                             "Health Research Charitable Trust"),
    "service_user_led": (f"{BOROUGH} Survivors Voice",),
}
#: Up to this many actors, names too close to an earlier one are redrawn (netmap warns about them).
DISTINCT_NAMES_UP_TO = 600
#: Above this many actors a repeated name is told apart by a ward ("..., Ashgrove ward"), as real
#: registers tell apart same-named branches, rather than by a number ("... (2)"), which would make
#: every repeat look like a misspelt duplicate of the others.
WARD_NAMES_ABOVE = 5000


class NamePicker:
    """Draws organisation names from ``rng``; on small maps, redraws names too close to an earlier one."""

    def __init__(self, rng: random.Random, n_actors: int) -> None:
        self.rng = rng
        self.redraw = n_actors <= DISTINCT_NAMES_UP_TO
        self.wards = n_actors > WARD_NAMES_ABOVE
        self.seen: dict[str, int] = {}  # name -> times used, for the "(2)" suffix
        self.taken: list[str] = []  # lower-cased names so far, for the closeness test
        self.matcher = difflib.SequenceMatcher(autojunk=False)

    def _unique(self, name: str) -> str:
        self.seen[name] = self.seen.get(name, 0) + 1
        count = self.seen[name]
        if count == 1:
            return name
        if self.wards:
            ward, lap = PLACES[(count - 2) % len(PLACES)], (count - 2) // len(PLACES)
            return f"{name}, {ward} ward" + (f" ({lap + 1})" if lap else "")
        return f"{name} ({count})"

    def _distinct(self, name: str) -> bool:
        low = name.lower()
        matcher = self.matcher
        matcher.set_seq2(low)
        for other in self.taken:
            matcher.set_seq1(other)
            if abs(len(other) - len(low)) > 0.2 * max(len(other), len(low)):
                continue
            if (matcher.real_quick_ratio() >= 0.88 and matcher.quick_ratio() >= 0.88
                    and matcher.ratio() >= 0.88):
                return False
        return True

    def _draw(self, key: str, i: int, comms: tuple[str, ...]) -> str:
        fixed = FIXED_NAMES.get(key, ())
        if i < len(fixed):
            return fixed[i]
        themes, forms = NAME_PARTS[key]
        words = [self.rng.choice(PLACES)]
        if key == "community_group":
            words.append(COMMUNITY_WORD.get(comms[0], "Multicultural") if comms else "Multicultural")
        elif themes:
            words.append(self.rng.choice(themes))
        words.append(self.rng.choice(forms))
        return " ".join(words)

    def pick(self, key: str, i: int, comms: tuple[str, ...]) -> str:
        """The name of the ``i``-th actor of constituency ``key`` serving ``comms``, unique in the map."""
        name = self._draw(key, i, comms)
        if self.redraw:
            for _ in range(50):
                if name not in self.seen and self._distinct(name):
                    break
                name = self._draw(key, i, comms)
            self.taken.append(name.lower())
        return self._unique(name)
