"""verify: a symbolic-plus-numeric theorem verifier for machine-learning theory."""

__version__ = "0.1.0"
