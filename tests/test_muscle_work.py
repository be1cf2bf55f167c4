"""Muscle power and work over a stride, and the built-in gaits side by side.

The article's claims as figures of the built-in cycles (static optimisation on MyoLeg, rigid
tendons): the vasti absorb work after foot strike, the calves absorb in the first half of
stance and generate in the second, the hip extensors generate in stance. Measured when
written (J, right leg, first half of stance / second half / whole stance):
walking  vasti -6.8 / +4.2 early, calves -3.1 early, +25 late, hip extensors +8.8 / -0.4;
running  vasti -43 / +11, calves -6.7, +33, hip extensors +31 / -3.6;
sprinting vasti -15 / +7.7, calves -58, +13, hip extensors +65 / -5.
"""

from __future__ import annotations

import numpy as np
import pytest

from anatomy_viewer.gait.cycle import Provenance
from anatomy_viewer.gait.energy import builtin_gait_energy, cycle_muscle_forces
from anatomy_viewer.gait.gait_summary import gaits_summary
from anatomy_viewer.gait.library import GAIT_NAMES, load_gait
from anatomy_viewer.gait.muscle_activity import MuscleActivity
from anatomy_viewer.gait.muscle_work import (
    activity_muscle_power,
    builtin_muscle_power,
    cycle_muscle_power,
    stride_claims,
)


@pytest.mark.parametrize("gait", GAIT_NAMES)
def test_the_articles_claims_hold_as_work(gait):
    c = stride_claims(builtin_muscle_power(gait))
    pos, neg = c.vasti_early
    assert -neg > 1.5 * pos, ("vasti brake the landing", c.vasti_early)
    assert -c.calves_early[1] > c.calves_early[0], ("calves absorb first", c.calves_early)
    assert c.calves_late[0] > -c.calves_late[1], ("then generate", c.calves_late)
    assert c.hip_extensors_stance[0] > 3 * -c.hip_extensors_stance[1], c.hip_extensors_stance


def test_power_is_tension_times_shortening_speed_and_work_its_integral():
    p = builtin_muscle_power("running")
    i = p.index("soleus_r")
    whole = np.array(p.work())
    halves = np.array(p.work(0.0, 37.5)) + np.array(p.work(37.5, 100.0))  # a sample
    assert np.allclose(whole, halves, rtol=1e-9, atol=1e-9)
    pos, neg = p.work()
    assert np.all(pos >= 0) and np.all(neg <= 0)
    # the integral of the power's two parts over the stride time
    t = p.time
    assert pos[i] == pytest.approx(np.trapezoid(np.maximum(p.power[i], 0), t), rel=1e-6)


def test_group_work_sums_its_muscles():
    p = builtin_muscle_power("walking")
    quads = next(g for g in p.group_work("r") if g.key == "quadriceps")
    assert quads.muscles == ("recfem_r", "vaslat_r", "vasmed_r", "vasint_r")
    assert (quads.positive, quads.negative) == pytest.approx(p.muscle_work(quads.muscles))


def test_the_work_views_power_is_what_the_cycles_csv_export_writes():
    cycle = load_gait("walking")
    forces, power = cycle_muscle_forces(cycle)
    assert np.allclose(builtin_muscle_power("walking").power, power)
    assert np.allclose(cycle_muscle_power(cycle).forces, forces)


def test_power_is_positive_while_a_loaded_muscle_shortens():
    """Soleus in running: lengthening under load in early stance (the ankle dorsiflexes),
    shortening at push-off: its power is negative, then positive, where its length says."""
    from anatomy_viewer.anatomy import LegModel
    from anatomy_viewer.gait.animation import CycleAnimation

    cycle = load_gait("running")
    p = builtin_muscle_power("running")
    lengths = CycleAnimation(cycle, LegModel()).poses.muscle_lengths[
        :, cycle.muscle_index("soleus_r")
    ]
    speed = np.gradient(lengths, p.time)  # lengthening speed, m/s
    loaded = p.forces[p.index("soleus_r")] > 200.0
    power = p.muscle_power("soleus_r")
    assert np.all(
        np.sign(power[loaded & (np.abs(speed) > 0.02)])
        == -np.sign(speed[loaded & (np.abs(speed) > 0.02)])
    )


def test_measured_emg_gives_no_muscle_power():
    cycle = load_gait("walking", samples=51)
    cycle.provenance = {m: Provenance("measured", "emg.csv") for m in cycle.muscle_names}
    with pytest.raises(ValueError, match="measured EMG, each scaled to peak 1"):
        cycle_muscle_power(cycle)


def _activity(time, forces, velocities):
    n, m = forces.shape
    z = np.zeros((n, m))
    return MuscleActivity(
        time=time,
        muscle_names=tuple(f"m{i}_r" for i in range(m)),
        joint_names=(),
        activations=z,
        forces=forces,
        passive_forces=z,
        lengths=z,
        velocities=velocities,
        moments=np.zeros((n, 0)),
        residuals=np.zeros((n, 6)),
        residual_coordinates=np.zeros((n, 6)),
        reserves=np.zeros((n, 0)),
        contact=np.zeros((n, 2), bool),
        heel_strikes={"r": np.array([0.0, 1.0])},
        toe_offs={"r": np.array([0.6])},
        forces_source="measured",
        model_mass=75.0,
        subject_mass=None,
        failed_frames=0,
    )


def test_power_from_static_optimisation_is_its_own_work_over_the_stride():
    """A muscle pulling 100 N while lengthening at 0.1 m/s for the first half second and
    shortening at 0.2 m/s for the second absorbs 5 J and generates 10 J."""
    t = np.linspace(0.0, 1.0, 2001)
    v = np.where(t < 0.5, 0.1, -0.2)
    act = _activity(t, np.full((len(t), 1), 100.0), v[:, None])
    p = activity_muscle_power(act, samples=2001)
    pos, neg = p.work()
    assert pos[0] == pytest.approx(10.0, rel=2e-3)
    assert neg[0] == pytest.approx(-5.0, rel=2e-3)
    assert (pos[0], neg[0]) == pytest.approx(tuple(x[0] for x in act.work()), rel=2e-3)
    assert p.first_event("r", "toe_off") == pytest.approx(60.0)


# ------------------------------------------------------------------ the gaits side by side
@pytest.fixture(scope="module")
def summary():
    return gaits_summary()


@pytest.mark.parametrize("muscle", ["Gluteus maximus", "Iliacus", "Biceps femoris, long head"])
def test_sprinting_recruits_more_fast_fibres_than_endurance_running(summary, muscle):
    row = summary.muscle(muscle)
    assert row.mean_fast_share("sprinting") > row.mean_fast_share("running") + 0.05


def test_every_anatomical_muscle_once_with_its_composition(summary):
    keys = [m.key for m in summary.muscles]
    assert len(keys) == len(set(keys)) == 31
    glmax = summary.muscle("gluteus_maximus")
    assert glmax.model_muscles == ("glmax1_r", "glmax2_r", "glmax3_r")
    assert glmax.type1 == pytest.approx(0.55, abs=0.05)


def test_the_costs_are_the_energy_models(summary):
    for g in GAIT_NAMES:
        expected = builtin_gait_energy(g).summary()
        assert summary.costs[g].summary.w_per_kg == pytest.approx(expected.w_per_kg)
    walking, running = summary.costs["walking"], summary.costs["running"]
    assert walking.ratio == pytest.approx(1.57, abs=0.02)  # pinned in test_gait_energy too
    assert walking.within_tolerance is False and running.within_tolerance is True
    assert summary.costs["sprinting"].ratio is None
