"""Claims of the implicit_bias paper (see theorems/papers.py)."""
