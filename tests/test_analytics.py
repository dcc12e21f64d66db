"""Analytics on cases small enough to check on paper, independent routes, and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exportplan.analytics import complexity as cx
from exportplan.analytics import rca as rcam
from exportplan.analytics import relatedness as rel
from exportplan.errors import InputError

# Hidalgo & Hausmann (2009) Fig. S4 toy network: C1-{P1..P4}, C2-{P2}, C3-{P3,P4}, C4-{P4}
TOY = np.array([[1, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1]], dtype=float)


def test_rca_by_hand() -> None:
    # X_c = [2, 4], X_p = [2, 4], X = 6
    r = rcam.balassa_rca(np.array([[1.0, 1.0], [1.0, 3.0]]))
    np.testing.assert_allclose(r, [[1.5, 0.75], [0.75, 1.125]], rtol=1e-15)


def test_rca_identities_and_presence_floor() -> None:
    rng = np.random.default_rng(1)
    x = rng.lognormal(0, 2, (30, 40)) * (rng.random((30, 40)) < 0.6)
    r = np.nan_to_num(rcam.balassa_rca(x))
    share_c = x.sum(axis=1) / x.sum()
    share_p = x.sum(axis=0) / x.sum()
    np.testing.assert_allclose(share_c @ r, 1.0, rtol=1e-12)  # sum_c (X_c/X) RCA_cp = 1
    np.testing.assert_allclose(r @ share_p, 1.0, rtol=1e-12)  # sum_p (X_p/X) RCA_cp = 1
    m = rcam.threshold(r, 1.0)
    assert (m.sum(axis=1) >= 1).all() and (m.sum(axis=0) >= 1).all()


def test_threshold_inclusive_and_strict_differ_only_at_ties() -> None:
    idx = np.array([[0.5, 1.0, 1.5]])
    assert rcam.threshold(idx, 1.0).tolist() == [[False, True, True]]
    assert rcam.threshold(idx, 1.0, strict=True).tolist() == [[False, False, True]]


def test_rca_empty_row_is_nan_only_for_itself() -> None:
    r = rcam.balassa_rca(np.array([[1.0, 2.0], [0.0, 0.0], [3.0, 1.0]]))
    assert np.isnan(r[1]).all() and np.isfinite(r[[0, 2]]).all()


def test_rca_rejects_negative_values() -> None:
    with pytest.raises(InputError, match="negative"):
        rcam.balassa_rca(np.array([[1.0, -1.0], [1.0, 1.0]]))


def test_rpop_by_hand_and_either_is_logical_or() -> None:
    x = np.array([[10.0, 0.0], [5.0, 5.0]])
    pop = np.array([1.0, 4.0])
    # POP = 5; world per capita of p0 = 15/5 = 3, of p1 = 5/5 = 1
    np.testing.assert_allclose(rcam.rpop(x, pop), [[10 / 3, 0.0], [1.25 / 3, 1.25]])
    m, _, _ = rcam.presence(x, test="either", population=pop)
    m_rca, _, _ = rcam.presence(x, test="rca")
    m_rpop, _, _ = rcam.presence(x, test="rpop", population=pop)
    assert m.dtype == bool and (m == (m_rca | m_rpop)).all()
    assert m.max() == 1  # never 2, unlike py-ecomplexity's "both"


def test_manual_presence_must_be_binary() -> None:
    with pytest.raises(InputError, match="0 or 1"):
        rcam.presence(np.array([[1.0, 2.0], [0.0, 1.0]]), test="manual")


def test_proximity_by_hand_zero_diagonal() -> None:
    phi = rel.proximity(TOY)
    expected = np.array(
        [
            [0, 1 / 2, 1 / 2, 1 / 3],
            [1 / 2, 0, 1 / 2, 1 / 3],
            [1 / 2, 1 / 2, 0, 2 / 3],
            [1 / 3, 1 / 3, 2 / 3, 0],
        ]
    )
    np.testing.assert_allclose(phi, expected, rtol=1e-15)


def test_asymmetric_proximity_by_hand() -> None:
    phi = rel.proximity(TOY, kind="asymmetric")  # phi[p, p'] = C_pp' / k_p
    assert phi[0, 3] == pytest.approx(1.0)  # every exporter of P1 exports P4
    assert phi[3, 0] == pytest.approx(1 / 3)  # a third of P4's exporters export P1
    assert phi[2, 3] == pytest.approx(1.0) and phi[3, 2] == pytest.approx(2 / 3)


def test_density_by_hand() -> None:
    d = rel.density(TOY, rel.proximity(TOY))
    # column sums of phi: P1 4/3, P2 4/3, P3 5/3, P4 4/3
    assert d[1, 0] == pytest.approx(3 / 8)
    assert d[1, 2] == pytest.approx(0.3)
    assert d[1, 3] == pytest.approx(0.25)
    assert d[1, 1] == pytest.approx(0.0)  # no self term
    assert d[3, 2] == pytest.approx(0.4)
    np.testing.assert_allclose(d[0], 1.0)  # a location with every product


def test_knn_density_is_weighted_and_renormalised() -> None:
    phi = rel.proximity(TOY)
    d = rel.density(TOY, phi, knn=1)
    # nearest of P3 is P4 (2/3): density of P3 for C4 (has P4) is 1, for C2 (has P2 only) 0
    assert d[3, 2] == pytest.approx(1.0)
    assert d[1, 2] == pytest.approx(0.0)
    assert d.dtype == np.float64
    d2 = rel.density(TOY, phi, knn=2)
    # P4's two nearest: P3 (2/3) and one of P1/P2 (1/3): C3 has P3 -> (2/3)/(1) = 2/3
    assert d2[2, 3] == pytest.approx(2 / 3)


def test_eigenvector_matches_direct_nonsymmetric_solution() -> None:
    rng = np.random.default_rng(7)
    m = (rng.random((25, 60)) < 0.3).astype(float)
    m = m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0]
    kc, kp = m.sum(axis=1), m.sum(axis=0)
    mt = (m / kp).T @ (m / kc[:, None])  # Mtilde_P[p,p'] = sum_c M_cp M_cp' / (k_p k_c)
    w, v = np.linalg.eig(mt)
    order = np.argsort(w.real)
    q_direct = v[:, order[-2]].real
    q_direct /= np.linalg.norm(q_direct)
    res = cx.eigenvector(m)
    assert np.isclose(abs(q_direct @ res.q), 1.0, atol=1e-10)
    assert res.eigenvalue == pytest.approx(w.real[order[-2]], rel=1e-10)
    np.testing.assert_allclose(res.e, m @ res.q / kc, rtol=1e-12)


def test_eci_is_mean_pci_of_products_and_standardised() -> None:
    rng = np.random.default_rng(3)
    m = (rng.random((30, 50)) < 0.25).astype(float)
    m = m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0]
    res = cx.eigenvector(m)
    np.testing.assert_allclose(res.eci, (m @ res.pci) / m.sum(axis=1), rtol=1e-10, atol=1e-12)
    c, p = m.shape
    assert abs(res.eci.mean()) < 1e-12
    assert np.sqrt((res.eci**2).sum() * p / (c * p - 1)) == pytest.approx(1.0, rel=1e-12)
    assert np.corrcoef(res.eci, m.sum(axis=1))[0, 1] > 0


def test_coi_cog_equal_the_literal_formula() -> None:
    rng = np.random.default_rng(11)
    m = (rng.random((8, 12)) < 0.4).astype(float)
    m = m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0]
    phi = rel.proximity(m)
    d = rel.density(m, phi)
    q = cx.eigenvector(m).q
    coi, cog = rel.coi_cog(m, phi, d, q)
    c_n, p_n = m.shape
    for c in range(c_n):
        assert coi[c] == pytest.approx(sum(d[c, p] * (1 - m[c, p]) * q[p] for p in range(p_n)))
        for p in range(p_n):
            lit = (1 - m[c, p]) * sum(
                (1 - m[c, pp]) * q[pp] * phi[pp, p] / phi[pp].sum() for pp in range(p_n)
            )
            assert cog[c, p] == pytest.approx(lit, abs=1e-14)


def test_reflections_orders_and_zscores() -> None:
    m = (np.random.default_rng(5).random((20, 30)) < 0.35).astype(float)
    m = m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0]
    eci, pci = cx.reflections(m, iterations=20)
    kc0, kp0 = m.sum(axis=1), m.sum(axis=0)
    kc, kp = [kc0], [kp0]
    for _ in range(19):
        kc, kp = [*kc, m @ kp[-1] / kc0], [*kp, m.T @ kc[-1] / kp0]
    ref = (kc[18] - kc[18].mean()) / kc[18].std(ddof=1)
    np.testing.assert_allclose(eci, ref, rtol=1e-12)
    assert pci.std(ddof=1) == pytest.approx(1.0)


def test_fitness_on_a_nested_matrix_orders_by_diversity() -> None:
    m = np.tril(np.ones((6, 6)))  # perfectly nested: location i has products 0..i
    res = cx.fitness(m)
    assert (np.diff(res.fitness) > 0).all()
    assert res.fitness.mean() == pytest.approx(1.0)
    assert (np.diff(res.complexity) > 0).all()  # product i is made only by the fittest
    assert 1 < res.iterations <= 200


def test_fewer_than_two_locations_is_an_error() -> None:
    with pytest.raises(InputError, match="at least two locations"):
        cx.eigenvector(np.ones((1, 5)))


@st.composite
def matrices(draw: st.DrawFn) -> np.ndarray:
    seed = draw(st.integers(0, 2**32 - 1))
    c = draw(st.integers(5, 14))
    p = draw(st.integers(6, 18))
    rng = np.random.default_rng(seed)
    x = rng.lognormal(0, 2, (c, p)) * (rng.random((c, p)) < 0.7)
    x[:, 0] += 1.0  # no empty row
    x[0, :] += 1.0  # no empty column
    return x


def _gap(x: np.ndarray) -> float:
    """Smallest eigen-gap around the second eigenvalue; 0 when the orientation of ECI is
    undefined (ECI uncorrelated with diversity, so Stata's sign rule says nothing)."""
    m = rcam.threshold(rcam.balassa_rca(x), 1.0).astype(float)
    m = m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0]
    kc = m.sum(axis=1)
    if kc.std() == 0 or abs(np.corrcoef(kc, cx.eigenvector(m).e)[0, 1]) < 1e-6:
        return 0.0
    a = m / np.sqrt(m.sum(axis=1))[:, None] / np.sqrt(m.sum(axis=0))[None, :]
    w = np.linalg.eigvalsh(a @ a.T)
    return float(min(w[-1] - w[-2], w[-2] - w[-3])) if w.size > 2 else 0.0


