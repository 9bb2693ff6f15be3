"""The analysis API for analyst notebooks and scripts: subgraphs from the store as networkx
graphs, network measures, tables and pictures (:mod:`.networks`), and the holiday parks and
rural sheds (:mod:`.places`).

Everything reads through the query and risk layers under the caller's access scope; nothing
here builds Cypher. The names of :mod:`.networks` are also here
(``from graph_service import analysis``), with :mod:`.text` (a session and a screening
summary in Dutch).
"""

from __future__ import annotations

from .networks import (
    COMMUNITY_SEED,
    PARK_REL_TYPES,
    Broker,
    Table,
    betweenness_centrality,
    bridge_table,
    bridges,
    brokers,
    centrality_table,
    communities,
    community_index,
    community_table,
    connected_components,
    degree_centrality,
    dossier_graph,
    entities_graph,
    evidence_path_dict,
    hits_graph,
    indicator_graph,
    mark_hits,
    output_dir,
    park_graph,
    park_uid,
    render_data,
    screening_graph,
    signal_subjects,
    simple_projection,
    table,
    to_networkx,
    write_html,
)
from .text import session_line, summary_table

__all__ = [
    "COMMUNITY_SEED",
    "PARK_REL_TYPES",
    "Broker",
    "Table",
    "betweenness_centrality",
    "bridge_table",
    "bridges",
    "brokers",
    "centrality_table",
    "communities",
    "community_index",
    "community_table",
    "connected_components",
    "degree_centrality",
    "dossier_graph",
    "entities_graph",
    "evidence_path_dict",
    "hits_graph",
    "indicator_graph",
    "mark_hits",
    "output_dir",
    "park_graph",
    "park_uid",
    "render_data",
    "screening_graph",
    "session_line",
    "signal_subjects",
    "simple_projection",
    "summary_table",
    "table",
    "to_networkx",
    "write_html",
]
