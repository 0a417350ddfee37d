"""The province profile: one province across every year with data, in sections a notebook displays."""

from parindex.reports.profile.history import History, load_history
from parindex.reports.profile.listing import index_page, index_rows
from parindex.reports.profile.outputs import summary, write_outputs
from parindex.reports.profile.sections import (
    chart,
    components,
    history_table,
    neighbours_section,
    notes,
    overview,
    peers_heading,
    peers_section,
    section,
    sipas,
    title,
)
from parindex.reports.profile.tiles import map_section, province_map
from parindex.reports.profile.unit import Profile, file_stem, load, profile

__all__ = [
    "History",
    "Profile",
    "chart",
    "components",
    "file_stem",
    "history_table",
    "index_page",
    "index_rows",
    "load",
    "load_history",
    "map_section",
    "neighbours_section",
    "notes",
    "overview",
    "peers_heading",
    "peers_section",
    "profile",
    "province_map",
    "section",
    "sipas",
    "summary",
    "title",
    "write_outputs",
]
