"""Claims of the convergence paper (see theorems/papers.py)."""
