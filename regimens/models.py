"""Regimen protocols (filled in by the regimen library)."""
