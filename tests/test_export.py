"""The cycle export: 101 rows, the model's names as columns, modes as words."""

import csv
import io

import numpy as np
import pytest

from anatomy_viewer.anatomy import COORDINATES
from anatomy_viewer.gait.contraction import contraction_modes, cycle_muscle_lengths
from anatomy_viewer.gait.export import cycle_rows, write_cycle_csv
from anatomy_viewer.gait.library import load_gait, model_muscle_names


@pytest.fixture(scope="module")
def walking_with_modes(leg_model):
    cycle = load_gait("walking")
    modes = contraction_modes(cycle, cycle_muscle_lengths(cycle, leg_model))
    return cycle, modes


def _read(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_csv_has_101_rows_and_the_model_names_as_columns(walking_with_modes):
    cycle, modes = walking_with_modes
    buf = io.StringIO()
    write_cycle_csv(cycle, buf, modes=modes)
    header, rows = _read(buf.getvalue())
    muscles = list(model_muscle_names())
    assert len(muscles) == 80
    expected = ["percent", *COORDINATES, *muscles, "contact_r", "contact_l"] + [
        f"mode_{m}" for m in muscles
    ]
    assert header == expected
    assert len(rows) == 101
    assert [float(r["percent"]) for r in rows] == list(range(101))
    # activations within 0..1, contacts 1/0, modes as words
    acts = np.array([[float(r[m]) for m in muscles] for r in rows])
    assert acts.min() >= 0.0 and acts.max() <= 1.0
    assert {r["contact_r"] for r in rows} == {"0", "1"}
    words = {r[f"mode_{m}"] for r in rows for m in muscles}
    assert words == {"concentric", "eccentric", "isometric", "inactive"}


def test_rows_hold_the_cycle_values(walking_with_modes):
    cycle, modes = walking_with_modes
    rows = cycle_rows(cycle, modes)
    # the 201-sample cycle has a sample at every whole percent: values agree exactly
    i50 = int(np.flatnonzero(cycle.percent == 50.0)[0])
    assert rows[50]["knee_angle_r"] == pytest.approx(
        cycle.coordinates["knee_angle_r"][i50], abs=1e-3
    )
    assert rows[50]["soleus_r"] == pytest.approx(cycle.activation("soleus_r")[i50], abs=1e-4)
    # right foot down at heel strike, up in mid-swing; left the other way round
    assert rows[0]["contact_r"] == 1 and rows[80]["contact_r"] == 0
    assert rows[30]["contact_l"] == 0 and rows[60]["contact_l"] == 1


def test_without_modes_there_are_no_mode_columns_and_bad_modes_are_refused(tmp_path):
    cycle = load_gait("running")
    path = tmp_path / "running.csv"
    write_cycle_csv(cycle, path)
    header, rows = _read(path.read_text())
    assert len(rows) == 101
    assert not any(h.startswith("mode_") for h in header)
    with pytest.raises(ValueError, match="modes have shape"):
        cycle_rows(cycle, modes=np.zeros((80, 7), dtype=np.int8))
