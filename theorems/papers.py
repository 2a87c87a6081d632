"""The four papers of the claim library."""

from verify.claims import Paper

ALIGN = Paper(
    "ALIGN", "alignment", "On Alignment in Deep Linear Neural Networks",
    "001_5ad0242986dc6fd5.txt (appendix also in 000_94d032a81702543b.txt)",
    findings="""\
The core theory holds where its proofs' hypotheses hold, but several statements are wider than
what is proved. The "only if" halves of Theorem 1, Lemma 2 and Theorem 4 fail for degenerate
initialisations the statements admit (a zero or rank-deficient layer, or singular-value
products that do not move keeps the frames frozen on data violating the condition); they hold
for invertible layers whose products move, which is what App. A's proofs use. Theorem 1's data
condition is decided by an exact, computable criterion rather than by sampling frames. Eq. (4)
needs the proof's full-rank hypothesis; Corollary 1's eq. (6) must exclude Sigma'_i from its
own update (as App. B does); Proposition 2's rate needs |T| >= 1 (seed 000 has it, 001 prints
|T| > 1); Proposition 5 and Theorem 3 must exclude scalar multiples of orthogonal matrices;
the matrix-sensing condition of §4.2 is only sufficient. The App. I convolution matrix, built
independently, differs from the printed one (its bottom filter row, non-orthonormal basis,
dimension min(s, 2p - 1)^2). The experiments are reproduced on random data and on synthetic
digit images (no MNIST offline); alignment is measured with a frame-free invariance defect
that is exactly zero on frozen frames.""")
CONV = Paper(
    "CONV", "convergence",
    "A Convergence Analysis of Gradient Descent for Deep Linear Neural Networks",
    "002_e19624c72e9662f5.txt",
    findings="""\
The main results hold: Theorem 1's per-step inequalities (Lemmas 1, 2, 7) are checked directly
at the precision the tiny printed learning rates need (python-flint balls), GD is run at the
printed rate on small instances, and Theorem 2's balanced initialisation (Procedure 1) is an
engine utility; the probabilistic statements (Claims 2, 3, Theorem 2's event, Lemmas 8-13) get
Monte Carlo estimates with Clopper-Pearson intervals, and Claims 4 and 5's constructions are
checked with every intermediate assertion over the whole admissible parameter range. Two
appendix statements are wrong as printed: Lemma 5's eq. (18) has its two cases swapped
(exact counterexample; the proof establishes the swapped version), and Lemma 17's base case
(eq. (50)) fails for c close to 1, because W_j(1), j > N/2, is only of order eta (1 - c) A;
a corrected last term of (50) makes it hold, and Claim 4 itself survives.""")
BIAS = Paper(
    "BIAS", "implicit_bias",
    "A Unifying View on Implicit Bias in Training Linear Neural Networks",
    "003_2b80ef1235f532de.txt",
    findings="""\
The regression results hold: the gradient-flow limits of Theorems 5-7 and Corollaries 5 and 7
match minimisers of the stated problems solved independently (scipy, refined at high
precision) over a range of alpha and depths, with h_L, H_L and h_L^{-1} as engine functions
(closed form at L = 2, high-precision ODE solutions otherwise) and the KKT condition of App.
F.2.2 derived symbolically; the section 6 limit points and trajectories are reproduced. Refuted
as printed: the tensor form (2)-(6) needs phi(0) = 0 for L >= 3; Remark 4's "grows like the
absolute value" fails at L = 2 (H_2(t) ~ (|t|/2) log|t|); Corollary 6 drops the factor
d^{-(L-1)/2} of S = d^{(L-1)/2} F; Theorem 3, read for an arbitrary l1 solution rho^oo, fails
when the top singular value is repeated (exact counterexample x = (1, 1), v1(0) = (2, 1),
v2(0) = 0: the limit keeps the direction (2, 1)), and holds for the proof's solution. App.
E.1.1's loss rate also misses a factor L(0) (a proof slip, noted). The classification
theorems are limit statements: Theorems 1, 2 and Corollaries 2, 3 assume that X^T r converges
in direction; that assumption is measured on every trial and trials where it is not observed
are excluded and counted, never taken as support. Their limit directions (singular vectors of
M(-u^oo), l_{2/L} and DFT-domain stationary points, the l2 max-margin direction of Corollary 1)
are supported at the scale at which directional convergence was measured (chord 1e-3 to 5e-2).
At L = 2 the direction converges only polynomially in the norm: Corollary 2's l1 limit is
checked on instances whose dual certificate has slack (distance extrapolated along the
predicted power of ||beta||), while Theorem 2's and Corollary 3's directions are checked at
L = 3 only; loss -> 0 is checked at L = 2 and 3.""")
INIT = Paper(
    "INIT", "initialization",
    "On the Role of Initialization on the Implicit Bias in Deep Learning",
    "004_bae8d3aeafe845f9.txt",
    findings="""\
The exact invariants hold (iterates in range(A^T), W_k = A^T v_k x_k^T, sparsity patterns, the
constant C of §4.2), checked step by step in rational arithmetic and over long float runs, and
the bi-optimality identities and minimum-norm corollaries hold. Several printed formulas do
not: Theorem 4 ("a matrix of any rank") fails for rank-deficient A (exact counterexample
A = diag(1, 0)), as it uses rank n; the gradients printed in §4.1 drop A^T and x^T factors;
Algorithm 1 needs alpha < 2 for its inner loop to converge; Algorithm 3 and the limits around
it have misplaced alpha, rho_k versus rho_k^2 and a stray ||x_0||^2; Theorem 12 needs
W_1^(k) != 0 as well; Corollary 14's third statement has a mis-transposed Kronecker factor;
Theorem 15 needs n <= d. In §5 (Riemannian GD on the Stiefel manifold, retraction implemented
here), "quite frequently" at depth 1 is refuted under the stated reading: reaching theta* is
exactly as rare as for plain least squares, and grows with depth as the conservation law
predicts.""")

PAPERS = (ALIGN, CONV, BIAS, INIT)
