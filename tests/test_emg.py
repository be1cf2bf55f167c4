"""Measured EMG beside the simulated activations (gait.emg)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from trial_files import reference_walk_with_emg

from anatomy_viewer.gait.emg import (
    agreement,
    builtin_emg,
    cycle_emg,
    emg_comparison,
    has_trial_emg,
    trial_simulation,
)
from anatomy_viewer.gait.library import load_gait

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "opensim"


def test_identical_timing_agrees_fully_and_opposite_timing_hardly():
    p = np.arange(100.0)
    burst = np.exp(-(((p - 30) / 8) ** 2))
    assert agreement(burst, 0.3 * burst).on_off == 1.0
    assert agreement(burst, 0.3 * burst).correlation == pytest.approx(1.0)
    late = np.exp(-(((p - 80) / 8) ** 2))
    a = agreement(burst, late)
    assert a.on_off < 0.8 and a.correlation < 0.1


def test_builtin_emg_names_its_source_and_covers_the_electrodes_muscles():
    walking = builtin_emg("walking")
    assert "Rajagopal" in walking.source and "walking" in walking.source
    assert "peak 1" in walking.scaling
    assert walking.channel_of("vaslat_r").key == "VL"
    assert walking.channel_of("glmax2_l").key == "GMAX"
    assert walking.envelope("addlong_r") is None
    assert builtin_emg("sprinting") is None
    assert "another runner" in builtin_emg("running").source


def test_the_left_legs_envelope_is_the_rights_half_a_cycle_later():
    emg = builtin_emg("walking", samples=201)
    pct, right = emg.envelope("soleus_r")
    _, left = emg.envelope("soleus_l")
    assert np.allclose(left[:100], right[100:200], atol=1e-9)
    assert right.max() == pytest.approx(1.0, abs=0.05)  # scaled to peak 1 by its source


def test_a_builtin_gait_is_compared_with_its_own_activations():
    cycle = load_gait("walking")
    comp = emg_comparison(cycle, "walking")
    assert comp.simulated is cycle
    assert comp.agreement("soleus_r").on_off >= 0.85
    assert comp.agreement("addlong_r") is None
    assert emg_comparison(load_gait("sprinting"), "sprinting") is None
    assert not has_trial_emg(cycle)


@pytest.mark.skipif(not REF.is_dir(), reason="reference OpenSim files not present")
def test_a_trial_with_emg_is_compared_with_static_optimisation_of_the_same_stride():
    """The walking trial of the Rajagopal et al. (2016) subject with its EMG: static
    optimisation of the same trial agrees with the electrodes about as well as the built-in
    walk does (measured when written: soleus 87 %, vastus lateralis 82 %, medial hamstrings
    96 %, tibialis anterior 85 %)."""
    trial = reference_walk_with_emg(REF)
    shown = trial.to_cycle()
    assert has_trial_emg(shown)
    sim = trial_simulation(trial, shown)
    assert np.allclose(sim.percent, shown.percent) and sim.stride_time == shown.stride_time
    assert {p.kind for p in sim.provenance.values()} == {"simulated"}
    comp = emg_comparison(shown, None, sim)
    assert comp.emg.source == "electromyography.sto"
    for muscle, least in (("soleus_r", 0.8), ("vaslat_r", 0.75), ("semimem_r", 0.9)):
        assert comp.agreement(muscle).on_off >= least, muscle
    # one file column driving two muscles is one channel
    channels = cycle_emg(shown)
    assert channels.channel_of("semiten_r").key == channels.channel_of("semimem_r").key
