"""A generator of SYNTHETIC borough maps, for demos, tests and benchmarks.

Every actor, tie and space it makes is fictional. The map describes "Fernbridge",
a made-up borough of three neighbourhoods, with the structure mapped local
health-and-care ecosystems tend to have:

* many VCSE providers and community groups, few statutory bodies;
* statutory hubs (an NHS mental health trust, the council, commissioners);
* commissioners and funders tied to VCSE organisations by directed
  ``commissions`` / ``funds`` ties, many VCSE organisations on a single funder;
* VCSE partnership ties mostly within a neighbourhood, some ``refers_to``
  ties, a few bridges through umbrella bodies;
* cut vertices (small clusters reached through one broker, a carers' group
  tied to one provider), a couple of isolates; density about 0.03 at 300 actors;
* a VCSE alliance, a health and wellbeing board and a mental health
  partnership board, with members; no space has more than
  ``SPACE_MAX_MEMBERS`` members (real alliances and forums have tens to a
  couple of hundred), so on big maps (above about 7,500 actors) a VCSE forum
  per neighbourhood is added beside the alliance. ``big_forum=N`` (``--big-forum
  N``) makes one alliance of N members instead, a shape for benchmarks.

Borough-wide bodies (the trust, commissioners, the council, Healthwatch,
umbrella bodies, funders, the university) have no locality, so netmap counts
them in every neighbourhood; everyone else belongs to one neighbourhood.

It also has deliberate gaps, so gap analyses have something to find:

* no police or criminal justice actor (an absent constituency);
* one service-user-led group (under the whole-system minimum of two);
* one carers' group, in one neighbourhood, tied to a single provider and not
  to the NHS mental health provider;
* no organisation led by or serving Roma or Arab people;
* Bangladeshi community groups exist but none is funded or commissioned.

Communities of community groups are drawn from the Census 2021 detailed groups
in proportion to the Birmingham population profile (the profile every
neighbourhood uses): high-level shares from the profile, detailed groups
equally likely within their high-level group, White British excluded and the
minority White groups weighted at a tenth of the White share.

The generator is deterministic: the same arguments give the same map.
Ties are produced by a generator, so ``main`` can stream 10^6 ties to a CSV
file in bounded memory.

The modules: :mod:`~netmap.synthetic.borough` (the borough's fixed shape),
:mod:`~netmap.synthetic.names`, :mod:`~netmap.synthetic.plan` (actors, roles,
spaces), :mod:`~netmap.synthetic.ties`, :mod:`~netmap.synthetic.writer`
(:func:`generate`, :func:`write_workspace`) and :mod:`~netmap.synthetic.command`.

>>> from netmap.synthetic import generate
>>> m = generate(120, seed=3)
>>> len(m.actors), m == generate(120, seed=3)
(120, True)
>>> any("police_justice" in a.constituencies for a in m.actors)
False
"""

from typing import TYPE_CHECKING

from netmap.lazy import first_use
from netmap.synthetic.borough import (
    ALLIANCE_MAX_MEMBERS,
    BOROUGH,
    DEFAULT_ACTORS,
    DEFAULT_SEED,
    LOCALITIES,
    MIN_ACTORS,
    NO_ORGANISATION,
    POPULATION,
    SPACE_MAX_MEMBERS,
    UNFUNDED_COMMUNITY,
    default_ties,
    source_label,
)

if TYPE_CHECKING:  # for type checkers; at run time they load on first use (below)
    from netmap.synthetic.command import main
    from netmap.synthetic.writer import describe, generate, write_workspace
__all__ = ["ALLIANCE_MAX_MEMBERS", "BOROUGH", "DEFAULT_ACTORS", "DEFAULT_SEED", "LOCALITIES", "MIN_ACTORS",
           "NO_ORGANISATION", "POPULATION", "SPACE_MAX_MEMBERS", "UNFUNDED_COMMUNITY", "default_ties", "describe",
           "generate", "main", "source_label", "write_workspace"]

#: Imported on first use (PEP 562): the command line reads the borough's defaults without the generator.
_LAZY = {"main": "netmap.synthetic.command", "describe": "netmap.synthetic.writer",
         "generate": "netmap.synthetic.writer", "write_workspace": "netmap.synthetic.writer"}

__getattr__ = first_use(__name__, _LAZY)
