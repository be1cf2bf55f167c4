"""What each gait costs in energy: the muscle energy model on MyoLeg's own muscle states, and the
built-in gaits' costs against measured costs of walking and running.

The measured costs, their sources and the tolerance (with why) are in
resources/muscles/measured_costs.toml; the comparison is written up in
resources/muscles/fibre_types_and_energy.md. Figures measured when these tests were written:
walking 4.07 W/kg, 3.28 J/kg/m; running 16.06 W/kg, 4.12 J/kg/m; sprinting 41.9 W/kg, 4.43
J/kg/m (net, the 2010 model).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anatomy_viewer.anatomy.architecture import regression_volume
from anatomy_viewer.anatomy.dynamics import load_myoleg_with_back
from anatomy_viewer.anatomy.energetics import energy_constants
from anatomy_viewer.anatomy.muscle_fibres import (
    fibre_parameters,
    force_length_factor,
    normalised_fibre_length,
)
from anatomy_viewer.gait.energy import (
    FORCES_FROM_ACTIVATIONS,
    FORCES_FROM_OPTIMISATION,
    activity_energy,
    builtin_gait_energy,
    gait_energy,
    measured_costs,
    muscle_masses,
)
from anatomy_viewer.gait.library import GAIT_NAMES, load_gait

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "opensim"


@pytest.fixture(scope="module")
def energy():
    return {g: builtin_gait_energy(g) for g in GAIT_NAMES}


# ------------------------------------------------------------------ the muscle states


def test_fibre_lengths_and_force_length_factor_are_mujocos():
    m = load_myoleg_with_back()
    p = fibre_parameters(m)
    lr = np.array(m.actuator_lengthrange)
    rng = np.array(m.actuator_gainprm[:, :2])
    # the ends of each muscle's length range map onto the ends of its normalised range
    assert np.allclose(normalised_fibre_length(p, lr[:, 0]), rng[:, 0])
    assert np.allclose(normalised_fibre_length(p, lr[:, 1]), rng[:, 1])
    # the force-length factor is 1 at the optimal length and lower on either side
    opt = p.length_at_optimum
    assert np.allclose(force_length_factor(m, opt), 1.0)
    for step in (-0.3, 0.3):
        off = force_length_factor(m, opt + step * p.optimal_fiber_length)
        assert np.all(off < 1.0) and np.all(off >= 0.0)
    assert np.allclose(p.max_isometric_force, m.actuator_gainprm[:, 2])


def test_fibre_velocities_follow_the_fibre_lengths_over_the_stride(energy):
    """The velocities come from the coordinates' time derivatives: integrated over the stride
    they must give the lengths' changes (which checks the stride time and the seam)."""
    for name in ("walking", "running"):
        e = energy[name]
        s = e.states
        t = s.percent / 100.0 * load_gait(name).stride_time
        lengths = s.fiber_length * s.optimal_fiber_length[:, None]  # m, muscles x samples
        derivative = np.gradient(lengths, t, axis=1)
        inner = slice(2, -2)
        scale = np.abs(s.fiber_velocity).max()
        assert np.abs(derivative[:, inner] - s.fiber_velocity[:, inner]).max() < 0.02 * scale
        # periodic: the velocity at the seam continues smoothly into the next stride
        assert np.allclose(s.fiber_velocity[:, 0], s.fiber_velocity[:, -1])


def test_active_force_is_the_activation_times_the_force_at_full_activation(energy):
    s = energy["running"].states
    assert s.forces == FORCES_FROM_ACTIVATIONS
    assert np.all(s.active_force[s.activation == 0.0] == 0.0)
    assert np.all(s.active_force >= 0.0)
    # a fully active muscle near its optimal length, shortening slowly, pulls with about its
    # maximal isometric force (force-velocity factor near 1)
    p = fibre_parameters(load_myoleg_with_back())
    fmax = dict(zip(p.muscle_names, p.max_isometric_force, strict=True))
    i = s.muscle_names.index("vaslat_r")
    j = int(np.argmax(s.activation[i]))
    expected = s.activation[i, j] * fmax["vaslat_r"] * s.force_length[i, j]
    assert s.active_force[i, j] == pytest.approx(expected, rel=0.35)


