"""verify.core.synthetic_digits: the synthetic MNIST stand-in."""

from fractions import Fraction

import numpy as np

from verify.core.synthetic_digits import (
    GRID,
    Jitter,
    digit_image,
    digit_raster,
    digit_set,
    one_vs_rest_separable,
    random_affine,
    stroke_points,
)


def test_digit_images_distinct_nonzero_bounded():
    images = [digit_image(label, 0.0, 0.0, 0.12, 7) for label in range(10)]
    assert all(any(v != 0 for v in img) for img in images)
    assert len({tuple(img) for img in images}) == 10
    assert all(sum(v * v for v in img) <= 1 for img in images)
    assert all(isinstance(v, Fraction) for v in images[0])


def test_image_is_scaled_raster():
    raster = digit_raster(3, 0.05, -0.02, 0.1, 9)
    image = digit_image(3, 0.05, -0.02, 0.1, 9)
    assert raster.min() >= 0 and raster.max() <= GRID
    ratio = {v / int(r) for v, r in zip(image, raster.ravel(), strict=True) if r}
    assert len(ratio) == 1


def test_identity_affine_is_a_shift():
    assert np.allclose(stroke_points(4, 0.1, 0.0, np.eye(2)), stroke_points(4, 0.1, 0.0))


def test_random_affine_within_ranges():
    rng = np.random.default_rng(0)
    for _ in range(50):
        A = random_affine(rng, Jitter())
        s = np.linalg.svd(A, compute_uv=False)
        assert 0.6 < s.min() <= s.max() < 1.5 and np.linalg.det(A) > 0


def test_digit_set_shapes_scale_labels_and_determinism():
    data = digit_set(np.random.default_rng(1), 25, 8)
    assert data.M.shape == (64, 25) and data.q % GRID == 0
    assert np.linalg.norm(data.X, axis=0).max() <= 1
    assert np.array_equal(data.labels, np.arange(25) % 10)
    assert np.array_equal(data.Y.argmax(axis=0), data.labels)
    assert data.X_exact[0, 0] == Fraction(int(data.M[0, 0]), data.q)
    again = digit_set(np.random.default_rng(1), 25, 8)
    assert np.array_equal(again.M, data.M)


def test_separability_lp():
    data = digit_set(np.random.default_rng(2), 20, 6)
    assert one_vs_rest_separable(data)  # 20 points in 36 dimensions, full rank
    twins = digit_set(np.random.default_rng(2), 2, 6, classes=2)
    clash = type(twins)(np.hstack([twins.M[:, :1], twins.M[:, :1]]), twins.q,
                        np.array([0, 1]), 2)
    assert not one_vs_rest_separable(clash)  # the same image with two labels
