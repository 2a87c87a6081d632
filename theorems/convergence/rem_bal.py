"""CONV-Rem-Bal — §3.1, the remark after Definition 1: singular values of 0-balanced layers.

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    Note that in the case of 0-balancedness, i.e. W_{j+1}^T W_{j+1} = W_j W_j^T,
    for all j in {1, ..., N-1}, all matrices W_j share the same set of non-zero singular
    values. Moreover, as shown in the proof of Theorem 1 in Arora et al. (2018), this set is
    obtained by taking the N-th root of each non-zero singular value in the end-to-end matrix
    W_{1:N}.

Hypothesis set. Every 0-balanced tuple is ``W_j = U_j Sigma_j U_{j-1}^T`` with orthogonal
``U_j`` and one common vector of singular values (padded into the ``d_j x d_{j-1}`` diagonal
``Sigma_j``); :func:`verify.core.balanced_layers.network_domain` samples it with rational
Cayley factors, depths ``N <= 4``, widths ``<= 3`` (all width patterns, bottlenecks
included) and singular values clipped at 0 (rank-deficient and zero layers are frequent), so
every instance is *exactly* 0-balanced in rational arithmetic.

Checks. In float64, the non-increasing singular values of consecutive layers, zero-padded to
a common length, are compared, and so are those of ``W_{1:N}`` and the N-th powers of those of
``W_N`` (equal padded lists <=> equal multisets of non-zero values). The exact re-check
compares power sums: for Gram matrices of size at most ``K = max_j d_j``, the traces
``Tr((W^T W)^k)``, ``k = 1..K``, determine the multiset of non-zero eigenvalues (Newton's
identities), so ``Tr((W_j^T W_j)^k) = Tr((W_{j+1}^T W_{j+1})^k)`` for ``k <= K`` is exactly
"same non-zero singular values, with multiplicity", and ``Tr((W_{1:N}^T W_{1:N})^k) =
Tr((W_N^T W_N)^{N k})`` is exactly "the non-zero singular values of W_{1:N} are the N-th
powers of those of W_N". Each comparison's excess is ``|a - b| / (|a| + |b|)``.

Mutants: (N+1)-th instead of N-th roots; and "the same singular values" read with zeros
included (``sigma_min(W_j)`` equal for all j), false when widths differ.
"""

from __future__ import annotations

from itertools import pairwise

import flint
import numpy as np

from theorems.papers import CONV
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.balanced_layers import network_domain, network_layers, network_layers_exact
from verify.core.hp_linalg import bits, sigma_min_ball
from verify.core.measures import sigma_min, singular_values
from verify.core.networks import end_to_end
from verify.domain import Batch, Instance, Property
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"Note that in the case of 0-balancedness, *i.e.*  $W_{j+1}^\top W_{j+1} = W_j "
    r"W_j^\top$ ,  $\forall j \in \{1, \dots, N-1\}$ , all matrices  $W_j$  share the "
    r"same set of non-zero singular values. Moreover, as shown in the proof of Theorem 1 "
    r"in Arora et al. (2018), this set is obtained by taking the  $N$ -th root of each "
    r"non-zero singular value in the end-to-end matrix  $W_{1:N}$ .")

DOMAIN = network_domain()
WIDTH = 3


def _padded(values: np.ndarray, length: int) -> np.ndarray:
    return np.concatenate([values, np.zeros((*values.shape[:-1], length - values.shape[-1]))],
                          axis=-1)


def _relative(a: flint.fmpq, b: flint.fmpq) -> flint.fmpq:
    total = abs(a) + abs(b)
    return abs(a - b) / total if total != 0 else flint.fmpq(0)


def power_sums(W: flint.fmpq_mat, K: int, power: int = 1) -> list[flint.fmpq]:
    """``Tr((W^T W)^{power k})`` for ``k = 1..K``, exactly."""
    G = W.transpose() * W
    Gp = G ** power
    out, P = [], Gp
    for _ in range(K):
        out.append(sum((P[i, i] for i in range(P.nrows())), flint.fmpq(0)))
        P = P * Gp
    return out


def remark_property(root: int = 0) -> Property:
    """Shared non-zero singular values and N-th roots (``root`` adds to the root's order)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Ws = network_layers(batch)
        N = len(Ws)
        svs = [_padded(singular_values(W), WIDTH) for W in Ws]
        gaps = [np.abs(a - b).max(axis=-1) for a, b in pairwise(svs)]
        end = _padded(singular_values(end_to_end(Ws)), WIDTH)
        gaps.append(np.abs(end - svs[-1] ** (N + root)).max(axis=-1))
        scale = np.max([sv[..., 0] for sv in svs], axis=0) ** (N + root) + \
            np.max([sv[..., 0] for sv in svs], axis=0) + end[..., 0]
        return np.max(gaps, axis=0), scale

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.fmpq, int]:
        Ws = network_layers_exact(inst)
        N, K = len(Ws), WIDTH
        sums = [power_sums(W, K) for W in Ws]
        excess = [_relative(a, b) for s1, s2 in pairwise(sums)
                  for a, b in zip(s1, s2, strict=True)]
        end = Ws[0]
        for W in Ws[1:]:
            end = W * end
        excess += [_relative(a, b) for a, b in
                   zip(power_sums(end, K), power_sums(Ws[-1], K, N + root), strict=True)]
        return max(excess), 1

    what = "N-th" if root == 0 else f"(N+{root})-th"
    return Property(DOMAIN, margin, margin_hp, Tolerance(1e-9, 1e-12), rigorous=True,
                    description=f"shared non-zero singular values; {what} roots of W_1:N's")


def sigma_min_property() -> Property:
    """Mutant reading: ``sigma_min(W_j)`` (zeros included) equal for all j."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        mins = [sigma_min(W) for W in network_layers(batch)]
        gap = np.max([np.abs(a - b) for a, b in pairwise(mins)]
                     + [np.zeros_like(mins[0])], axis=0)
        return gap, np.max(mins, axis=0) + 1e-300

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.arb, flint.arb]:
        with flint.ctx.workprec(bits(digits)):
            mins = [sigma_min_ball(W, digits) for W in network_layers_exact(inst)]
            gaps = [abs(a - b) for a, b in pairwise(mins)]
            gap = gaps[0] if gaps else flint.arb(0)
            for g in gaps[1:]:
                gap = gap.max(g)
            top = mins[0]
            for m in mins[1:]:
                top = top.max(m)
            return gap, top

    return Property(DOMAIN, margin, margin_hp, Tolerance(1e-9, 1e-12), rigorous=True,
                    description="sigma_min(W_j) equal for all j")


PRINTED = remark_property()
WRONG_ROOT = remark_property(root=1)
WITH_ZEROS = sigma_min_property()

CLAIM = Claim(
    id="CONV-Rem-Bal", paper=CONV, location="§3.1, remark after Definition 1",
    statement=STATEMENT,
    variants=(
        Variant("as-printed", "exactly 0-balanced layers: shared non-zero singular values "
                "(with multiplicity) and N-th roots of the end-to-end ones; exact power sums",
                (trials("balanced-layers", PRINTED, count=256),
                 search("search", PRINTED)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:root-order", "(N+1)-th instead of N-th roots",
                (trials("balanced-layers", WRONG_ROOT, count=256),),
                expected=Verdict.REFUTED),
        Variant("mutant:with-zeros", "the same singular values including zeros "
                "(sigma_min(W_j) equal for all j)",
                (trials("balanced-layers", WITH_ZEROS, count=256),),
                expected=Verdict.REFUTED),
    ),
)
