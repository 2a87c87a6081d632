"""Linear tensor networks of the implicit-bias paper (Yun et al., seed 003, §3 and App. B).

A network of depth L has parameter vectors ``v_l`` of lengths ``k_l`` (batched: arrays of shape
(B, k_l)) and a data tensor ``M(x)`` of shape (k_1, ..., k_L), linear in x in R^d; its output
is the multilinear product ``f(x) = M(x) ∘ (v_1, ..., v_L)`` (eq. (6)), i.e. ``x^T beta`` with
linear coefficients ``beta_j = M(e_j) ∘ (v_1, ..., v_L)``. Three architectures:

* ``diagonal(d, L)``: ``beta = w_1 ⊙ ... ⊙ w_L`` (eq. (3)), ``[M(x)]_{j..j} = x_j``;
* ``conv(d, sizes)``: circular convolutions with filters of sizes ``k_l <= d``, ``k_L = d``
  (eq. (4)), ``[M(x)]_{j_1..j_L} = x_{(j_1 + ... + j_L - L + 1) mod d}``;
* ``fully_connected(widths)``: ``f(x) = x^T W_1 ... W_{L-1} w_L`` with ``W_l`` of shape
  (d_l, d_{l+1}), ``v_l = vec(W_l)`` (column-major) and ``M_fc`` built block-diagonally
  (App. B);
* ``general(T)``: any data tensor, given by ``T = [M(e_1), ..., M(e_d)]`` (shape
  (d, k_1, ..., k_L)); everything goes through the data tensor (e.g. a random one).

Every quantity is available directly (closed-form products, FFTs, layered matrix products) and
through the data tensor (``*_tensor`` functions); tests check they agree. Losses are the
end-to-end losses of :mod:`verify.core.losses` applied to ``W = beta^T`` (shape (B, 1, d)):
:func:`regression_loss` and :func:`classification_loss` build the paper's ones from X (n, d).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from verify.core import networks
from verify.core.losses import ExponentialLoss, Loss, SquaredLoss
from verify.errors import VerifyError

KINDS = ("diagonal", "conv", "fc", "tensor")


@dataclass(frozen=True)
class TensorNetwork:
    """Architecture of a linear tensor network: ``kind``, input dimension ``d``, parameter
    lengths ``sizes = (k_1, ..., k_L)``, for ``fc`` the widths (d_1 = d, ..., d_L) and, for
    ``tensor``, the data tensor ``tensor = [M(e_1), ..., M(e_d)]`` (d, k_1, ..., k_L)."""

    kind: str
    d: int
    sizes: tuple[int, ...]
    widths: tuple[int, ...] = ()
    tensor: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def depth(self) -> int:
        """L, the number of parameter vectors."""
        return len(self.sizes)

    def init(self, rng: np.random.Generator, batch: int, scale: float = 1.0) -> list[np.ndarray]:
        """Gaussian parameters of shape (B, k_l) with standard deviation ``scale``."""
        return [scale * rng.standard_normal((batch, k)) for k in self.sizes]


def diagonal(d: int, depth: int) -> TensorNetwork:
    """L-layer linear diagonal network on R^d (seed 003, eq. (3))."""
    if depth < 2:
        raise VerifyError("a tensor network needs depth L >= 2")
    return TensorNetwork("diagonal", d, (d,) * depth)


def conv(d: int, sizes: Sequence[int]) -> TensorNetwork:
    """Linear circular-convolutional network with filter sizes ``sizes`` (last one = d)."""
    sizes = tuple(int(k) for k in sizes)
    if len(sizes) < 2 or sizes[-1] != d or any(k < 1 or k > d for k in sizes):
        raise VerifyError(f"conv network needs L >= 2 filter sizes in [1, {d}] ending in d")
    return TensorNetwork("conv", d, sizes)


def fully_connected(widths: Sequence[int]) -> TensorNetwork:
    """Linear fully-connected network with widths (d_1 = d, ..., d_L) (seed 003, eq. (5))."""
    widths = tuple(int(w) for w in widths)
    if len(widths) < 2:
        raise VerifyError("a tensor network needs depth L >= 2")
    sizes = (*tuple(widths[l] * widths[l + 1] for l in range(len(widths) - 1)), widths[-1])
    return TensorNetwork("fc", widths[0], sizes, widths)


def general(T: np.ndarray) -> TensorNetwork:
    """Linear tensor network with data tensor ``M(x) = sum_j x_j T[j]`` (T: (d, k_1, ..., k_L))."""
    T = np.asarray(T, dtype=float)
    if T.ndim < 3:
        raise VerifyError("a tensor network needs depth L >= 2: T of shape (d, k_1, ..., k_L)")
    return TensorNetwork("tensor", T.shape[0], tuple(int(k) for k in T.shape[1:]), (), T)


# ----------------------------------------------------------------------------- data tensor


def data_tensor(net: TensorNetwork, x: np.ndarray) -> np.ndarray:
    """``M(x)`` for x of shape (..., d): an array of shape (..., k_1, ..., k_L)."""
    x = np.asarray(x, dtype=float)
    return np.tensordot(x, basis_tensor(net), axes=([-1], [0]))


def basis_tensor(net: TensorNetwork) -> np.ndarray:
    """``[M(e_1), ..., M(e_d)]`` stacked: shape (d, k_1, ..., k_L)."""
    if net.kind == "tensor":
        return net.tensor
    d, L = net.d, net.depth
    T = np.zeros((d, *net.sizes))
    if net.kind == "diagonal":
        idx = np.arange(d)
        T[(idx,) * (L + 1)] = 1.0
    elif net.kind == "conv":
        grids = np.indices(net.sizes)
        T[(grids.sum(axis=0) % d, *grids)] = 1.0
    else:
        for j in range(d):
            T[j] = _fc_tensor(net.widths, np.eye(d)[j])
    return T


def _fc_tensor(widths: tuple[int, ...], x: np.ndarray) -> np.ndarray:
    """The block-diagonal construction T_L(x) of seed 003, App. B."""
    T = x
    for l in range(1, len(widths)):
        prev, cur = widths[l - 1], widths[l]
        lead = T.shape[:-1]
        new = np.zeros((*lead, prev * cur, cur))
        for j in range(cur):
            new[..., prev * j: prev * (j + 1), j] = T
        T = new
    return T


def multilinear(T: np.ndarray, vectors: Sequence[np.ndarray],
                skip: int | None = None) -> np.ndarray:
    """``T ∘ (v_1, ..., v_L)`` batched over the vectors' leading axis B.

    T has shape (k_1, ..., k_L) or (n, k_1, ..., k_L) (then the result has an axis n after B);
    vectors are (B, k_l). With ``skip = l`` the l-th slot gets the identity (``I_{k_l}``) and
    the result gains a trailing axis of length k_l.
    """
    L = len(vectors)
    extra = T.ndim - L
    letters = string.ascii_letters
    t_sub = letters[L: L + extra] + letters[:L]
    operands: list[np.ndarray] = [T]
    subs = [t_sub]
    for l, v in enumerate(vectors):
        if l != skip:
            operands.append(v)
            subs.append("Z" + letters[l])
    out = "Z" + letters[L: L + extra] + (letters[skip] if skip is not None else "")
    return np.einsum(",".join(subs) + "->" + out, *operands, optimize=True)


# ----------------------------------------------------------------------------- coefficients


def beta(net: TensorNetwork, params: Sequence[np.ndarray]) -> np.ndarray:
    """Linear coefficients ``beta(Theta)`` of shape (B, d), computed directly."""
    if net.kind == "diagonal":
        return np.prod(np.stack(params), axis=0)
    if net.kind == "conv":
        return np.fft.ifft(np.prod(np.stack(_conv_spectra(net, params)), axis=0), axis=-1).real
    if net.kind == "tensor":
        return beta_tensor(net, params)
    return networks.end_to_end(_fc_layers(net, params))[:, 0, :]


def beta_tensor(net: TensorNetwork, params: Sequence[np.ndarray]) -> np.ndarray:
    """Linear coefficients through the data tensor: ``beta_j = M(e_j) ∘ (v_1, ..., v_L)``."""
    return multilinear(basis_tensor(net), params)


def forward(net: TensorNetwork, params: Sequence[np.ndarray], X: np.ndarray) -> np.ndarray:
    """Outputs ``f(x_i)`` for X of shape (n, d): shape (B, n)."""
    return beta(net, params) @ np.asarray(X, dtype=float).T


def forward_tensor(net: TensorNetwork, params: Sequence[np.ndarray],
                   X: np.ndarray) -> np.ndarray:
    """Outputs ``M(x_i) ∘ (v_1, ..., v_L)`` through the data tensors: shape (B, n)."""
    return multilinear(data_tensor(net, X), params)


def _conv_spectra(net: TensorNetwork, params: Sequence[np.ndarray]) -> list[np.ndarray]:
    """DFTs of the zero-padded filters: beta = ifft(prod_l fft(pad(w_l)))."""
    return [np.fft.fft(v, n=net.d, axis=-1) for v in params]


def _fc_layers(net: TensorNetwork, params: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The layered form: layer l is ``W_l^T`` (d_{l+1}, d_l), the last ``w_L^T`` (1, d_L)."""
    w = net.widths
    layers = [v.reshape(v.shape[0], w[l + 1], w[l]) for l, v in enumerate(params[:-1])]
    return [*layers, params[-1][:, None, :]]


