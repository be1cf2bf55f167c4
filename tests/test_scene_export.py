"""The 3-D scene as a glTF 2.0 file: `anatomy-viewer export-scene` and File > Export 3-D scene.

The file is read back (with pygltflib, and the node tree and point counts with VTK's own glTF
reader): one node per muscle named as the model's actuator and per bone, every muscle a
closed surface wound outwards whose volume is the drawn muscle's, vertex colours, y up.
"""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest
from fault_injection import OLD, leftovers

from anatomy_viewer import cli
from anatomy_viewer.scene import gltf
from anatomy_viewer.scene.gltf import Y_UP, enclosed_volume, is_closed, read_gltf

PHASE = 20.0


@pytest.fixture(scope="module")
def scene(leg_model):
    """Walking at PHASE, as `export-scene --gait walking --phase 20` draws it."""
    from anatomy_viewer.gait.animation import CycleAnimation
    from anatomy_viewer.gait.library import load_gait
    from anatomy_viewer.scene.leg_scene import LegScene

    anim = CycleAnimation(load_gait("walking"), leg_model)
    frame = anim.at(PHASE)
    s = LegScene(leg_model)
    s.update(frame.pose, frame.activations, frame.modes)
    return s


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("scene") / "leg.glb"
    code = cli.main(["export-scene", "--gait", "walking", "--phase", "20", "-o", str(out)])
    assert code == 0
    return out


def test_the_glb_is_a_gltf_2_binary_container(exported):
    data = exported.read_bytes()
    magic, version, length = struct.unpack("<4sII", data[:12])
    assert (magic, version, length) == (b"glTF", 2, len(data))
    json_len, json_type = struct.unpack("<I4s", data[12:20])
    assert json_type == b"JSON" and json_len % 4 == 0
    doc = json.loads(data[20 : 20 + json_len])
    bin_len, bin_type = struct.unpack("<I4s", data[20 + json_len : 28 + json_len])
    assert bin_type == b"BIN\0" and bin_len >= doc["buffers"][0]["byteLength"]
    assert doc["asset"]["version"] == "2.0"
    root = doc["nodes"][doc["scenes"][doc["scene"]]["nodes"][0]]
    assert root["name"] == gltf.ROOT and root["extras"]["percent"] == PHASE


def test_one_node_per_muscle_and_bone_named_as_the_model(exported, leg_model):
    meshes = read_gltf(exported)
    muscles = set(leg_model.muscle_names)
    bones = {b.name for b in leg_model.bones}
    assert set(meshes) == muscles | bones
    assert "glmax1_r" in meshes and "sacrum_geom_1" in meshes
    ext = meshes["vaslat_r"].extras
    assert ext["group"] == "Quadriceps" and "Vastus lateralis" in ext["label"]


def test_every_muscle_is_closed_outward_and_holds_the_drawn_volume(exported, scene, leg_model):
    meshes = read_gltf(exported)
    shapes = scene.muscles.shapes
    for i, name in enumerate(leg_model.muscle_names):
        m = meshes[name]
        assert is_closed(m.triangles), name  # watertight, consistently wound
        assert enclosed_volume(m.positions, m.triangles) > 0, name  # wound outwards
        # the shading normals point out of the surface too (a sheet's part also has the
        # wall along its cut, where the normals are the sheet's)
        tri = m.positions[m.triangles]
        face = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
        at_vertex = np.zeros_like(m.positions)
        np.add.at(at_vertex, m.triangles.ravel(), np.repeat(face, 3, axis=0))
        agree = np.mean(np.einsum("ij,ij->i", at_vertex, m.normals) > 0)
        assert agree > (0.75 if shapes.is_sheet[shapes.body_of_muscle[i]] else 0.95), name
    # A muscle drawn as one sheet of several lines: the lines' parts add up to the sheet.
    drawn = shapes.closed_volumes(scene.muscles.points_np)
    names = leg_model.muscle_names
    for k, body in enumerate(shapes.bodies):
        parts = [
            enclosed_volume(meshes[names[i]].positions, meshes[names[i]].triangles)
            for i in body.lines
        ]
        assert sum(parts) == pytest.approx(drawn[k], rel=1e-4), names[body.lines[0]]
        assert min(parts) > 0.1 * drawn[k] / len(parts)  # every line gets a real share
    assert sum(s.is_sheet for s in shapes.bodies) >= 3  # gluteus maximus, medius, minimus...


