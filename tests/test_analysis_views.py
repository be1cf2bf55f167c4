"""What a user sees of measured EMG, muscle work, fast fibres and energy in the window.

Under Xvfb, in one window per module: the curve plot and the heatmap with measured EMG, the
heatmap's fast-fibre mode, the Work view and the Fibres and energy view (Analysis menu).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from trial_files import reference_walk_with_emg

from anatomy_viewer.gait.emg import builtin_emg, channel_agreement
from anatomy_viewer.gait.energy import builtin_gait_energy, measured_costs
from anatomy_viewer.gait.muscle_work import builtin_muscle_power, stride_claims

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "opensim"


@pytest.fixture
def window(module_window, qtbot):
    win = module_window
    win.learn.leave()
    win.playback.pause()
    win.set_gait("walking")
    win.heatmap.set_scale("absolute")
    win.selection.clear()
    yield win
    win.analysis.close_all()
    win.heatmap.set_scale("absolute")
    win.set_gait("walking")


# ------------------------------------------------------------------ measured EMG
def test_the_selected_muscles_emg_is_shown_beside_its_simulation(window, qtbot):
    window.selection.select("vaslat_r")
    curves = window.curves
    legend = curves.legend_entries()
    assert legend[0].startswith("simulated (static optimisation)")
    assert legend[1].startswith("measured EMG \u2014 Rajagopal et al. 2016 subject, the same walk")
    assert "scaled to peak 1 by its source" in legend[1]
    assert curves.plot.getAxis("right").isVisible()
    pct, env = builtin_emg("walking").envelope("vaslat_r")
    assert np.allclose(curves.emg_shown(), np.interp(window.cycle.percent, pct, env))
    agree = channel_agreement(builtin_emg("walking"), "VL", window.cycle)
    assert f"VL electrode vs simulation: on/off agree {agree.on_off:.0%}" in curves.agreement_text()
    assert f"r = {agree.correlation:.2f}" in curves.agreement_text()
    # the left leg's muscle: its own electrode's envelope, half a cycle later
    window.selection.select("vaslat_l")
    _, left = builtin_emg("walking").envelope("vaslat_l")
    assert np.allclose(curves.emg_shown(), np.interp(window.cycle.percent, pct, left))


def test_a_muscle_without_an_electrode_or_a_gait_without_emg_shows_no_emg(window):
    window.selection.select("addlong_r")
    assert window.curves.emg_shown() is None
    assert not any("measured EMG" in e for e in window.curves.legend_entries())
    assert window.curves.agreement_text() == ""
    window.set_gait("sprinting")
    window.selection.select("vaslat_r")
    assert window.curves.emg_shown() is None
    assert not window.curves.plot.getAxis("right").isVisible()
    assert not window.heatmap.scale_available("emg")
    with pytest.raises(ValueError, match="no measured EMG"):
        window.heatmap.set_scale("emg")


def test_the_heatmap_shows_measured_emg_and_leaves_muscles_without_it_empty(window):
    hm = window.heatmap
    hm.set_side("r")
    hm.set_scale("emg")
    assert hm.scale_control.currentText() == "Measured EMG"
    img = hm.image.image
    pct, env = builtin_emg("walking").envelope("soleus_r")
    assert np.allclose(img[hm.row_of("soleus_r")], np.interp(window.cycle.percent, pct, env))
    assert hm.blank_cells()[hm.row_of("addlong_r")].all()
    assert not hm.blank_cells()[hm.row_of("soleus_r")].any()
    assert "measured EMG" in hm.readout_for("soleus_r", 40.0)
    assert "no electrode" in hm.readout_for("addlong_r", 40.0)
    # a gait without EMG goes back to activation
    window.set_gait("sprinting")
    assert hm.scale() == "absolute"


# ------------------------------------------------------------------ fast fibres
def test_the_fast_fibre_mode_shows_sprinting_recruiting_gluteus_maximus_fast_fibres(window):
    hm = window.heatmap
    hm.set_side("r")
    found = {}
    for gait in ("running", "sprinting"):
        window.set_gait(gait)
        hm.set_scale("fast")
        rows = [hm.row_of(m) for m in ("glmax1_r", "glmax2_r", "glmax3_r")]
        found[gait] = float(np.nan_to_num(hm.image.image[rows]).mean())
        assert hm.colorbar.axis.labelText == "fast-fibre share"
    assert found["sprinting"] > found["running"] + 0.05, found
    # at rest a cell is empty, not "slow fibres only"
    cycle = window.cycle
    resting = cycle.activation("glmax1_r") < 0.02
    assert hm.blank_cells()[hm.row_of("glmax1_r")][resting].all()
    assert "fast fibres" in hm.readout_for("glmax1_r", float(cycle.percent[~resting][0]))


# ------------------------------------------------------------------ the Work view
def test_the_work_view_shows_the_vasti_absorbing_and_the_hip_extensors_generating(window, qtbot):
    window.set_gait("running")
    window.selection.select("vaslat_r")
    w = window.analysis.open_work()
    qtbot.waitExposed(w)
    panel = w.panel
    assert panel.power() is builtin_muscle_power("running")
    claims = stride_claims(panel.power())
    text = panel.claims.text()
    assert f"the vasti absorb {-claims.vasti_early[1]:.0f} J" in text
    assert f"generate {claims.hip_extensors_stance[0]:.0f} J" in text
    # the vasti's rows are blue (negative power) right after foot strike
    img = panel.image.image
    early = panel.power().percent < claims.toe_off / 2
    vasti = [panel.rows().index(m) for m in ("vaslat_r", "vasmed_r", "vasint_r")]
    assert img[vasti][:, early].sum() < 0
    bars = dict((n, (p, q)) for n, p, q in panel.bar_rows())
    assert bars["Quadriceps"][1] < -20 and bars["Glutes"][0] > 0
    assert panel.curve_title.text().startswith("Vastus lateralis (R): +")
    # the muscles' bars, and a click on a heatmap row selects that muscle everywhere
    panel.set_bar_mode("muscles")
    assert len(panel.bar_rows()) == 40
    target = panel.heat_target()
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=panel.pixel_of("soleus_r", 50.0))
    assert window.selection.name == "soleus_r"
    assert window.playback.percent == pytest.approx(50.0, abs=1.0)
    assert panel.curve_title.text().startswith("Soleus (R)")


def test_the_work_view_follows_the_gait_and_refuses_emg_as_forces(window, qtbot):
    w = window.analysis.open_work()
    qtbot.waitExposed(w)
    assert w.panel.power().label == "Walking"
    window.set_gait("sprinting")
    assert w.panel.power().label == "Sprinting"
    assert "Sprinting" in w.panel.title.text()


# ------------------------------------------------------------------ Fibres and energy
def test_the_fibres_and_energy_view_shows_the_energy_models_figures(window, qtbot):
    w = window.analysis.open_fibres()
    qtbot.waitExposed(w)
    panel = w.panel
    panel.compute()
    for gait in ("walking", "running", "sprinting"):
        s = builtin_gait_energy(gait).summary()
        assert (
            panel.cell_text(panel.cost_table, "Metabolic power", gait) == f"{s.w_per_kg:.1f} W/kg"
        )
        assert panel.cell_text(panel.cost_table, "Cost per metre", gait) == (
            f"{s.j_per_kg_per_m:.2f} J/kg/m"
        )
        quads = next(g for g in s.groups if g.key == "quadriceps")
        assert (
            panel.cell_text(panel.group_table, "Quadriceps", gait) == f"{quads.share * 100:.0f} %"
        )
    walking = measured_costs()["walking"]
    ratio = walking.ratio(builtin_gait_energy("walking"))
    assert panel.cell_text(panel.cost_table, "Estimate / measured", "walking") == (
        f"{ratio:.2f} ({(ratio - 1) * 100:+.0f} %)"
    )
    verdict = panel.verdict.text()
    assert f"Walking: the estimate is {(ratio - 1) * 100:.0f} % above the measured cost" in verdict
    assert "rigid tendons" in verdict
    assert "Margaria" in panel.sources.text()
    assert "Sprinting: no measured cost" in verdict
    # the gait shown is marked; sprinting's gluteus maximus recruits more fast fibres
    assert "\u25b8" in panel.fibre_table.horizontalHeaderItem(2).text()  # walking
    sprint = float(panel.cell_text(panel.fibre_table, "Gluteus maximus", "sprinting")[:-2])
    run = float(panel.cell_text(panel.fibre_table, "Gluteus maximus", "running")[:-2])
    assert sprint > run + 5
    # a row selects its muscle
    row = [panel.fibre_table.item(r, 0).text() for r in range(panel.fibre_table.rowCount())]
    panel.fibre_table.cellClicked.emit(row.index("Iliacus"), 0)
    assert window.selection.name == "iliacus_r"
    assert panel.selected_row() == row.index("Iliacus")


def test_the_analysis_windows_fit_the_default_screen(window, qtbot):
    screen = window.screen().availableGeometry()
    for w in (window.analysis.open_work(), window.analysis.open_fibres()):
        qtbot.waitExposed(w)
        assert w.width() <= screen.width() and w.height() <= screen.height()
    assert [a.text() for a in window.analysis.menu.actions()] == [
        "&Work over the stride\u2026",
        "&Fibres and energy of the three gaits\u2026",
    ]


def test_a_short_fibres_window_scrolls_its_energy_column_instead_of_overlapping_it(window, qtbot):
    w = window.analysis.open_fibres()
    qtbot.waitExposed(w)
    w.panel.compute()
    w.resize(1000, 560)
    qtbot.wait(200)
    p = w.panel
    column = p.energy_scroll.widget()
    below = [p.cost_table, p.verdict, p.group_title, p.group_table, p.sources]
    tops = [x.mapTo(column, x.rect().topLeft()).y() for x in below]
    bottoms = [x.mapTo(column, x.rect().bottomLeft()).y() for x in below]
    # each part starts below the one above it (the citation is not drawn over the table)
    assert all(t > b for t, b in zip(tops[1:], bottoms[:-1], strict=True)), (tops, bottoms)
    assert p.energy_scroll.verticalScrollBar().maximum() > 0  # the column scrolls instead


# ------------------------------------------------------------------ a trial with EMG
@pytest.mark.skipif(not REF.is_dir(), reason="reference OpenSim files not present")
def test_a_trials_emg_is_shown_beside_static_optimisation_of_the_trial(window, qtbot):
    trial = reference_walk_with_emg(REF)
    cycle = trial.to_cycle()
    window.show_cycle(cycle)
    window.selection.select("soleus_r")
    curves = window.curves
    assert curves.legend_entries()[0] == (
        "simulated (static optimisation) \u2014 not computed for this trial yet"
    )
    assert curves.legend_entries()[1].startswith("measured EMG \u2014 electromyography.sto")
    # what the window does when it shows a trial opened with EMG: static optimisation of the
    # same trial in a worker thread, handed to the model
    assert window.trial_simulation.start(trial, cycle)
    window.trial_simulation.wait()
    qtbot.waitUntil(lambda: window.app_model.simulated is not None, timeout=5000)
    assert window.statusBar().currentMessage().startswith("The trial's EMG is shown beside")
    assert (
        curves.legend_entries()[0] == "simulated (static optimisation) \u2014 activation, left axis"
    )
    assert "of the trial" in curves.agreement_text()
    # the Work view takes the trial's forces from that simulation, not from its EMG
    w = window.analysis.open_work()
    qtbot.waitExposed(w)
    assert w.panel.power() is not None and w.panel.message_text() == ""