@settings(max_examples=60, deadline=None)
@given(matrices(), st.floats(0.001, 1000))
def test_scaling_values_changes_nothing(x: np.ndarray, k: float) -> None:
    r1, r2 = rcam.balassa_rca(x), rcam.balassa_rca(x * k)
    np.testing.assert_allclose(r1, r2, rtol=1e-9)
    m1, m2 = rcam.threshold(r1), rcam.threshold(r2)
    assume((m1 == m2).all())  # ties at exactly 1 may flip by rounding
    assume(_gap(x) > 1e-6 and m1.sum(axis=1).min() > 0)
    e1, e2 = cx.eigenvector(m1), cx.eigenvector(m2)
    np.testing.assert_allclose(e1.eci, e2.eci, atol=1e-8)


@settings(max_examples=60, deadline=None)
@given(matrices(), st.randoms(use_true_random=False))
def test_permuting_rows_and_columns_permutes_results(x: np.ndarray, rnd: object) -> None:
    m = rcam.threshold(rcam.balassa_rca(x)).astype(float)
    assume(_gap(x) > 1e-6)
    rng = np.random.default_rng(int(rnd.random() * 2**31))  # type: ignore[attr-defined]
    rows, cols = rng.permutation(m.shape[0]), rng.permutation(m.shape[1])
    a, b = cx.eigenvector(m), cx.eigenvector(m[rows][:, cols])
    np.testing.assert_allclose(a.eci[rows], b.eci, atol=1e-8)
    np.testing.assert_allclose(a.pci[cols], b.pci, atol=1e-8)
    phi_a, phi_b = rel.proximity(m), rel.proximity(m[rows][:, cols])
    np.testing.assert_allclose(phi_a[np.ix_(cols, cols)], phi_b, atol=1e-12)
    np.testing.assert_allclose(
        rel.density(m, phi_a)[np.ix_(rows, cols)], rel.density(m[rows][:, cols], phi_b), atol=1e-12
    )


def test_blocked_outlook_equals_the_full_matrix_route() -> None:
    rng = np.random.default_rng(21)
    m = (rng.random((40, 300)) < 0.15).astype(float)
    m[:, 7] = 0.0  # a product nobody has
    res = cx.eigenvector(m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0])
    q = np.full(m.shape[1], np.nan)
    q[m.sum(axis=0) > 0] = res.q
    for kind in ("discrete", "asymmetric"):
        phi = rel.proximity(m, kind=kind)
        d_full = rel.density(m, phi)
        coi_full, cog_full = rel.coi_cog(m, phi, d_full, q)
        d_blk, coi_blk, cog_blk = rel.outlook_blocked(m, q, kind=kind, block=64)
        np.testing.assert_allclose(d_blk, d_full, rtol=1e-12, equal_nan=True)
        np.testing.assert_allclose(coi_blk, coi_full, rtol=1e-12)
        np.testing.assert_allclose(cog_blk, cog_full, rtol=1e-12, atol=1e-15, equal_nan=True)
        assert np.isnan(d_blk[:, 7]).all()
    np.testing.assert_allclose(rel.discrete_row_totals(m), rel.proximity(m).sum(axis=1), rtol=1e-12)