def test_y_is_up_in_metres_and_the_body_faces_plus_z(exported, scene, leg_model):
    meshes = read_gltf(exported)
    pelvis = meshes["pelvis_r"].positions
    feet = np.concatenate([meshes[n].positions for n in ("foot_r", "foot_l")])
    assert 0.85 < pelvis[:, 1].max() < 1.2  # the hip bone's top, ~1 m above the floor
    assert feet[:, 1].min() > -0.05 and feet[:, 1].min() < 0.1  # the feet on the floor
    # the toes are in front of the heels: +z in glTF, the model's -y
    assert meshes["bofoot_r"].positions[:, 2].mean() > meshes["foot_r"].positions[:, 2].mean()
    # the right leg keeps the model's -x
    assert meshes["femur_r"].positions[:, 0].mean() < 0 < meshes["femur_l"].positions[:, 0].mean()
    # the same points as drawn, turned y-up
    i = leg_model.muscle_index("soleus_r")
    drawn = scene.muscles.points_np[scene.muscles.vertex_ids([i])] @ Y_UP.T
    got = meshes["soleus_r"].positions
    assert np.abs(np.sort(got, axis=0) - np.sort(drawn, axis=0)).max() < 1e-5


def test_vertex_colours_are_the_activation_colours(exported, scene, leg_model):
    meshes = read_gltf(exported)
    act = scene.muscle_layer.activations.copy()
    names = leg_model.muscle_names
    shapes = scene.muscles.shapes
    single = np.array([not shapes.is_sheet[shapes.body_of_muscle[i]] for i in range(len(act))])
    busy = names[int(np.argmax(act))]
    idle = names[int(np.argmin(np.where(single, act, np.inf)))]  # a muscle of one line
    assert act.max() > 0.3 and act.min() < 0.05
    assert meshes[busy].extras["activation"] == pytest.approx(act.max(), abs=1e-4)

    def belly(name):  # the brightest colour of the mesh: its belly, not the pale tendon
        c = meshes[name].colours
        red = c[:, 0] > 1.5 * c[:, 2]
        return c[red].mean(axis=0)

    assert belly(busy)[1] > belly(idle)[1] + 0.05  # an active muscle is lit (towards gold)
    # linear colours: the scene's sRGB colour of the idle muscle, linearised
    i = names.index(idle)
    srgb = scene.muscles.colours_np[scene.muscles.vertex_ids([i])] / 255.0
    assert np.allclose(
        np.sort(meshes[idle].colours, axis=0), np.sort(gltf._linear(srgb), axis=0), atol=1e-5
    )


def test_vtks_own_gltf_reader_opens_it(exported, leg_model):
    """A second, independent reader (VTK's C++ glTF loader) sees the same tree and meshes."""
    from vtkmodules.vtkCommonDataModel import vtkMultiBlockDataSet
    from vtkmodules.vtkIOGeometry import vtkGLTFReader

    reader = vtkGLTFReader()
    reader.SetFileName(str(exported))
    reader.Update()
    root = reader.GetOutput().GetBlock(0)
    groups = [root.GetBlock(i) for i in range(root.GetNumberOfBlocks())]
    assert [g.GetNumberOfBlocks() for g in groups] == [80, len(leg_model.bones)]
    counts = []
    for i in range(80):
        leaf = groups[0].GetBlock(i)
        while isinstance(leaf, vtkMultiBlockDataSet):
            leaf = leaf.GetBlock(0)
        assert leaf.GetPointData().GetArray("COLOR_0") is not None
        counts.append(leaf.GetNumberOfPoints())
    meshes = read_gltf(exported)
    assert counts == [len(meshes[n].positions) for n in leg_model.muscle_names]


def test_a_gltf_text_file_holds_its_data_and_a_highlight_dims_the_rest(scene, tmp_path, leg_model):
    names = leg_model.muscle_names
    plain = read_gltf(gltf.export_scene(scene, tmp_path / "plain.glb"))
    scene.set_highlighted([names.index("glmax1_r")])
    try:
        out = gltf.export_scene(scene, tmp_path / "leg.gltf")
    finally:
        scene.set_highlighted(None)
    assert "data:application/octet-stream;base64," in out.read_text()
    lit = read_gltf(out)
    assert set(lit) == set(plain)
    # the highlighted line keeps its colour (blended into its dimmed neighbour at the cut)
    assert np.allclose(lit["glmax1_r"].colours.max(0), plain["glmax1_r"].colours.max(0))
    assert lit["glmax1_r"].colours.mean() > 0.85 * plain["glmax1_r"].colours.mean()
    assert lit["vaslat_r"].colours.mean() < 0.6 * plain["vaslat_r"].colours.mean()


