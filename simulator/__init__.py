"""A day of the single number (1555) replayed against the real services: ``make simulate``.

Dev-only, like devtools/ and bench/: never imported by chalicelib.
"""
