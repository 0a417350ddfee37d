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
params_dir = "../params"
output_dir = ""

# %%
from parindex.reports import trends

panel = trends.load(params_dir)
trends.title(panel)

# %% [markdown]
# ## Key movement
#
# How the country moved over every year with data: the national mean at both ends of the period, the
# provinces at or above a band threshold that every year shares, who ranked first, and the largest move.

# %%
trends.key_movement(panel)

# %% [markdown]
# ## National mean
#
# The mean score of all provinces each year, beside the mean the Ministry of Home Affairs published where one
# was found, with each year's spread of scores behind it.

# %%
trends.national_mean(panel)

# %% [markdown]
# ## Provinces per band
#
# Each year is counted in its own bands, as published for that year. The bands changed more than once, so the
# same letter can mean a different range in another year; the dashed lines mark where they changed.

# %%
trends.bands(panel)

# %% [markdown]
# ## The leading provinces over time
#
# The provinces leading the last year, and where each of them ranked in every earlier year.

# %%
trends.leading(panel)

# %% [markdown]
# ## Risers and fallers
#
# The largest changes of score over the whole period, and the largest moves in points and in ranks between
# consecutive years.

# %%
trends.movers(panel)

# %% [markdown]
# ## Regions
#
# The mean of each socio-economic region per year against the national mean; regional means published by
# the Ministry are marked where they exist.

# %%
trends.regions(panel)

# %% [markdown]
# ## Ministries and ministerial-level agencies
#
# The mean of the ministries and agencies ranked each year, and each one's score and rank. The set of ranked
# units changed over the period.

# %%
trends.ministries(panel)

# %% [markdown]
# ## Satisfaction with public administrative services
#
# The companion index surveyed in every province: its national mean, the published means, and how far apart
# the provinces are each year.

# %%
trends.companion(panel)

# %% [markdown]
# ## Methodology

# %%
trends.methodology(panel)

# %% [markdown]
# ## Provenance
#
# The files this report was made from, each with its SHA-256, and the software that made it.

# %%
trends.provenance(panel)

# %% tags=["remove-cell"]
trends.write_outputs(panel, output_dir)
