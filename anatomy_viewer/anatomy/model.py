"""MyoLeg loaded and posed kinematically with MuJoCo.

The model is MyoLeg from the ``myo-sim`` package (Apache-2.0), derived from the Rajagopal et al.
(2016) full-body OpenSim gait model: 40 muscles per leg whose paths wrap around the bones.
We do not simulate dynamics: a pose is a set of joint coordinates (degrees), MuJoCo computes the
body transforms (``mj_kinematics``) and the wrapped muscle paths and lengths (``mj_tendon``).

Rajagopal A, Dembia CL, DeMers MS, Delp DD, Hicks JL, Delp SL (2016). Full-body musculoskeletal
model for muscle-driven simulation of human gait. IEEE Trans Biomed Eng 63(10):2068-2079.
"""

from __future__ import annotations

import importlib.metadata
import os
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import mujoco
import numpy as np

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.anatomy.names import PELVIS_COORDINATES

#: Bone meshes of the legs, as the model names its geoms (torso, skull and scene meshes dropped),
#: and the sacrum with the coccyx, which closes the pelvic ring at the back.
BONE_GEOMS: tuple[str, ...] = tuple(
    f"{b}_{side}"
    for side in ("r", "l")
    for b in ("pelvis", "femur", "patella", "tibia", "fibula", "talus", "foot", "bofoot")
) + ("sacrum_geom_1",)

#: Points each muscle path is resampled to (fixed topology for drawing).
PATH_SAMPLES = 16

#: Specific tension used to turn maximum isometric force into a physiological cross-sectional
#: area: 60 N/cm^2 = 6e5 N/m^2, the value of Rajagopal et al. (2016).
SPECIFIC_TENSION_N_PER_M2 = 60.0e4


#: Bump when the recipe of :func:`compile_myoleg` changes: models cached by another recipe are
#: not used.
MODEL_RECIPE = 1