def test_muscle_masses_share_the_mri_volumes():
    """The three lines of gluteus maximus together weigh the MRI volume of the muscle
    (Handsfield et al. 2014) times the density of muscle (Mendez and Keys 1960)."""
    lines = ["glmax1_r", "glmax2_r", "glmax3_r"]
    density = energy_constants().density * 1000.0  # kg/m^3
    assert muscle_masses(lines).sum() == pytest.approx(
        regression_volume("gluteus_maximus") * density
    )
    both = muscle_masses(load_gait("walking").muscle_names)
    assert np.allclose(both[:40], both[40:])  # the legs are alike
    assert 6.0 < both[:40].sum() < 9.0  # kg of leg muscle for a 1.70 m, 75 kg man


def test_a_stride_without_activity_costs_each_muscles_resting_share():
    cycle = load_gait("walking", samples=51)
    cycle.activations[:] = 0.0
    e = gait_energy(cycle)
    k = energy_constants()
    resting = k.aerobic_scale * k.minimum_am_rate * e.states.mass.sum()
    assert e.mean_w() == pytest.approx(resting)
    assert e.w_per_kg == pytest.approx(resting / e.body_mass)  # 0.30 W/kg
    assert e.share(["vaslat_r", "vaslat_l"]) == pytest.approx(
        e.states.mass[[e.muscle_names.index("vaslat_r"), e.muscle_names.index("vaslat_l")]].sum()
        / e.states.mass.sum()
    )


# ------------------------------------------------------------------ against measured costs


def test_running_costs_what_runners_are_measured_to_spend(energy):
    ref = measured_costs()["running"]
    e = energy["running"]
    ratio = ref.ratio(e)
    assert ratio is not None and abs(ratio - 1.0) <= ref.tolerance, (
        f"running {e.j_per_kg_per_m:.2f} J/kg/m against {ref.net_j_per_kg_per_m} measured"
    )


@pytest.mark.xfail(
    strict=True,
    reason="walking is estimated 57 % above the measured net cost: MuJoCo's muscles have "
    "rigid tendons, so the fibres do all the joint work (1.4 J/kg of positive fibre work per "
    "stride, 31 % of the estimate) that tendons partly store and return in people, and the "
    "heat of activation and maintenance (69 %) grows with activation to the power 0.6, so "
    "many lightly active muscles cost much; MocoTrack's activations of the same walk give the "
    "same figure (4.3 W/kg), so it is not static optimisation's choice of muscles",
)
def test_walking_costs_what_walkers_are_measured_to_spend(energy):
    ref = measured_costs()["walking"]
    ratio = ref.ratio(energy["walking"])
    assert ratio is not None and abs(ratio - 1.0) <= ref.tolerance


def test_walking_overestimate_is_the_known_one(energy):
    """The walking estimate's excess (see the expected failure above) stays what it was when
    it was explained: 1.57 times the measured cost. A change either way shows here."""
    ratio = measured_costs()["walking"].ratio(energy["walking"])
    assert 1.35 <= ratio <= 1.8


def test_costs_rise_with_speed_and_running_costs_more_per_metre(energy):
    w, r, s = (energy[g] for g in ("walking", "running", "sprinting"))
    assert w.w_per_kg < r.w_per_kg < s.w_per_kg
    assert w.j_per_kg_per_m < r.j_per_kg_per_m
    assert r.gross_w_per_kg == pytest.approx(r.w_per_kg + energy_constants().basal_rate_standing)
    assert measured_costs()["sprinting"].net_j_per_kg_per_m is None  # no reference: said so


