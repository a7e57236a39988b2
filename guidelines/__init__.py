"""The clinical rules of the two source guidelines as pure Python.

No Django here: frozen dataclasses in (`guidelines.facts`), frozen dataclasses
out. Every rule cites document + section (`guidelines.sources`); every result
carries the reasons that led to it and the facts it lacked (`missing`, as JSON
paths of the API request, e.g. ``marrow.clonal_plasma_cells_pct``).
"""
