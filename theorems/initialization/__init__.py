"""Claims of the initialization paper (see theorems/papers.py)."""
