"""The yearly report: one year of an index in sections a notebook displays, with its charts and files."""

from parindex.reports.yearly.components import components
from parindex.reports.yearly.outputs import summary, write_outputs
from parindex.reports.yearly.reconcile import reconciliation
from parindex.reports.yearly.sections import (
    chart,
    companion,
    key_figures,
    methodology,
    provenance,
    ranking,
    regions,
    secondary,
    section,
    title,
)
from parindex.reports.yearly.tiles import map_section, province_map
from parindex.reports.yearly.year import Year, load

__all__ = [
    "Year",
    "chart",
    "companion",
    "components",
    "key_figures",
    "load",
    "map_section",
    "methodology",
    "provenance",
    "province_map",
    "ranking",
    "reconciliation",
    "regions",
    "secondary",
    "section",
    "summary",
    "title",
    "write_outputs",
]
