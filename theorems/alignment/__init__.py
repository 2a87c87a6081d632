"""Claims of the alignment paper (see theorems/papers.py)."""
