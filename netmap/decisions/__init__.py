"""Decision aids built on the gap analysis: from what a system is missing to what to do next.

The modules, by topic:

* :mod:`~netmap.decisions.invite` (with :mod:`~netmap.decisions.invite_items` and
  :mod:`~netmap.decisions.invite_candidates`): the invitation planner, whom to invite so that a
  few invitations close the most gaps (``netmap invite``).
"""