def model_cache_path() -> Path:
    """Where the compiled model is kept between runs: the user's XDG cache folder, one file per
    MuJoCo version, MyoLeg package version and recipe."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    try:
        myo = importlib.metadata.version("myo-sim")
    except importlib.metadata.PackageNotFoundError:
        myo = "unknown"
    name = f"myolegs-mujoco{mujoco.__version__}-myosim{myo}-recipe{MODEL_RECIPE}.mjb"
    return Path(base) / "anatomy-viewer" / "model" / name


def compile_myoleg() -> mujoco.MjModel:
    """MyoLeg compiled for posing (about 0.3 s).

    Compiled from the package's specification with only the meshes drawn here (the bones of
    BONE_GEOMS): the torso's, skull's and arms' meshes, the materials and textures are dropped
    before compiling, and so are the posture keyframes (``myo_sim.load`` adds them, compiling
    the model twice). Bodies, joints, sites, wrapping objects and tendons are untouched, so the
    poses and muscle paths are those of the full model; its masses are not, and dynamics use
    their own model (:mod:`anatomy_viewer.anatomy.dynamics`)."""
    import myo_sim

    # MuJoCo's default warning handler prints and appends to MUJOCO_LOG.TXT in the current
    # folder; the compiler warns harmlessly about spec prefixes while MyoLeg is assembled.
    previous = mujoco.get_mju_user_warning()
    mujoco.set_mju_user_warning(lambda _msg: None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spec = myo_sim.load_spec("myolegs")
            drawn = set()
            for geom in list(spec.geoms):
                if geom.type != mujoco.mjtGeom.mjGEOM_MESH:
                    continue
                if geom.name in BONE_GEOMS:
                    drawn.add(geom.meshname)
                else:
                    spec.delete(geom)
            for mesh in list(spec.meshes):
                if mesh.name not in drawn:
                    spec.delete(mesh)
            for element in (*spec.geoms, *spec.sites, *spec.tendons):
                element.material = ""
            for element in (*spec.materials, *spec.textures):
                spec.delete(element)
            return spec.compile()
    finally:
        mujoco.set_mju_user_warning(previous)


def _read_cached_model(path: Path) -> mujoco.MjModel | None:
    """The model cached at ``path``, or None if there is none or it is unusable."""
    if not path.is_file():
        return None
    # A damaged file makes MuJoCo warn, and its default handler appends the warning to
    # MUJOCO_LOG.TXT in the current folder (the user's): the file is simply compiled again.
    previous = mujoco.get_mju_user_warning()
    mujoco.set_mju_user_warning(lambda _msg: None)
    try:
        model = mujoco.MjModel.from_binary_path(str(path))
        for name in BONE_GEOMS:
            model.geom(name)
    except (OSError, ValueError, KeyError):
        return None
    finally:
        mujoco.set_mju_user_warning(previous)
    return model


def _write_cached_model(model: mujoco.MjModel, path: Path) -> None:
    """Keep ``model`` at ``path`` for the next run; a cache that cannot be written is skipped."""
    from anatomy_viewer.safe_output import atomic_output

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(path) as tmp:
            mujoco.mj_saveModel(model, str(tmp), None)
    except OSError:
        pass


@cache
def load_myoleg() -> tuple[mujoco.MjModel, mujoco.MjData]:
    """MyoLeg for posing, once per process: from the compiled copy in the user's cache (a few
    milliseconds), else compiled (:func:`compile_myoleg`) and cached for the next run."""
    path = model_cache_path()
    model = _read_cached_model(path)
    if model is None:
        model = compile_myoleg()
        _write_cached_model(model, path)
    return model, mujoco.MjData(model)


@dataclass(frozen=True)
class Bone:
    name: str  # e.g. "femur_r"
    side: str  # "r", "l", or "c" for the sacrum in the middle
    vertices: np.ndarray  # (n, 3) in the bone's own (geom) frame, metres
    faces: np.ndarray  # (m, 3) vertex indices


@dataclass
class Pose:
    """Everything the scene needs to draw one instant."""

    bone_matrices: np.ndarray  # (n_bones, 4, 4) world transforms of the bone meshes
    muscle_paths: np.ndarray  # (n_muscles, PATH_SAMPLES, 3) world points, origin -> insertion
    muscle_lengths: np.ndarray  # (n_muscles,) muscle-tendon unit length, metres
    #: Where the pose lies in a precomputed sequence: ``(sequence, i, u)`` when it is the blend
    #: (1 - u) * frame i + u * frame i + 1 of ``sequence`` (None: posed on its own). Whatever is
    #: derived from a pose can then be derived once per frame of the sequence and blended alike.
    blend: tuple[PoseSequence, int, float] | None = None


@dataclass
class PoseSequence:
    """Poses of a whole sequence of frames (a gait cycle), stacked on a first frame axis."""

    bone_matrices: np.ndarray  # (n_frames, n_bones, 4, 4)
    muscle_paths: np.ndarray  # (n_frames, n_muscles, PATH_SAMPLES, 3)
    muscle_lengths: np.ndarray  # (n_frames, n_muscles)

    def __len__(self) -> int:
        return self.muscle_lengths.shape[0]

    def frame(self, i: int) -> Pose:
        return Pose(
            self.bone_matrices[i], self.muscle_paths[i], self.muscle_lengths[i], (self, i, 0.0)
        )


def _rot(axis: str, angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    if axis == "x":
        return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    if axis == "y":
        return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


class LegModel:
    """The MyoLeg pelvis and legs: bones, 80 muscles, and kinematic posing.

    One instance owns its own ``MjData``, so poses computed here never disturb another user.
    """

    def __init__(self) -> None:
        base_model, _ = load_myoleg()
        self.m = base_model
        self.d = mujoco.MjData(self.m)
        m = self.m
        cat = catalogue()

        self.muscle_names: tuple[str, ...] = tuple(m.actuator(i).name for i in range(m.nu))
        self.muscles = tuple(cat.muscle(n) for n in self.muscle_names)
        self._muscle_index = {n: i for i, n in enumerate(self.muscle_names)}
        self._tendon_of_muscle = np.array([m.actuator_trnid[i, 0] for i in range(m.nu)])
        #: Maximum isometric force of each muscle (N), from the model's muscle gain parameters.
        self.max_isometric_force = np.array([m.actuator_gainprm[i, 2] for i in range(m.nu)])
        #: Physiological cross-sectional area (m^2) = F_max / specific tension.
        self.pcsa = self.max_isometric_force / SPECIFIC_TENSION_N_PER_M2

        self._jnt_qadr = {m.joint(j).name: int(m.jnt_qposadr[j]) for j in range(m.njnt)}
        self._knee_couplings = []  # (dependent qpos address, driver qpos address, coefficients)
        for e in range(m.neq):
            if m.eq_type[e] == mujoco.mjtEq.mjEQ_JOINT and m.eq_obj2id[e] >= 0:
                dep = int(m.jnt_qposadr[m.eq_obj1id[e]])
                drv = int(m.jnt_qposadr[m.eq_obj2id[e]])
                self._knee_couplings.append((dep, drv, np.array(m.eq_data[e, :5])))
        self._knee_ranges = {
            side: tuple(m.jnt_range[m.joint(f"knee_angle_{side}").id]) for side in ("r", "l")
        }

        pelvis = m.body("pelvis").id
        quat = np.array(m.body_quat[pelvis])
        mat = np.zeros(9)
        mujoco.mju_quat2Mat(mat, quat)
        # Orientation of the OpenSim ground frame (x forward, y up, z right) in MuJoCo's world.
        self._opensim_to_world = mat.reshape(3, 3)
        self._root_height = float(m.body("Full Body").pos[2])

        self.bones: tuple[Bone, ...] = tuple(self._load_bone(name) for name in BONE_GEOMS)
        self._bone_geom_ids = np.array([m.geom(b.name).id for b in self.bones])
        # Sole points of each foot, for placing the leg on the ground.
        self._sole_points = {}
        for side in ("r", "l"):
            pts = []
            for part in ("foot", "bofoot"):
                bone = self.bones[BONE_GEOMS.index(f"{part}_{side}")]
                pts.append((m.geom(bone.name).id, bone.vertices))
            self._sole_points[side] = pts

    # ------------------------------------------------------------------ construction helpers
    def _load_bone(self, geom_name: str) -> Bone:
        m = self.m
        g = m.geom(geom_name).id
        mesh = int(m.geom_dataid[g])
        va, vn = int(m.mesh_vertadr[mesh]), int(m.mesh_vertnum[mesh])
        fa, fn = int(m.mesh_faceadr[mesh]), int(m.mesh_facenum[mesh])
        return Bone(
            name=geom_name,
            side=geom_name[-1] if geom_name[-2:] in ("_r", "_l") else "c",
            vertices=np.array(m.mesh_vert[va : va + vn], dtype=float),
            faces=np.array(m.mesh_face[fa : fa + fn], dtype=np.int64),
        )

    # ------------------------------------------------------------------ queries
    @property
    def n_muscles(self) -> int:
        return len(self.muscle_names)

    def muscle_index(self, name: str) -> int:
        try:
            return self._muscle_index[name]
        except KeyError:
            raise KeyError(f"the model has no muscle {name!r}") from None

    # ------------------------------------------------------------------ posing
    def _set_qpos(self, coords: dict[str, float], height: float = 0.0) -> None:
        """Write coordinates (degrees) into qpos, with the knee's coupled coordinates."""
        m, d = self.m, self.d
        d.qpos[:] = m.qpos0
        for name, value in coords.items():
            if name in PELVIS_COORDINATES or name == "pelvis_ty":
                continue
            adr = self._jnt_qadr.get(name)
            if adr is None:
                raise KeyError(f"the model has no coordinate {name!r}")
            rad = np.deg2rad(value)
            if name.startswith("knee_angle_"):
                lo, hi = self._knee_ranges[name[-1]]
                rad = float(np.clip(rad, lo, hi))
            d.qpos[adr] = rad
        for dep, drv, c in self._knee_couplings:
            x = d.qpos[drv]
            d.qpos[dep] = c[0] + x * (c[1] + x * (c[2] + x * (c[3] + x * c[4])))
        # Pelvis: OpenSim rotates the pelvis about its z (tilt), then x (list), then y
        # (rotation) axes, all expressed in the ground frame; MuJoCo's free root joint takes
        # the same rotation expressed in world axes.
        tilt, lst, rot = (np.deg2rad(coords.get(k, 0.0)) for k in PELVIS_COORDINATES)
        r_os = _rot("z", tilt) @ _rot("x", lst) @ _rot("y", rot)
        mo = self._opensim_to_world
        r_world = mo @ r_os @ mo.T
        quat = np.zeros(4)
        mujoco.mju_mat2Quat(quat, r_world.reshape(-1))
        d.qpos[0:3] = (0.0, 0.0, self._root_height + height)
        d.qpos[3:7] = quat

    def _compute(self) -> None:
        mujoco.mj_kinematics(self.m, self.d)
        mujoco.mj_tendon(self.m, self.d)

    def pose(self, coords: dict[str, float], height: float = 0.0) -> Pose:
        """Pose the leg. ``coords`` maps coordinate names to degrees; absent ones are 0.

        ``height`` lifts the whole body (metres) from the model's default standing height.
        """
        self._set_qpos(coords, height)
        self._compute()
        return Pose(self._bone_matrices(), self._muscle_paths(), self._muscle_lengths())

    def lowest_sole_point(self, side: str) -> float:
        """Height (z, metres) of the lowest point of a foot in the current pose."""
        d = self.d
        lowest = np.inf
        for g, verts in self._sole_points[side]:
            z = verts @ d.geom_xmat[g].reshape(3, 3)[2] + d.geom_xpos[g][2]
            lowest = min(lowest, float(z.min()))
        return lowest

    def pose_sequence(
        self,
        frames: list[dict[str, float]],
        contact_r: np.ndarray | None = None,
        contact_l: np.ndarray | None = None,
        periodic: bool = True,
    ) -> PoseSequence:
        """Pose every frame, placing the body so that a foot in contact stands on the ground.

        While a foot is on the ground (``contact_*`` true) the body's height is set so that the
        lowest point of that foot touches z = 0; in flight (no foot down) the height is
        interpolated between the neighbouring contact frames. Without contact information the
        lower foot stands on the ground in every frame.
        """
        n = len(frames)
        nb, nm = len(self.bones), self.n_muscles
        soles = np.zeros((n, 2))
        bones = np.empty((n, nb, 4, 4))
        lengths = np.empty((n, nm))
        # Room for the longest wrapped path any pose can have: a point per site, two per
        # wrapping surface.
        pmax = 2 * int(self.m.tendon_num[self._tendon_of_muscle].max())
        poly = np.empty((n, nm, pmax, 3))
        longest = 2
        # Posed once at the model's standing height: raising the body moves every point by the
        # same height and changes no length, so the heights are added afterwards.
        for i, coords in enumerate(frames):
            self._set_qpos(coords)
            self._compute()
            soles[i] = (self.lowest_sole_point("r"), self.lowest_sole_point("l"))
            bones[i] = self._bone_matrices()
            lengths[i] = self._muscle_lengths()
            poly[i] = self._wrap_polylines(pmax)
            longest = max(longest, int(self.d.ten_wrapnum[self._tendon_of_muscle].max()))
        cr = np.ones(n, bool) if contact_r is None else np.asarray(contact_r, bool)
        cl = np.ones(n, bool) if contact_l is None else np.asarray(contact_l, bool)
        lowest = np.where(cr & cl, soles.min(1), np.where(cr, soles[:, 0], soles[:, 1]))
        grounded = cr | cl
        height = np.full(n, np.nan)
        height[grounded] = -lowest[grounded]
        if not grounded.any():
            height[:] = -soles.min()
        elif not grounded.all():
            idx = np.arange(n)
            if periodic:
                known = idx[grounded]
                xs = np.concatenate([known - n, known, known + n])
                ys = np.tile(height[grounded], 3)
                height = np.interp(idx, xs, ys)
            else:
                height = np.interp(idx, idx[grounded], height[grounded])

        paths = _resample_paths(poly[:, :, :longest])
        bones[:, :, 2, 3] += height[:, None]
        paths[..., 2] += height[:, None, None]
        if n:  # the model is left in the last frame's pose, as posing it last did
            self._set_qpos(frames[-1], float(height[-1]))
            self._compute()
        return PoseSequence(bones, paths, lengths)

    # ------------------------------------------------------------------ read-outs
    def _bone_matrices(self) -> np.ndarray:
        d = self.d
        g = self._bone_geom_ids
        out = np.zeros((len(g), 4, 4))
        out[:, :3, :3] = d.geom_xmat[g].reshape(-1, 3, 3)
        out[:, :3, 3] = d.geom_xpos[g]
        out[:, 3, 3] = 1.0
        return out

    def _muscle_lengths(self) -> np.ndarray:
        return np.array(self.d.ten_length[self._tendon_of_muscle])

    def raw_muscle_path(self, i: int) -> np.ndarray:
        """The wrapped path of muscle ``i`` as MuJoCo computed it (sites and wrap points)."""
        d = self.d
        t = self._tendon_of_muscle[i]
        pts = d.wrap_xpos.reshape(-1, 3)
        adr, num = int(d.ten_wrapadr[t]), int(d.ten_wrapnum[t])
        return np.array(pts[adr : adr + num])

    def _wrap_polylines(self, pmax: int | None = None) -> np.ndarray:
        """Every muscle's wrapped path as MuJoCo computed it (nm, pmax, 3), each padded to
        ``pmax`` points (default: the longest path's) by repeating its last point."""
        d = self.d
        pts = d.wrap_xpos.reshape(-1, 3)
        adr = d.ten_wrapadr[self._tendon_of_muscle]
        num = d.ten_wrapnum[self._tendon_of_muscle]
        if pmax is None:
            pmax = int(num.max())
        elif pmax < num.max():
            raise RuntimeError(f"a wrapped path has {num.max()} points, more than {pmax}")
        k = np.minimum(np.arange(pmax)[None, :], (num - 1)[:, None])
        return pts[adr[:, None] + k]

    def _muscle_paths(self) -> np.ndarray:
        """Every muscle's path resampled to PATH_SAMPLES points evenly spaced along its length."""
        return _resample_paths(self._wrap_polylines())


