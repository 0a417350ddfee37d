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

# %%
from parindex.reports import yearly

year = yearly.load(params_file)
yearly.title(year)

# %% [markdown]
# ## Key figures
#
# The headline figures of the year, against the comparison year where there is one. Every figure below is
# computed from the year's input files; the reconciliation section sets them beside the published ones.

# %%
yearly.key_figures(year)

# %% [markdown]
# ## Ranking of provinces and centrally-run cities
#
# All provinces, best first, with their band and how their score and rank moved since the comparison year.

# %%
yearly.chart(year, "ranked")

# %%
yearly.ranking(year)

# %% [markdown]
# ## How the scores are spread

# %%
yearly.chart(year, "distribution")

# %% [markdown]
# ## Change on the previous year
#
# Each province's score in the comparison year joined to this year's, sorted by the size of the change.

# %%
yearly.chart(year, "change")

# %% [markdown]
# ## Regions
#
# The six socio-economic regions: their means, with the regional means where they were published.

# %%
yearly.chart(year, "regions")

# %%
yearly.regions(year)

# %% [markdown]
# ## Ministries and ministerial-level agencies

# %%
yearly.chart(year, "ministries")

# %%
yearly.ministries(year)

# %% [markdown]
# ## Satisfaction with public administrative services
#
# The companion index, surveyed among people and organisations who used public administrative services in
# each province, set against the reform index.

# %%
yearly.chart(year, "companion")

# %%
yearly.companion(year)

# %% [markdown]
# ## Reconciliation with published figures
#
# Every figure published for this year (national mean, extremes, counts per band, regional means, units
# improved) beside the same figure computed from the data; a difference beyond half a unit of the last
# printed decimal, or any difference in a count, is flagged.

# %%
yearly.reconciliation(year)

# %% [markdown]
# ## Methodology

# %%
yearly.methodology(year)

# %% [markdown]
# ## Provenance
#
# The files this report was made from, each with its SHA-256, and the software that made it.

# %%
yearly.provenance(year)

# %% tags=["remove-cell"]
yearly.write_outputs(year, output_dir)
