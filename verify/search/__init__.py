"""Counterexample search: staged search (structured sampling, uniform sampling, adversarial
optimisation, high-precision re-check) and shrinking of confirmed counterexamples.

``run(name, prop, ctx, **options)`` is what every search check calls (see
:mod:`verify.search.engine`); ``shrink(prop, instance, hp, ctx)`` simplifies a confirmed
counterexample (see :mod:`verify.search.shrink`), also for the trials checks.
"""

from verify.search.engine import SearchOptions, run
from verify.search.shrink import shrink

__all__ = ["SearchOptions", "run", "shrink"]
