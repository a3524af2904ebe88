"""Network analyses of a map: :func:`analyse` runs them all and returns an :class:`Analysis`."""

from netmap.analysis.measures import (
    ACTOR_COLUMNS,
    CONSTITUENCY_COLUMNS,
    DEFAULT_SAMPLE,
    EXACT_MAX_NODES,
    ROLES,
    UNCLASSIFIED,
    Analysis,
    actor_metrics,
    analyse,
    blau_heterogeneity,
    constituency_metrics,
    detect_communities,
    ei_index,
    mixing_matrix,
    network_summary,
)

__all__ = [
    "ACTOR_COLUMNS", "CONSTITUENCY_COLUMNS", "DEFAULT_SAMPLE", "EXACT_MAX_NODES", "ROLES", "UNCLASSIFIED",
    "Analysis", "actor_metrics", "analyse", "blau_heterogeneity", "constituency_metrics", "detect_communities",
    "ei_index", "mixing_matrix", "network_summary",
]