def test_sprinting_spends_more_of_its_energy_in_the_power_muscles(energy):
    """The article's claim in energy: sprinting works gluteus maximus and the hip flexors far
    more than endurance running does."""
    run = {g.key: g.share for g in energy["running"].summary().groups}
    sprint = {g.key: g.share for g in energy["sprinting"].summary().groups}
    assert sprint["glutes"] > 3 * run["glutes"]
    assert sprint["hip_flexors"] > run["hip_flexors"]


# ------------------------------------------------------------------ what the window shows


def test_summary_shares_add_up_and_cover_every_muscle(energy):
    e = energy["running"]
    s = e.summary()
    assert sum(c.share for c in s.muscles) == pytest.approx(1.0)
    assert sum(g.share for g in s.groups) == pytest.approx(1.0)
    lines = sorted(n for c in s.muscles for n in c.model_muscles)
    assert lines == sorted(e.muscle_names)
    assert [c.mean_w for c in s.muscles] == sorted((c.mean_w for c in s.muscles), reverse=True)
    top = s.muscles[0]
    assert top.share == pytest.approx(e.share(list(top.model_muscles)))
    assert sum(s.parts.values()) == pytest.approx(1.0)
    text = "\n".join(s.lines(top=3))
    assert "W/kg" in text and "J/kg/m" in text and top.name in text


def test_a_muscles_curve_averages_to_its_stride_cost(energy):
    e = energy["walking"]
    curve = e.muscle_rate("soleus_r")
    assert curve.shape == e.percent.shape
    mean = np.trapezoid(curve, e.percent) / 100.0
    assert mean == pytest.approx(e.mean_w(["soleus_r"]))
    body = np.trapezoid(e.body_rate(), e.percent) / 100.0
    assert body == pytest.approx(e.w_per_kg)
    per_kg = e.muscle_rate("soleus_r", per_kg_of_muscle=True)
    assert per_kg.min() >= energy_constants().aerobic_scale * 1.0 - 1e-9  # resting floor
    with pytest.raises(KeyError, match="no muscle"):
        e.muscle_rate("biceps_r")


# ------------------------------------------------------------------ static optimisation's forces


@pytest.fixture(scope="module")
def running_activity():
    if not REF.is_dir():
        pytest.skip("reference OpenSim files not present")
    from anatomy_viewer.gait.muscle_activity import estimate_activations

    return estimate_activations(
        REF / "subject02_running_ik.mot", REF / "subject02_running_grf.mot", use_cache=False
    )


def test_static_optimisations_forces_give_the_same_cost_as_the_trials_cycle(running_activity):
    """The stride cut from the trial and re-posed costs what static optimisation's own forces,
    lengths and velocities cost (measured: 14.06 and 14.11 W/kg)."""
    from anatomy_viewer.gait.opensim_io import read_grf, read_motion, trial_to_cycle

    act = running_activity
    so = activity_energy(act, speed=3.9)
    assert so.forces == FORCES_FROM_OPTIMISATION
    cycle = trial_to_cycle(
        read_motion(REF / "subject02_running_ik.mot"),
        act.to_activations(),
        read_grf(REF / "subject02_running_grf.mot"),
    )
    posed = gait_energy(cycle)
    assert posed.w_per_kg == pytest.approx(so.w_per_kg, rel=0.03)
    # the built-in running cycle is these strides averaged over strides and legs: it costs a
    # little more (16.1 W/kg against 13.6-15.0 per stride): averaging shifts force against
    # velocity and adds fibre work
    strides = [activity_energy(act, window=w).w_per_kg for w in act.stride_windows()]
    assert len(strides) >= 10
    built_in = builtin_gait_energy("running").w_per_kg
    assert 1.0 < built_in / np.mean(strides) < 1.25


def test_forces_without_their_active_part_do_no_work(running_activity):
    act = running_activity
    lazy = type(act)(**{**act.__dict__, "passive_forces": act.forces.copy()})
    e = activity_energy(lazy)
    assert np.all(e.rates.work == 0.0)
    assert activity_energy(act).mean_w() > e.mean_w()
