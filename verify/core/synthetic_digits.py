"""Synthetic digit images: the offline stand-in for MNIST used by the alignment experiments.

No data set can be downloaded here, so MNIST examples are replaced by procedurally drawn
digits: each of the ten labels has a stroke template (:data:`STROKES`, polylines in the unit
square, x to the right and y downwards); an image renders the strokes, optionally moved by an
affine map, on a p x p pixel grid with intensity ``clip(1 - dist / width, 0, 1)`` (dist: the
distance of the pixel centre to the nearest stroke), rounded to multiples of ``1/grid`` so that
exact rational computations stay cheap.

* :func:`digit_image`: one image as exact Fractions, scaled to norm <= 1 (ALIGN-Exp2b);
* :func:`digit_raster`: one image as integer pixel levels 0..grid (no scaling);
* :func:`random_affine`: a seeded random affine jitter (rotation, scale, shear, shift);
* :func:`digit_set`: a seeded, class-balanced set of jittered, noisy digits as integer pixel
  levels ``M`` (p^2, n) with the common scale ``q``: the data are ``X = M / q`` with every
  column of norm <= 1, and one-hot labels (ALIGN-Exp1bc);
* :func:`one_vs_rest_separable`: the linear-separability test of such a set (one linear
  program per class, :func:`verify.core.max_margin.separable`); one-vs-rest separability
  implies that a linear map ``x -> W x`` classifies every example correctly by its argmax.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from math import ceil, isqrt, sqrt

import numpy as np

from verify.core.max_margin import separable

GRID = 16
"""Pixel intensities are multiples of 1/GRID."""

CLASSES = 10

STROKES: tuple[tuple[tuple[float, float], ...], ...] = (
    ((.5, .1), (.75, .25), (.75, .75), (.5, .9), (.25, .75), (.25, .25), (.5, .1)),
    ((.4, .25), (.55, .1), (.55, .9)),
    ((.25, .25), (.5, .1), (.75, .3), (.25, .9), (.8, .9)),
    ((.25, .15), (.75, .2), (.45, .5), (.75, .7), (.25, .88)),
    ((.65, .9), (.65, .1), (.2, .65), (.8, .65)),
    ((.75, .1), (.3, .1), (.28, .45), (.7, .55), (.65, .85), (.25, .88)),
    ((.7, .1), (.3, .5), (.35, .85), (.7, .8), (.65, .5), (.3, .55)),
    ((.2, .1), (.8, .1), (.4, .9)),
    ((.5, .5), (.3, .3), (.5, .1), (.7, .3), (.5, .5), (.3, .7), (.5, .9), (.7, .7), (.5, .5)),
    ((.7, .45), (.35, .45), (.35, .15), (.7, .15), (.7, .45), (.6, .9)),
)
"""Polylines (x right, y down, in the unit square) of the ten synthetic digit templates."""


def stroke_points(label: int, dx: float, dy: float,
                  affine: np.ndarray | None = None) -> np.ndarray:
    """The template of ``label`` moved by ``p -> c + A (p - c) + (dx, dy)`` (c = centre of the
    square; without ``affine``, A = I and the points are only shifted)."""
    pts = np.asarray(STROKES[label])
    if affine is not None:
        centre = np.array([0.5, 0.5])
        pts = centre + (pts - centre) @ np.asarray(affine).T
    return pts + np.array([dx, dy])


def digit_raster(label: int, dx: float, dy: float, width: float, p: int, grid: int = GRID,
                 affine: np.ndarray | None = None) -> np.ndarray:
    """Integer pixel levels 0..grid (p x p) of the strokes of ``label`` (see module docstring)."""
    centres = (np.arange(p) + 0.5) / p
    py, px = np.meshgrid(centres, centres, indexing="ij")
    dist = np.full((p, p), np.inf)
    for a, b in pairwise(stroke_points(label, dx, dy, affine)):
        ab = b - a
        t = np.clip(((px - a[0]) * ab[0] + (py - a[1]) * ab[1]) / (ab @ ab), 0.0, 1.0)
        dist = np.minimum(dist, np.hypot(px - a[0] - t * ab[0], py - a[1] - t * ab[1]))
    return np.round(grid * np.clip(1.0 - dist / width, 0.0, 1.0)).astype(int)


def digit_image(label: int, dx: float, dy: float, width: float, p: int,
                grid: int = GRID) -> np.ndarray:
    """Synthetic digit (stand-in for MNIST): the template strokes of ``label``, shifted by
    (dx, dy), rasterized on p x p pixels with intensity ``clip(1 - dist / width, 0, 1)``, on
    the 1/grid grid, divided by ``ceil(||raster||)``; flattened row by row (exact Fractions)."""
    raster = digit_raster(label, dx, dy, width, p, grid)
    norm = max(1, ceil(sqrt(int((raster * raster).sum())) / grid))
    return np.array([Fraction(int(v), grid * norm) for v in raster.ravel()], dtype=object)


@dataclass(frozen=True)
class Jitter:
    """Ranges of the random affine jitter and pixel noise of :func:`digit_set`."""

    rotation: float = 0.2
    """Largest rotation angle (radians)."""
    scale: float = 0.15
    """Relative scale in [1 - scale, 1 + scale] (per axis)."""
    shear: float = 0.15
    shift: float = 0.08
    width: tuple[float, float] = (0.08, 0.14)
    """Stroke width range (fraction of the image side)."""
    noise: float = 0.1
    """Uniform pixel noise in [-noise, noise] added before clipping to [0, 1]."""


def random_affine(rng: np.random.Generator, jitter: Jitter) -> np.ndarray:
    """A random 2 x 2 map: rotation times shear times per-axis scale (ranges of ``jitter``)."""
    theta = rng.uniform(-jitter.rotation, jitter.rotation)
    c, s = np.cos(theta), np.sin(theta)
    rotation = np.array([[c, -s], [s, c]])
    shear = np.array([[1.0, rng.uniform(-jitter.shear, jitter.shear)], [0.0, 1.0]])
    scale = np.diag(rng.uniform(1 - jitter.scale, 1 + jitter.scale, 2))
    return rotation @ shear @ scale


@dataclass(frozen=True)
class DigitSet:
    """``n`` digits: pixel levels ``M`` (p^2, n) in 0..grid, data ``X = M / q`` (q = grid times
    the ceiling of the largest column norm of M / grid, so every column of X has norm <= 1),
    integer ``labels`` (n,) and one-hot targets ``Y`` (classes, n)."""

    M: np.ndarray
    q: int
    labels: np.ndarray
    classes: int

    @property
    def X(self) -> np.ndarray:
        return self.M / self.q

    @property
    def Y(self) -> np.ndarray:
        return np.eye(self.classes)[:, self.labels]

    @property
    def X_exact(self) -> np.ndarray:
        """X as exact Fractions (object array)."""
        return np.array([[Fraction(int(v), self.q) for v in row] for row in self.M],
                        dtype=object)

    @property
    def Y_exact(self) -> np.ndarray:
        return np.array([[Fraction(int(v)) for v in row] for row in self.Y.astype(int)],
                        dtype=object)


def digit_set(rng: np.random.Generator, n: int, p: int, jitter: Jitter = Jitter(),
              classes: int = CLASSES, grid: int = GRID) -> DigitSet:
    """``n`` jittered, noisy synthetic digits of labels ``0, 1, ..., classes - 1, 0, 1, ...``
    (balanced), drawn from ``rng`` (module docstring)."""
    labels = np.arange(n) % classes
    columns = []
    for label in labels:
        affine = random_affine(rng, jitter)
        dx, dy = rng.uniform(-jitter.shift, jitter.shift, 2)
        width = rng.uniform(*jitter.width)
        raster = digit_raster(int(label), dx, dy, width, p, grid, affine)
        noise = np.round(grid * rng.uniform(-jitter.noise, jitter.noise, (p, p))).astype(int)
        columns.append(np.clip(raster + noise, 0, grid).ravel())
    M = np.array(columns, dtype=np.int64).T
    largest = int((M * M).sum(axis=0).max())
    root = isqrt(largest - 1) + 1 if largest > 0 else 1  # ceil(sqrt(largest))
    return DigitSet(M, grid * max(1, -(-root // grid)), labels, classes)


def one_vs_rest_separable(data: DigitSet) -> bool:
    """Is each class linearly separable (through the origin) from the others (one LP each)?"""
    X = data.X.T
    return all(separable(X, np.where(data.labels == c, 1.0, -1.0))
               for c in range(data.classes))