def test_hidden_muscles_and_legs_are_left_out(scene, tmp_path, leg_model):
    scene.set_side_visible(True, False)
    try:
        meshes = read_gltf(gltf.export_scene(scene, tmp_path / "right.glb"))
    finally:
        scene.set_side_visible(True, True)
    assert all(not n.endswith("_l") for n in meshes) and "glmax1_r" in meshes
    assert "sacrum_geom_1" in meshes


# ------------------------------------------------------------------------------ bad input
def _error(capsys) -> str:
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(err) == 1 and "Traceback" not in err[0], err
    return err[0]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--phase", "101"], "phase must be within 0..100"),
        (["--phase", "x"], "phase must be a number"),
        (["--gait", "jogging"], "invalid choice: 'jogging'"),
        (["--highlight", "elbow"], "no such muscle group or muscle"),
        (["--gait", "walking", "--motion", "a.mot"], "either --gait or --motion"),
    ],
)
def test_bad_flags_are_one_line_exit_2_and_nothing_written(tmp_path, capsys, args, says):
    out = tmp_path / "leg.glb"
    out.write_bytes(OLD)
    assert cli.main(["export-scene", *args, "-o", str(out)]) == 2
    assert says in _error(capsys)
    assert out.read_bytes() == OLD and leftovers(tmp_path) == []


def test_bad_targets_are_refused_before_any_work(tmp_path, capsys, read_only_folder):
    folder = tmp_path / "scene.glb"
    folder.mkdir()
    cases = [
        (folder, "is a folder"),
        (tmp_path / "missing" / "leg.glb", "does not exist"),
        (tmp_path / "leg.obj", "written as .glb or .gltf"),
        (read_only_folder / "old.png", "read-only"),
        (read_only_folder / "leg.glb", "read-only"),
    ]
    for target, says in cases:
        assert cli.main(["export-scene", "-o", str(target)]) == 2, target
        assert says in _error(capsys), target
    assert folder.is_dir() and list(folder.iterdir()) == []
    assert (read_only_folder / "old.png").read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_a_file_that_does_not_read_back_replaces_nothing(scene, tmp_path, monkeypatch):
    from anatomy_viewer.safe_output import OutputError

    out = tmp_path / "leg.glb"
    out.write_bytes(OLD)
    monkeypatch.setattr(gltf, "read_gltf", lambda path: {})
    with pytest.raises(OutputError, match="did not read back"):
        gltf.export_scene(scene, out)
    assert out.read_bytes() == OLD and leftovers(tmp_path) == []


# ------------------------------------------------------------------------------ the window
def test_the_file_menu_exports_what_the_view_shows(module_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    win = module_window
    win.playback.pause()
    win.set_gait("running")
    win.playback.seek(30.0)
    win.view_options.set_legs("left")
    target = tmp_path / "from_window"  # no extension: .glb is added
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "glTF binary (*.glb)")
    )
    try:
        action = win.scene_export.action
        assert action in win.file_menu.actions()
        action.trigger()
        out = tmp_path / "from_window.glb"
        meshes = read_gltf(out)
        assert "glmax1_l" in meshes and "glmax1_r" not in meshes
        assert meshes["glmax1_l"].extras["activation"] == pytest.approx(
            win.scene.muscle_layer.activations[win.model.muscle_index("glmax1_l")], abs=1e-4
        )
        assert "from_window.glb" in win.statusBar().currentMessage()
        # a folder as the target: one line in a message box, nothing else happens
        (tmp_path / "folder.glb").mkdir()
        assert win.scene_export.export(tmp_path / "folder.glb") is None
        assert "folder" in win.scene_export.error_box.text()
        win.scene_export.error_box.close()
    finally:
        win.view_options.set_legs("both")
        win.set_gait("walking")


def test_a_recorded_trial_exports_like_a_built_in_gait(tmp_path, capsys, leg_model):
    from trial_files import write_grf, write_motion

    mot, grf = write_motion(tmp_path / "walk.mot"), write_grf(tmp_path / "walk_grf.mot")
    out = tmp_path / "trial.glb"
    args = ["export-scene", "--motion", str(mot), "--grf", str(grf), "--phase", "50"]
    assert cli.main([*args, "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    meshes = read_gltf(out)
    assert set(leg_model.muscle_names) <= set(meshes)