def _products_except(factors: Sequence[np.ndarray]) -> list[np.ndarray]:
    """``prod_{m != l} factors[m]`` for every l, by prefix and suffix products."""
    L = len(factors)
    prefix = [np.ones_like(factors[0])]
    for f in factors[:-1]:
        prefix.append(prefix[-1] * f)
    out: list[np.ndarray] = [None] * L  # type: ignore[list-item]
    suffix = np.ones_like(factors[0])
    for l in range(L - 1, -1, -1):
        out[l] = prefix[l] * suffix
        suffix = suffix * factors[l]
    return out


# ----------------------------------------------------------------------------- gradients


def regression_loss(X: np.ndarray, y: np.ndarray) -> Loss:
    """``sum_i 1/2 (f(x_i) - y_i)^2`` (seed 003, §2.1) for X (n, d) or (B, n, d), y (n,)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    return SquaredLoss(np.swapaxes(X, -1, -2), y[..., None, :], convention="half_sum")


def classification_loss(X: np.ndarray, y: np.ndarray) -> Loss:
    """``sum_i exp(-y_i f(x_i))`` (seed 003, §2.1) for X (n, d) or (B, n, d), y in {±1}^n."""
    return ExponentialLoss(np.swapaxes(np.asarray(X, dtype=float), -1, -2), np.asarray(y))


def value_and_gradients(net: TensorNetwork, params: Sequence[np.ndarray],
                        loss: Loss) -> tuple[np.ndarray, list[np.ndarray]]:
    """Loss value (B,) and gradients ``dL/dv_l`` (B, k_l), computed directly."""
    if net.kind == "fc":
        value, grads = networks.value_and_layer_gradients(_fc_layers(net, params), loss)
        return value, [g.reshape(g.shape[0], -1) for g in grads]
    b = beta(net, params)
    value, G = loss.value_and_grad(b[:, None, :])
    g = G[:, 0, :]
    if net.kind == "tensor":
        Mg = np.tensordot(g, net.tensor, axes=([-1], [0]))
        return value, [_contract_batched(Mg, params, l) for l in range(net.depth)]
    if net.kind == "diagonal":
        return value, [g * p for p in _products_except(params)]
    spectra = _conv_spectra(net, params)
    g_hat = np.fft.fft(g, axis=-1)
    return value, [np.fft.ifft(g_hat * np.conj(q), axis=-1).real[:, :k]
                   for q, k in zip(_products_except(spectra), net.sizes, strict=True)]


def gradients(net: TensorNetwork, params: Sequence[np.ndarray], loss: Loss) -> list[np.ndarray]:
    """Gradients ``dL/dv_l`` of shape (B, k_l), computed directly."""
    return value_and_gradients(net, params, loss)[1]


def gradients_tensor(net: TensorNetwork, params: Sequence[np.ndarray],
                     loss: Loss) -> list[np.ndarray]:
    """Gradients through the data tensor (seed 003, §3, gradient-flow equation):
    ``dL/dv_l = M(X^T r) ∘ (v_1, ..., I_{k_l}, ..., v_L)`` with ``X^T r = dL/dbeta``."""
    b = beta_tensor(net, params)
    g = loss.grad(b[:, None, :])[:, 0, :]
    Mg = np.tensordot(g, basis_tensor(net), axes=([-1], [0]))
    return [_contract_batched(Mg, params, l) for l in range(net.depth)]


def _contract_batched(T: np.ndarray, vectors: Sequence[np.ndarray], skip: int) -> np.ndarray:
    """Contract a batched tensor T (B, k_1..k_L) with batched vectors except slot ``skip``."""
    L = len(vectors)
    letters = string.ascii_letters
    subs = ["Z" + letters[:L]]
    operands: list[np.ndarray] = [T]
    for l, v in enumerate(vectors):
        if l != skip:
            operands.append(v)
            subs.append("Z" + letters[l])
    return np.einsum(",".join(subs) + "->Z" + letters[skip], *operands, optimize=True)


def gd_step(net: TensorNetwork, params: Sequence[np.ndarray], loss: Loss,
            eta: float | np.ndarray) -> list[np.ndarray]:
    """One GD step on every parameter vector; ``eta`` a number or one per trial (B,)."""
    lr = np.asarray(eta, dtype=float)
    lr = lr[:, None] if lr.ndim else lr
    return [p - lr * g for p, g in zip(params, gradients(net, params, loss), strict=True)]


@dataclass
class TensorTrajectory:
    """A batched GD run on a tensor network: final ``params``, recorded ``steps`` (R,),
    ``losses`` (R, B) and ``betas`` (R, B, d)."""

    params: list[np.ndarray]
    steps: np.ndarray
    losses: np.ndarray
    betas: np.ndarray


def gd(net: TensorNetwork, params: Sequence[np.ndarray], loss: Loss, eta: float | np.ndarray,
       steps: int, record_every: int | None = None) -> TensorTrajectory:
    """``steps`` GD steps, recording loss and beta at 0, every ``record_every`` and the end."""
    record = set(range(0, steps + 1, record_every)) if record_every else {0}
    record.add(steps)
    params = [np.asarray(p, dtype=float) for p in params]
    rec_steps, losses, betas = [], [], []
    for t in range(steps + 1):
        if t in record:
            b = beta(net, params)
            rec_steps.append(t)
            losses.append(loss.value(b[:, None, :]))
            betas.append(b)
        if t < steps:
            params = gd_step(net, params, loss, eta)
    return TensorTrajectory(params, np.array(rec_steps), np.array(losses), np.array(betas))
