# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Deterministic purchase histories for the demo database (plain Python, no Odoo).

``plan(count, seed)`` returns the same customers and purchases for the same
arguments: invented company names, a behaviour each (loyal, seasonal, churner,
one-time buyer, new) and their purchases over the last ``days`` days, as days
before today, with the products bought. The model method that writes them as
sale orders and invoices lives in ``models/crm_segment_matrix_demo.py``.
"""

import random
from dataclasses import dataclass, field

# behaviour, share of the customers
BEHAVIOURS = (
    ("loyal", 0.25),
    ("seasonal", 0.15),
    ("churner", 0.25),
    ("one_time", 0.25),
    ("new", 0.10),
)

# default_code, name, list price: an office supplier's catalogue
CATALOGUE = (
    ("DH-DESK", "Height-adjustable desk", 540.0),
    ("DH-CHAIR", "Ergonomic office chair", 320.0),
    ("DH-LAMP", "LED task lamp", 65.0),
    ("DH-ARM", "Dual monitor arm", 120.0),
    ("DH-PAPER", "Copier paper, box of 5 reams", 28.0),
    ("DH-TONER", "Laser toner cartridge", 89.0),
    ("DH-LABEL", "Shipping labels, pack of 500", 19.0),
    ("DH-COFFEE", "Coffee beans, 1 kg", 24.0),
    ("DH-FILTER", "Water filter cartridge", 35.0),
    ("DH-CUPS", "Compostable cups, pack of 200", 16.0),
    ("DH-CABINET", "Steel filing cabinet", 260.0),
    ("DH-BOARD", "Magnetic whiteboard", 145.0),
)

# what is bought together: the first product of a basket always, the others
# often, so that the cross-sell rules have real pairs to find
BASKETS = (
    ("DH-DESK", "DH-CHAIR", "DH-LAMP", "DH-ARM"),
    ("DH-PAPER", "DH-TONER", "DH-LABEL"),
    ("DH-COFFEE", "DH-FILTER", "DH-CUPS"),
    ("DH-CABINET", "DH-BOARD", "DH-LAMP"),
)

_NAME_FIRST = (
    "Amber", "Birch", "Blue Heron", "Brightwater", "Cedar", "Clearview",
    "Cobalt", "Copperleaf", "Driftwood", "Elmstead", "Fernhill", "Foxglove",
    "Granite", "Harbourside", "Hazel", "Ironbridge", "Juniper", "Kestrel",
    "Lakeshore", "Larkspur", "Maplewood", "Meadowlark", "Northgate", "Oakridge",
    "Pebble", "Quarry", "Redwing", "Riverbend", "Saltmarsh", "Silverline",
    "Stonebrook", "Sunfield", "Tidewater", "Upland", "Willowmere", "Yarrow",
)  # fmt: skip
_NAME_TRADE = (
    "Accounting", "Architects", "Bakery", "Bookbinders", "Carpentry", "Catering",
    "Clinic", "Consulting", "Design", "Dental", "Engineering", "Florists",
    "Joinery", "Landscaping", "Law Office", "Logistics", "Opticians", "Printing",
    "Robotics", "Studio", "Surveyors", "Tailoring", "Travel", "Veterinary",
)  # fmt: skip
_NAME_FORM = ("Ltd", "& Co", "Group", "Partners", "Works", "Cooperative", "")


@dataclass
class DemoCustomer:
    """One customer of the plan: its purchases are (days before today,
    [(default_code, quantity), ...]), oldest first."""

    name: str
    behaviour: str
    late_payer: bool = False
    purchases: list = field(default_factory=list)


def _names(rng, count):
    """``count`` distinct invented company names."""
    names, seen = [], set()
    while len(names) < count:
        name = " ".join(
            part
            for part in (
                rng.choice(_NAME_FIRST),
                rng.choice(_NAME_TRADE),
                rng.choice(_NAME_FORM),
            )
            if part
        )
        if name in seen:
            # the combinations run out above ~6,000 customers: number them
            name = f"{name} {len(names) + 1}"
        seen.add(name)
        names.append(name)
    return names


def _behaviours(rng, count):
    """The behaviours of ``count`` customers in the shares of BEHAVIOURS (each
    at least once from five customers up), in a seeded random order."""
    mix = [
        behaviour
        for behaviour, share in BEHAVIOURS
        for _i in range(max(1, round(share * count)))
    ]
    mix = (mix * (count // len(mix) + 1))[:count] if len(mix) < count else mix
    # trim the largest groups first when rounding gave too many
    while len(mix) > count:
        largest = max(set(mix), key=mix.count)
        mix.remove(largest)
    rng.shuffle(mix)
    return mix


def _regular(rng, first, last, rhythm):
    """Days (before today) of regular purchases from ``first`` down to ``last``
    with a mean interval of ``rhythm`` days."""
    days, day = [], first
    while day >= last:
        days.append(day)
        day -= max(7, round(rng.expovariate(1.0 / rhythm)))
    return days


def _purchase_days(rng, behaviour, days):
    if behaviour == "loyal":
        return _regular(rng, rng.randint(days * 2 // 3, days), 1, rng.uniform(70, 140))
    if behaviour == "churner":
        stop = rng.randint(150, min(500, days // 2))
        start = rng.randint(stop + 180, days)
        return _regular(rng, start, stop, rng.uniform(50, 100))
    if behaviour == "seasonal":
        phase = rng.randint(20, 340)  # its season, in days before today
        result = []
        for year in range(days // 365 + 1):
            centre = phase + 365 * year
            result += [centre + rng.randint(-20, 20) for _i in range(rng.randint(1, 2))]
        return sorted({day for day in result if 1 <= day <= days}, reverse=True)
    if behaviour == "new":
        return _regular(rng, rng.randint(15, 120), 1, rng.uniform(20, 40))
    return [rng.randint(1, days)]  # one-time buyer


def _basket(rng, favourite, spend):
    """The lines of one purchase: mostly from the customer's favourite basket."""
    basket = favourite if rng.random() < 0.75 else rng.choice(BASKETS)
    codes = [basket[0]] + [code for code in basket[1:] if rng.random() < 0.55]
    return [(code, max(1, round(spend * rng.uniform(0.5, 2.0)))) for code in codes]


def plan(count=300, seed=42, days=1000):
    """The demo customers: ``count`` of them, with ``days`` days of history."""
    rng = random.Random(seed)
    customers = []
    for name, behaviour in zip(
        _names(rng, count), _behaviours(rng, count), strict=True
    ):
        favourite = rng.choice(BASKETS)
        spend = rng.lognormvariate(0.4, 0.6)  # quantities: a few big buyers
        customer = DemoCustomer(
            name=name,
            behaviour=behaviour,
            late_payer=behaviour in ("churner", "loyal") and rng.random() < 0.15,
        )
        customer.purchases = [
            (day, _basket(rng, favourite, spend))
            for day in _purchase_days(rng, behaviour, days)
        ]
        customers.append(customer)
    return customers
