"""Fast-fibre recruitment over a stride, per muscle and per gait."""

import numpy as np
import pytest

from anatomy_viewer.anatomy.fibre_types import type1_fraction
from anatomy_viewer.anatomy.recruitment import fast_share
from anatomy_viewer.gait.fibre_use import (
    FibreState,
    cycle_fast_share,
    fast_fibre_summary,
    fibre_states,
    gait_fast_fibre_summary,
)
from anatomy_viewer.gait.library import load_gait

GLUTEUS_MAXIMUS = ["glmax1_r", "glmax2_r", "glmax3_r"]
HAMSTRINGS = ["bflh_r", "bfsh_r", "semimem_r", "semiten_r"]
ILIOPSOAS = ["iliacus_r", "psoas_r"]


@pytest.fixture(scope="module")
def summaries():
    return {g: gait_fast_fibre_summary(load_gait(g, samples=101)) for g in ("running", "sprinting")}


def test_steady_activation_gives_the_hand_worked_shares():
    percent = np.linspace(0.0, 100.0, 51)
    a = np.vstack([np.full(51, 0.8), np.full(51, 0.3)])
    s = fast_fibre_summary(a, percent, ["m_r", "n_r"], type1=np.array([0.5, 0.5]))
    # 80 % active, half slow: 0.3 of the muscle is fast fibres in use, 0.6 of its fast pool
    assert s.mean_fast_share[0] == pytest.approx(0.3 / 0.8)
    assert s.mean_fast_pool[0] == pytest.approx(0.6)
    assert s.time_with_fast[0] == pytest.approx(1.0)
    assert s.mean_fast_share[1] == s.time_with_fast[1] == 0.0  # 30 %: slow fibres suffice
    both = s.combined("both", ["m_r", "n_r"])
    assert both.mean_fast_share == pytest.approx(0.3 / 1.1)  # 0.3 fast of 0.8 + 0.3 active
    assert both.mean_fast_pool == pytest.approx(0.3)
    one = s.combined("m", ["m_r"])
    assert one.mean_fast_share == pytest.approx(s.row("m_r").mean_fast_share)


def test_per_instant_share_of_a_gait_uses_the_composition_table():
    cycle = load_gait("sprinting", samples=101)
    share = cycle_fast_share(cycle)
    assert share.shape == (80, 101)
    slow = type1_fraction(cycle.muscle_names)[:, None]
    assert np.all(share[cycle.activations <= slow] == 0.0)
    assert np.all(share[cycle.activations > slow + 1e-9] > 0.0)


def test_per_instant_share_is_ready_for_a_cycle_export():
    """One value per muscle and sample of the cycle, like the contraction modes an export takes:
    0 where a muscle has no activation data, never more than the muscle's fast share."""
    cycle = load_gait("running", samples=101)
    share = cycle_fast_share(cycle)
    assert share.shape == cycle.activations.shape
    fast = 1.0 - type1_fraction(cycle.muscle_names)[:, None]
    assert np.all((share >= 0.0) & (share <= fast + 1e-12))
    frame = cycle.sample(float(cycle.percent[30]))
    expected = cycle_fast_share(cycle)[:, 30]
    again = fast_share(frame.activations, type1_fraction(cycle.muscle_names))
    assert np.allclose(again, expected)
    cycle.activations[:] = 0.0  # a trial without activation data
    assert not cycle_fast_share(cycle).any()


@pytest.mark.parametrize("group", [GLUTEUS_MAXIMUS, HAMSTRINGS, ILIOPSOAS])
def test_sprinting_recruits_more_fast_fibres_than_endurance_running(summaries, group):
    run = summaries["running"].combined("run", group)
    sprint = summaries["sprinting"].combined("sprint", group)
    assert sprint.mean_fast_pool > run.mean_fast_pool
    assert sprint.mean_fast_share > run.mean_fast_share
    assert sprint.time_with_fast > run.time_with_fast


def test_each_instant_is_at_rest_on_slow_fibres_or_with_fast_fibres_recruited():
    a = np.array([[0.0, 0.01, 0.3, 0.55, 0.56, 1.0]])
    states = fibre_states(a, np.array([[0.55]]))
    assert states.dtype == np.int8
    expected = [FibreState.REST] * 2 + [FibreState.SLOW] * 2 + [FibreState.FAST] * 2
    assert states[0].tolist() == expected
    assert FibreState.FAST.label == "fast fibres recruited"
    smooth = fibre_states(a, np.array([[0.55]]), "bhargava", min_fast_share=0.2)
    assert smooth[0].tolist()[:3] == [FibreState.REST, FibreState.REST, FibreState.SLOW]
    assert smooth[0, -1] == FibreState.FAST
