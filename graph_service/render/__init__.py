"""Rendering: subgraphs and paths -> networkx -> pyvis -> vis-network JSON
(:mod:`.graphs`), one look for the web pages and the notebooks."""
