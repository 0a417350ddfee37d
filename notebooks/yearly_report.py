# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: parindex
#     language: python
#     name: parindex
# ---

# %% tags=["parameters"]
params_file = "../params/2020.yaml"
output_dir = ""
languages = ""

# %%
from parindex.reports import yearly

year = yearly.load(params_file, languages)
yearly.title(year)

# %%
# Key figures: boxes, headline sentences, units per band against the comparison year.
yearly.section(year, "key_figures")

# %%
yearly.key_figures(year)

# %%
# Ranking of the main units (provinces and centrally-run cities).
yearly.section(year, "ranking")

# %%
yearly.chart(year, "ranked")

# %%
yearly.ranking(year)

# %% [markdown]
# <!-- Notes of your own on the ranking: replace this comment with Markdown. It shows in every language;
# tag the cell lang-vi or lang-en to show it in one language only. -->

# %%
# The main units on the map: one square per unit, coloured by band (none without a tile layout).
yearly.map_section(year)

# %%
yearly.province_map(year)

# %%
# How the scores are spread.
yearly.section(year, "distribution")

# %%
yearly.chart(year, "distribution")

# %%
# Change on the comparison year.
yearly.section(year, "change")

# %%
yearly.chart(year, "change")

# %%
# Component indices: national means, their change, each unit against the mean.
yearly.components(year)

# %%
# The regions of the main units (none when their register has none).
yearly.section(year, "regions")

# %%
yearly.chart(year, "regions")

# %%
yearly.regions(year)

# %%
# The other unit types of the params (ministries, departments): a section each, none without them.
yearly.secondary(year)

# %%
# The companion index (SIPAS), none without one.
yearly.section(year, "companion")

# %%
yearly.chart(year, "companion")

# %%
yearly.companion(year)

# %%
# Reconciliation with the published figures of this index and year, none without them.
yearly.section(year, "reconciliation")

# %%
yearly.reconciliation(year)

# %%
# Methodology.
yearly.section(year, "methodology")

# %%
yearly.methodology(year)

# %%
# Provenance: files read, their SHA-256, software.
yearly.section(year, "provenance")

# %%
yearly.provenance(year)

# %% tags=["remove-cell"]
yearly.write_outputs(year, output_dir)
