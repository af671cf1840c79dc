"""What the demo shop sells: departments with their products and base prices, brands and
the values they stand for, model names, and the sensitive items no one should be targeted with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from tactful.types import Sensitivity

VALUES: tuple[str, ...] = (
    "sustainability",
    "repairable",
    "local",
    "fair-trade",
    "vegan",
    "second-hand",
    "recycled",
    "organic",
    "b-corp",
)


@dataclass(frozen=True, slots=True)
class Department:
    """A category of the shop: product nouns with base prices (EUR), its share of the range,
    values its goods often carry, and activities its items also belong to."""

    name: str
    products: tuple[tuple[str, float], ...]
    share: float
    values: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "running",
        (
            ("Trail Runner", 135),
            ("Road Racer", 150),
            ("Running Vest", 85),
            ("Hydration Belt", 30),
            ("Running Tights", 55),
            ("Headlamp", 45),
            ("GPS Watch", 280),
            ("Race Socks", 15),
            ("Wind Shell", 90),
            ("Running Cap", 25),
        ),
        1.3,
    ),
    Department(
        "hiking",
        (
            ("Hiking Boot", 170),
            ("Trekking Poles", 80),
            ("Daypack 25L", 75),
            ("Backpack 50L", 190),
            ("Gaiters", 40),
            ("Water Filter", 45),
            ("Map Case", 15),
            ("Baseplate Compass", 30),
            ("Sun Hat", 30),
            ("Hiking Socks", 18),
        ),
        1.2,
        ("repairable",),
    ),
    Department(
        "camping",
        (
            ("Ultralight 2P Tent", 380),
            ("Family Tent 4P", 450),
            ("Down Sleeping Bag", 260),
            ("Sleeping Mat", 110),
            ("Camp Stove", 70),
            ("Titanium Mug", 28),
            ("Camp Chair", 60),
            ("Lantern", 35),
            ("Hammock", 65),
            ("Cook Set", 55),
        ),
        1.2,
        ("repairable",),
        ("hiking",),
    ),
    Department(
        "climbing",
        (
            ("Climbing Shoe", 120),
            ("Chalk Bag", 22),
            ("Harness", 75),
            ("Belay Device", 35),
            ("Quickdraw Set", 110),
            ("Crash Pad", 220),
            ("Dynamic Rope 60m", 180),
            ("Climbing Helmet", 70),
            ("Hangboard", 90),
            ("Brush Kit", 12),
        ),
        1.0,
    ),
    Department(
        "cycling",
        (
            ("Bike Helmet", 90),
            ("Cycling Jersey", 70),
            ("Bib Shorts", 95),
            ("Bike Light Set", 55),
            ("Saddle Bag", 35),
            ("Mini Pump", 30),
            ("Multi-tool", 28),
            ("Bike Lock", 60),
            ("Gravel Tyre", 50),
            ("Frame Bag", 75),
        ),
        1.1,
        ("repairable",),
    ),
    Department(
        "yoga",
        (
            ("Yoga Mat", 55),
            ("Cork Block", 18),
            ("Yoga Strap", 12),
            ("Meditation Cushion", 45),
            ("Yoga Bolster", 50),
            ("Mat Towel", 30),
            ("Yoga Wheel", 35),
            ("Travel Yoga Mat", 45),
        ),
        0.8,
        ("sustainability",),
    ),
    Department(
        "strength",
        (
            ("Kettlebell 16kg", 55),
            ("Adjustable Dumbbells", 220),
            ("Resistance Bands", 25),
            ("Pull-up Bar", 40),
            ("Lifting Belt", 50),
            ("Weight Plates 20kg", 80),
            ("Jump Rope", 18),
            ("Plyo Box", 120),
            ("Gym Gloves", 20),
        ),
        0.9,
    ),
    Department(
        "swimming",
        (
            ("Swim Goggles", 25),
            ("Swim Cap", 12),
            ("Kickboard", 18),
            ("Pull Buoy", 16),
            ("Swim Fins", 40),
            ("Open Water Wetsuit", 260),
            ("Training Swimsuit", 45),
            ("Dry Bag", 25),
            ("Tow Float", 30),
        ),
        0.8,
        ("recycled",),
    ),
    Department(
        "nutrition",
        (
            ("Energy Gels 12-pack", 24),
            ("Plant Protein Powder", 35),
            ("Electrolyte Tabs", 9),
            ("Oat Bars Box", 20),
            ("Recovery Shake", 30),
            ("Trail Mix 1kg", 16),
            ("Shaker Bottle", 12),
            ("Freeze-dried Meal", 11),
        ),
        0.8,
        ("vegan", "organic"),
        ("running", "cycling", "strength"),
    ),
    Department(
        "recovery",
        (
            ("Foam Roller", 30),
            ("Massage Ball Set", 18),
            ("Compression Socks", 35),
            ("Massage Gun", 150),
            ("Cold Pack", 15),
            ("Stretching Strap", 14),
            ("Sleep Mask", 16),
            ("Recovery Slides", 45),
        ),
        0.7,
        (),
        ("running", "strength", "yoga"),
    ),
    Department(
        "apparel",
        (
            ("Merino Base Layer", 85),
            ("Fleece Jacket", 90),
            ("Down Jacket", 220),
            ("Rain Jacket", 180),
            ("Hiking Pants", 80),
            ("Sun Hoodie", 55),
            ("Beanie", 25),
            ("Sports Bra", 45),
            ("Wool Socks 3-pack", 30),
            ("Running Shorts", 40),
        ),
        1.3,
        ("recycled", "fair-trade"),
        ("running", "hiking", "climbing", "cycling", "yoga"),
    ),
    Department(
        "books",
        (
            ("Trail Running Handbook", 24),
            ("Alpine Climbing Basics", 28),
            ("Plant-Powered Athlete Cookbook", 26),
            ("Yoga Anatomy Explained", 22),
            ("Bikepacking Routes of Europe", 30),
            ("Strength Training from Zero", 20),
            ("Marathon in 16 Weeks", 18),
            ("Wild Swimming Guide", 22),
            ("Leave No Trace Field Guide", 15),
            ("Mountain Weather Explained", 25),
        ),
        0.6,
        (),
        ("running", "climbing", "cycling", "yoga", "swimming", "hiking"),
    ),
    Department(
        "wellness",
        (
            ("First Aid Kit", 35),
            ("Sunscreen SPF 50", 15),
            ("Blister Care Kit", 12),
            ("Insect Repellent", 10),
            ("Sleep Tracker", 120),
            ("Smart Scale", 60),
            ("Hand Warmers 10-pack", 12),
            ("Reusable Water Bottle", 25),
        ),
        0.5,
        ("vegan",),
    ),
)

# Brand-ish names and the values each tends to stand for.
BRANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Summit", ()),
    ("Ridgeline", ("repairable",)),
    ("Cedar & Moss", ("sustainability", "fair-trade")),
    ("Fjord", ("local",)),
    ("Nomad", ("repairable", "recycled")),
    ("Kestrel", ()),
    ("Lumen", ("vegan",)),
    ("Boreal", ("sustainability", "local")),
    ("Granite", ("repairable",)),
    ("Juniper", ("organic", "vegan")),
    ("Meridian", ()),
    ("Willow", ("fair-trade", "organic")),
    ("Tundra", ()),
    ("Basalt", ("recycled",)),
    ("Harbor", ("local",)),
    ("Zephyr", ("recycled", "sustainability")),
    ("Aurora", ()),
    ("Otter", ("b-corp", "sustainability")),
)

MODELS: tuple[tuple[str, float], ...] = (("", 1.0), (" 2", 1.1), (" Pro", 1.35), (" Lite", 0.85))
EDITIONS: tuple[tuple[str, float], ...] = (
    ("", 1.0),
    (", 2nd ed.", 1.1),
    (", pocket ed.", 0.7),
    (", illustrated", 1.4),
)

# Products that clearly serve one activity carry it as a second category; others of a
# department with ``related`` activities get a random one of those.
TOPICS: Mapping[str, str] = MappingProxyType(
    {
        "Trail Running Handbook": "running",
        "Marathon in 16 Weeks": "running",
        "Alpine Climbing Basics": "climbing",
        "Plant-Powered Athlete Cookbook": "nutrition",
        "Yoga Anatomy Explained": "yoga",
        "Bikepacking Routes of Europe": "cycling",
        "Strength Training from Zero": "strength",
        "Wild Swimming Guide": "swimming",
        "Leave No Trace Field Guide": "hiking",
        "Mountain Weather Explained": "hiking",
        "Merino Base Layer": "hiking",
        "Fleece Jacket": "hiking",
        "Down Jacket": "camping",
        "Rain Jacket": "hiking",
        "Hiking Pants": "hiking",
        "Running Shorts": "running",
        "Sports Bra": "running",
        "Energy Gels 12-pack": "running",
        "Plant Protein Powder": "strength",
        "Electrolyte Tabs": "cycling",
        "Oat Bars Box": "cycling",
        "Recovery Shake": "strength",
        "Trail Mix 1kg": "hiking",
        "Freeze-dried Meal": "camping",
        "Foam Roller": "running",
        "Massage Gun": "strength",
        "Compression Socks": "running",
        "Stretching Strap": "yoga",
    }
)

# (title, categories, sensitivity, price): items never to be recommended from inference.
SENSITIVE: tuple[tuple[str, tuple[str, ...], Sensitivity, float], ...] = (
    ("Early Pregnancy Test, 2-pack", ("wellness",), Sensitivity.PREGNANCY, 12.99),
    ("Maternity Support Running Belt", ("running", "wellness"), Sensitivity.PREGNANCY, 34.99),
    ("Prenatal Yoga: A Gentle Guide", ("books", "yoga"), Sensitivity.PREGNANCY, 19.99),
    ("Getting Out of Debt: A Practical Guide", ("books",), Sensitivity.FINANCE, 16.99),
    ("Budget Reset Workbook", ("books",), Sensitivity.FINANCE, 12.99),
    ("Home Beer Brewing Kit", ("nutrition",), Sensitivity.ALCOHOL, 59.99),
    ("Whisky Hip Flask", ("camping",), Sensitivity.ALCOHOL, 24.99),
    ("Blood Pressure Monitor", ("wellness",), Sensitivity.HEALTH, 49.99),
    ("Blood Glucose Starter Kit", ("wellness",), Sensitivity.HEALTH, 39.99),
    ("Anxiety Relief Journal", ("books", "wellness"), Sensitivity.HEALTH, 14.99),
    ("Sports Betting Systems Explained", ("books",), Sensitivity.GAMBLING, 21.99),
    ("Travel Prayer Mat", ("camping",), Sensitivity.RELIGION, 29.99),
)
