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
languages = ""

# %%
from parindex.reports import trends

panel = trends.load(params_dir, languages)
trends.title(panel)

# %%
trends.section(panel, "key_movement")

# %%
trends.key_movement(panel)

# %%
trends.section(panel, "national_mean")

# %%
trends.national_mean(panel)

# %%
trends.section(panel, "bands")

# %%
trends.bands(panel)

# %%
# One small map per year, the main units coloured by that year's band (none without a tile layout).
trends.maps_section(panel)

# %%
trends.province_maps(panel)

# %%
trends.section(panel, "leading")

# %%
trends.leading(panel)

# %%
trends.section(panel, "movers")

# %%
trends.movers(panel)

# %%
trends.section(panel, "regions")

# %%
trends.regions(panel)

# %%
# The other unit types of the params (ministries, departments): a section each, none without them.
trends.secondary(panel)

# %%
trends.section(panel, "companion")

# %%
trends.companion(panel)

# %%
trends.section(panel, "methodology")

# %%
trends.methodology(panel)

# %%
trends.section(panel, "provenance")

# %%
trends.provenance(panel)

# %% tags=["remove-cell"]
trends.write_outputs(panel, output_dir)
