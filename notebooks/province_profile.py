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

# %%
from parindex.reports import profile

unit = profile.load(params_file, unit_code)
profile.title(unit)

# %%
profile.overview(unit)

# %% [markdown]
# ## Every year

# %%
profile.chart(unit)

# %%
profile.history_table(unit)

# %% [markdown]
# ## Neighbours in the ranking

# %%
profile.neighbours_section(unit)

# %% [markdown]
# ## Parts of the score

# %%
profile.components(unit)

# %% [markdown]
# ## Satisfaction with public administrative services (SIPAS)

# %%
profile.sipas(unit)

# %% [markdown]
# ## Notes

# %%
profile.notes(unit)

# %% tags=["remove-cell"]
profile.write_outputs(unit, output_dir)
