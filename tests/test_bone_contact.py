"""The bones' distance fields, as the muscle geometry uses them: how far a point is from a
bone, and which way is out."""

from __future__ import annotations

import numpy as np
import pytest

from anatomy_viewer.scene.bone_contact import BoneFields, decode_distances, encode_distances


@pytest.fixture(scope="module")
def fields(leg_model):
    return BoneFields.load([b.name for b in leg_model.bones])


def _outward_points(bone, matrix, offset):
    """Points ``offset`` metres out from the bone's surface along its vertex normals (world)."""
    v, f = bone.vertices, bone.faces
    tri = v[f]
    face_n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    normals = np.zeros_like(v)
    for k in range(3):
        np.add.at(normals, f[:, k], face_n)
    normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
    world = (v + offset * normals) @ matrix[:3, :3].T + matrix[:3, 3]
    return world.astype(np.float32), normals @ matrix[:3, :3].T


@pytest.mark.parametrize("bone_name", ["femur_r", "tibia_l", "pelvis_r"])
def test_distance_and_direction_near_a_bone(fields, leg_model, bone_name):
    pose = leg_model.pose({"hip_flexion_r": 30.0, "knee_angle_l": 45.0})
    names = [b.name for b in leg_model.bones]
    j = names.index(bone_name)
    bone = leg_model.bones[j]
    for offset in (0.003, 0.015):
        pts, normals = _outward_points(bone, pose.bone_matrices[j], offset)
        d, g = fields.lookup(pts, np.full(len(pts), j), pose.bone_matrices)
        # Most surface points: the distance within a millimetre, the direction outward.
        assert np.median(np.abs(d - offset)) < 0.001
        assert np.mean(np.einsum("ij,ij->i", g, normals) > 0.7) > 0.8
    # Far from the bone (beyond its grid) the distance keeps growing.
    centre = pose.bone_matrices[j][:3, 3].astype(np.float32)
    far = np.array([centre + [0.0, 0.0, 0.5], centre + [0.0, 0.0, 1.0]], np.float32)
    d, _ = fields.lookup(far, np.array([j, j]), pose.bone_matrices)
    assert d[1] > d[0] + 0.4


def test_stored_distances_are_fine_near_the_surface():
    d = np.linspace(-0.02, 0.16, 20001)
    q, scale = encode_distances(d)
    back = decode_distances(q, scale).astype(float)
    near = np.abs(d) < 0.002
    assert np.abs(back - d)[near].max() < 0.0002  # a fifth of a millimetre
    assert np.abs(back - d).max() < 0.002


def test_missing_or_damaged_fields_mean_no_contact_not_a_crash(tmp_path):
    with pytest.warns(UserWarning, match="build_bone_sdf"):
        assert BoneFields._load(("femur_r",), tmp_path / "absent.npz") is None
    damaged = tmp_path / "damaged.npz"
    damaged.write_bytes(b"PK\x03\x04 not the whole file")
    with pytest.warns(UserWarning, match="build_bone_sdf"):
        assert BoneFields._load(("femur_r",), damaged) is None
