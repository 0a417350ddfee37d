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
unit_code = "46"
output_dir = ""
languages = ""
peers = ""

# %%
from parindex.reports import profile

unit = profile.load(params_file, unit_code, languages, peers)
profile.title(unit)

# %%
profile.overview(unit)

# %%
profile.section(unit, "history")

# %%
profile.chart(unit)

# %%
profile.history_table(unit)

# %%
profile.section(unit, "neighbours")

# %%
profile.neighbours_section(unit)

# %%
profile.peers_heading(unit)

# %%
profile.peers_section(unit)

# %%
# The unit's tile on the map of the main units, coloured by band (none without a tile layout).
profile.map_section(unit)

# %%
profile.province_map(unit)

# %%
profile.section(unit, "components")

# %%
profile.components(unit)

# %%
profile.section(unit, "sipas")

# %%
profile.sipas(unit)

# %%
profile.notes(unit)

# %% tags=["remove-cell"]
profile.write_outputs(unit, output_dir)
