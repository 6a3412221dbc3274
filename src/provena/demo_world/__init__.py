"""The demo world: a small, believable supply chain seeded on the first `provena up`.

`seed_in_background(app, server)` tells the story of `story` (the organizations and people
of `provena.demo`) through the running API's own write endpoints, as each person, with PDF
certificates and field photos drawn by `artwork`; `seeder` makes it happen once.
"""

from provena.demo_world.client import LedgerNotEmpty, SeedError, StepRefused
from provena.demo_world.seeder import MARKER, SeedProgress, seed_in_background

__all__ = [
    "MARKER",
    "LedgerNotEmpty",
    "SeedError",
    "SeedProgress",
    "StepRefused",
    "seed_in_background",
]
