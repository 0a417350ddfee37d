"""The trends report: every year with data of an index, in sections a notebook displays, with its charts."""

from parindex.reports.trends.outputs import summary, write_outputs
from parindex.reports.trends.panel import Panel, load
from parindex.reports.trends.sections import (
    bands,
    companion,
    key_movement,
    leading,
    methodology,
    movers,
    national_mean,
    provenance,
    regions,
    secondary,
    section,
    title,
)
from parindex.reports.trends.tiles import maps_section, province_maps

__all__ = [
    "Panel",
    "bands",
    "companion",
    "key_movement",
    "leading",
    "load",
    "maps_section",
    "methodology",
    "movers",
    "national_mean",
    "provenance",
    "province_maps",
    "regions",
    "secondary",
    "section",
    "summary",
    "title",
    "write_outputs",
]
