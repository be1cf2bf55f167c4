"""Muscle energy model of Umberger et al. (2003), checked against the paper's equations worked
by hand, and the stride cost in W/kg and J/kg/m.

Constants (resources/muscles/energy_model.toml): H_AM = 25 + 1.28 %FT W/kg; aerobic scale 1.5;
vmax fast 12 l_opt/s, slow 12 x 0.40709 = 4.88508 l_opt/s; alpha_S slow = 100 / 4.88508
= 20.4705, fast = 153 / 12 = 12.75, lengthening = 4 x 20.4705 = 81.882 W/kg per l_opt/s.
"""

import numpy as np
import pytest

from anatomy_viewer.anatomy.energetics import (
    energy_constants,
    muscle_energy_rates,
    muscle_mass,
    umberger2003,
    umberger2010,
)
from anatomy_viewer.gait.fibre_use import stride_energy, stride_mean

ALPHA_SLOW = 100.0 / (12.0 * 0.40709)


STATE = dict(
    activation=1.0,
    fiber_length=1.0,
    fiber_velocity=0.0,
    active_force=0.0,
    force_length=1.0,
    optimal_fiber_length=0.1,
    mass=1.0,
    type1=0.5,
)


def rates(**kw):
    return umberger2003(**{**STATE, **kw})


def test_isometric_at_optimal_length_costs_only_activation_and_maintenance_heat():
    r = rates(active_force=1000.0)  # 50 % fast: 25 + 1.28 x 50 = 89 W/kg, x 1.5
    assert float(r.activation_maintenance) == pytest.approx(133.5)
    assert float(r.shortening_lengthening) == 0.0 and float(r.work) == 0.0
    assert float(r.total) == pytest.approx(133.5)
    assert float(rates(type1=1.0).total) == pytest.approx(1.5 * 25.0)  # slow fibres only
    assert float(rates(type1=0.0).total) == pytest.approx(1.5 * 153.0)  # fast fibres only
    assert float(rates(aerobic=False).total) == pytest.approx(89.0)


def test_shortening_adds_shortening_heat_and_work():
    # 2 optimal lengths per second (0.2 m/s of a 0.1 m fibre) under 1000 N
    r = rates(fiber_velocity=-0.2, active_force=1000.0, mass=2.0)
    heat = 0.5 * (ALPHA_SLOW * 2.0) + 0.5 * (12.75 * 2.0)  # 20.47 + 12.75 = 33.22 W/kg
    assert float(r.shortening_lengthening) == pytest.approx(1.5 * heat * 2.0)
    assert float(r.work) == pytest.approx(200.0)
    assert float(r.total) == pytest.approx(2.0 * 133.5 + 1.5 * heat * 2.0 + 200.0)


def test_slow_fibre_shortening_heat_is_capped_at_their_maximal_velocity():
    fast = rates(type1=1.0, fiber_velocity=-1.0)  # 10 l_opt/s, beyond slow vmax 4.885
    assert float(fast.shortening_lengthening) == pytest.approx(1.5 * 100.0)
    slow = rates(type1=1.0, fiber_velocity=-0.3)  # 3 l_opt/s: below the cap
    assert float(slow.shortening_lengthening) == pytest.approx(1.5 * ALPHA_SLOW * 3.0)


def test_half_excitation_while_lengthening():
    # a = u = 0.5: A = 0.5; H_AM = 89 x 0.5^0.6; H_L = 81.882 x 1 l_opt/s x 0.5
    r = rates(activation=0.5, fiber_velocity=0.1, active_force=500.0)
    assert float(r.activation_maintenance) == pytest.approx(1.5 * 89.0 * 0.5**0.6)
    assert float(r.shortening_lengthening) == pytest.approx(1.5 * 4.0 * ALPHA_SLOW * 0.5)
    assert float(r.work) == pytest.approx(-50.0)  # negative work counted (2003 model)
    assert float(rates(activation=0.5, fiber_velocity=0.1, active_force=500.0,
                       negative_work=False).work) == 0.0  # fmt: skip


def test_the_2010_revision_counts_positive_work_only_with_less_lengthening_heat():
    # lengthening at 1 l_opt/s, a = 0.5, 500 N: H_L = 0.3 x 20.4705 x 1 x 0.5 (Umberger 2010)
    kw = dict(activation=0.5, fiber_velocity=0.1, active_force=500.0)
    r = umberger2010(**{**STATE, **kw})
    assert float(r.shortening_lengthening) == pytest.approx(1.5 * 0.3 * ALPHA_SLOW * 0.5)
    assert float(r.work) == 0.0
    assert float(r.activation_maintenance) == pytest.approx(1.5 * 89.0 * 0.5**0.6)
    # shortening is the same in both models
    short = dict(fiber_velocity=-0.2, active_force=1000.0)
    assert float(umberger2010(**{**STATE, **short}).total) == pytest.approx(
        float(rates(**short).total)
    )
    assert muscle_energy_rates("umberger2003", **{**STATE, **kw}).total == pytest.approx(
        rates(**kw).total
    )
    with pytest.raises(ValueError, match="unknown energy model"):
        muscle_energy_rates("hill1938", **STATE)
    with pytest.raises(ValueError, match="unknown energy model"):
        energy_constants("hill1938")