def _resample_paths(poly: np.ndarray) -> np.ndarray:
    """Paths (..., pmax, 3), each padded by repeating its last point, resampled to
    PATH_SAMPLES points evenly spaced along their length."""
    lead, pmax = poly.shape[:-2], poly.shape[-2]
    flat = poly.reshape(-1, pmax, 3)
    d = np.diff(flat, axis=1)
    seg = np.sqrt((d * d).sum(axis=2))  # (k, pmax-1); padding adds zero-length segments
    cum = np.zeros((len(flat), pmax))
    np.cumsum(seg, axis=1, out=cum[:, 1:])
    target = np.linspace(0.0, 1.0, PATH_SAMPLES)[None, :] * cum[:, -1:]  # (k, S)
    j = (cum[:, None, :] <= target[:, :, None]).sum(axis=2) - 1  # segment index
    j = np.clip(j, 0, pmax - 2)
    rows = np.arange(len(flat))[:, None]
    c0 = cum[rows, j]
    span = cum[rows, j + 1] - c0
    u = np.clip((target - c0) / np.where(span > 1e-12, span, 1.0), 0.0, 1.0)[..., None]
    out = flat[rows, j] * (1.0 - u) + flat[rows, j + 1] * u
    return out.reshape(*lead, PATH_SAMPLES, 3)
