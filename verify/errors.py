"""The one exception type the CLI turns into a clear one-line message (exit status 2)."""


class VerifyError(Exception):
    """Bad input or usage: an unknown claim id, an invalid budget, a corrupt file, ..."""