def test_fast_lengthening_under_load_would_make_energy_in_the_2003_model():
    """Why the program uses the 2010 revision: a hard-braking muscle (fully active, lengthening
    at 3 l_opt/s under 3000 N) liberates less heat than the work done on it, so the 2003 total
    is negative, as if the muscle were recharged; the 2010 total stays positive."""
    kw = dict(fiber_velocity=0.3, active_force=3000.0, type1=0.5)
    assert float(rates(**kw).total) < 0.0
    assert float(umberger2010(**{**STATE, **kw}).total) > 0.0


def test_excitation_above_activation_drives_the_heat():
    rising = rates(activation=0.2, excitation=0.8)  # A = u = 0.8
    falling = rates(activation=0.8, excitation=0.2)  # A = (u + a) / 2 = 0.5
    assert float(rising.activation_maintenance) == pytest.approx(133.5 * 0.8**0.6)
    assert float(falling.activation_maintenance) == pytest.approx(133.5 * 0.5**0.6)


def test_beyond_optimal_length_heat_follows_filament_overlap():
    r = rates(fiber_length=1.2, force_length=0.5)  # 0.4 + 0.6 x 0.5 = 0.7 of H_AM
    assert float(r.activation_maintenance) == pytest.approx(133.5 * 0.7)
    s = rates(fiber_length=1.2, force_length=0.5, fiber_velocity=-0.1, type1=1.0)
    assert float(s.shortening_lengthening) == pytest.approx(1.5 * ALPHA_SLOW * 1.0 * 0.5)


def test_a_muscle_at_rest_still_costs_its_share_of_resting_metabolism():
    r = rates(activation=0.0, mass=0.4)
    assert float(r.total) == pytest.approx(1.5 * 1.0 * 0.4)  # floor of 1 W/kg, aerobic scale


def test_vectorised_over_muscles_and_samples_equals_one_at_a_time():
    rng = np.random.default_rng(3)
    shape = (4, 7)
    kw = dict(
        activation=rng.uniform(0, 1, shape),
        excitation=rng.uniform(0, 1, shape),
        fiber_length=rng.uniform(0.6, 1.4, shape),
        fiber_velocity=rng.uniform(-0.8, 0.8, shape),
        active_force=rng.uniform(0, 2000, shape),
        force_length=rng.uniform(0, 1, shape),
    )
    per_muscle = dict(
        optimal_fiber_length=np.array([0.05, 0.1, 0.15, 0.3]),
        mass=np.array([0.2, 0.5, 1.0, 1.5]),
        type1=np.array([0.3, 0.5, 0.8, 1.0]),
    )
    total = umberger2003(**kw, **per_muscle).total
    assert total.shape == shape
    for i in range(shape[0]):
        for j in range(shape[1]):
            one = umberger2003(
                **{k: v[i, j] for k, v in kw.items()}, **{k: v[i] for k, v in per_muscle.items()}
            )
            assert float(one.total) == pytest.approx(total[i, j])


def test_bad_muscle_states_are_refused():
    with pytest.raises(ValueError, match="not a percent"):
        rates(type1=55.0)
    with pytest.raises(ValueError, match="positive"):
        rates(mass=0.0)
    with pytest.raises(ValueError, match="fiber_velocity must be finite"):
        rates(fiber_velocity=np.nan)
    with pytest.raises(ValueError, match="only pulls"):
        rates(active_force=-5.0)


def test_mass_from_volume():
    assert float(muscle_mass(1000.0)) == pytest.approx(1.0597)
    with pytest.raises(ValueError, match="cm"):
        muscle_mass(-1.0)


def test_stride_cost_in_watts_per_kg_and_joules_per_kg_per_metre():
    percent = np.linspace(0.0, 100.0, 101)
    # two muscles: one steady at 200 W, one at 100 W for the first half only
    r = np.vstack([np.full(101, 200.0), np.where(percent < 50.0, 100.0, 0.0)])
    cost = stride_energy(r, percent, ["a_r", "b_r"], body_mass=75.0, speed=1.25)
    assert cost.per_muscle_w[0] == pytest.approx(200.0)
    assert cost.per_muscle_w[1] == pytest.approx(50.0, abs=1.0)  # step: trapezoid edge
    assert cost.w_per_kg == pytest.approx(cost.total_w / 75.0)
    assert cost.j_per_kg_per_m == pytest.approx(cost.w_per_kg / 1.25)
    assert cost.share(["a_r"]) == pytest.approx(200.0 / cost.total_w)
    gross = stride_energy(r, percent, ["a_r", "b_r"], body_mass=75.0, speed=1.25,
                          include_basal=True)  # fmt: skip
    assert gross.total_w == pytest.approx(cost.total_w + 1.2 * 75.0)
    assert stride_energy(r, percent, ["a_r", "b_r"], body_mass=75.0, speed=0.0).j_per_kg_per_m \
        is None  # fmt: skip
    with pytest.raises(ValueError, match="body mass"):
        stride_energy(r, percent, ["a_r", "b_r"], body_mass=0.0, speed=1.0)


def test_stride_mean_counts_a_periodic_endpoint_once():
    percent = np.array([0.0, 10.0, 50.0, 100.0])  # uneven grid
    assert stride_mean(np.array([1.0, 1.0, 1.0, 1.0]), percent) == pytest.approx(1.0)
    assert stride_mean(percent / 100.0, percent) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="increasing"):
        stride_mean(np.ones(3), np.array([0.0, 0.0, 1.0]))
