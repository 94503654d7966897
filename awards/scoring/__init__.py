"""The award combination: pure pandas/numpy, no Django (checked by import-linter)."""
