"""Inverse dynamics and muscle mechanics of MyoLeg, frame by frame, with MuJoCo.

For each frame of a motion (joint coordinates, their velocities and accelerations, and the
ground reaction forces under each foot) :class:`LegDynamics` computes

- the generalised forces every joint needs (MuJoCo's recursive Newton-Euler, ``mj_rne``: mass
  matrix times acceleration plus Coriolis, centrifugal and gravity terms), minus the ground
  reaction forces mapped to the joints (``mj_applyFT`` at the centre of pressure, with the free
  moment). ``mj_inverse`` would ignore forces applied to bodies, so they are subtracted here.
- the knee's coupled coordinates (tibia translations and rotations, patella) folded onto
  ``knee_angle`` by the chain rule: the model ties them to the knee angle by polynomials
  (equality constraints), so a generalised force ``tau_i`` on a coupled coordinate ``q_i(x)``
  acts on the knee angle ``x`` as ``tau_i dq_i/dx``; moment arms fold the same way.
- the six generalised forces of the free root (the pelvis), which no muscle can supply: the
  *residuals* of the motion and forces. They are returned as a force (N) and a moment about
  the pelvis origin (N m), both in OpenSim's ground axes (x forward, y up, z right).
- every muscle's moment arms about the leg coordinates (MuJoCo's ``actuator_moment``, stored
  sparse and made dense with ``mju_sparse2dense``), its muscle-tendon length and lengthening
  velocity, and the force it makes at full and at zero activation: MuJoCo's own muscle model
  (``mj_fwdActuation``: force = gain(length, velocity) x activation + bias(length), the same
  numbers as ``mju_muscleGain`` / ``mju_muscleBias``). MuJoCo's muscles pull with negative
  force; here tensions are positive.

Conventions: coordinates as the rest of the program has them (degrees in, hip flexion +,
adduction +, internal rotation +, knee flexion +, ankle dorsiflexion +); positions and forces
in OpenSim's ground frame (x forward, y up, z right; metres, newtons). Passive joint damping,
armature and joint-limit forces of the MuJoCo model are left out, as OpenSim's inverse dynamics
leaves them out.

numpy + mujoco only; no Qt, no VTK.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache

import mujoco
import numpy as np
from scipy.spatial import ConvexHull

from anatomy_viewer.anatomy.names import LEG_COORDINATES, PELVIS_COORDINATES

#: Joint coordinates whose moments inverse dynamics reports and muscles must supply:
#: every leg coordinate of both legs (the knee's coupled coordinates folded onto knee_angle).
JOINT_COORDINATES: tuple[str, ...] = tuple(
    f"{c}_{side}" for side in ("r", "l") for c in LEG_COORDINATES
)
#: The residual's components, in OpenSim's ground axes: forces (N) then moments (N m) about
#: the pelvis origin.
RESIDUAL_NAMES: tuple[str, ...] = ("FX", "FY", "FZ", "MX", "MY", "MZ")
#: The back joint added between the pelvis and the lumbar spine (see :func:`load_myoleg_with_back`).
BACK_COORDINATES: tuple[str, ...] = ("lumbar_extension", "lumbar_bending", "lumbar_rotation")
#: Bodies the ground reaction force of each foot is applied to (as OpenSim's external loads do).
FOOT_BODIES = {"r": "calcn_r", "l": "calcn_l"}


def _rot(axis: str, angle: np.ndarray) -> np.ndarray:
    """(n, 3, 3) rotations about a coordinate axis."""
    c, s = np.cos(angle), np.sin(angle)
    o, z = np.ones_like(angle), np.zeros_like(angle)
    if axis == "x":
        rows = [[o, z, z], [z, c, -s], [z, s, c]]
    elif axis == "y":
        rows = [[c, z, s], [z, o, z], [-s, z, c]]
    else:
        rows = [[c, -s, z], [s, c, z], [z, z, o]]
    return np.moveaxis(np.array(rows), (0, 1), (1, 2))


@dataclass
class Kinematics:
    """Generalised positions, velocities and accelerations of the MuJoCo model, per frame."""

    qpos: np.ndarray  # (n, nq)
    qvel: np.ndarray  # (n, nv)
    qacc: np.ndarray  # (n, nv)
    knee_slopes: np.ndarray  # (n, 2, n_coupled): d q_coupled / d knee_angle, right then left

    def __len__(self) -> int:
        return self.qpos.shape[0]


@dataclass
class GroundLoads:
    """Ground reaction force of each foot per frame, in OpenSim's ground frame.

    ``force`` (n, 3) N, ``point`` (n, 3) m (the centre of pressure) and ``moment`` (n, 3) N m
    (the free moment, about the centre of pressure), keyed by "r" / "l".
    """

    force: dict[str, np.ndarray]
    point: dict[str, np.ndarray]
    moment: dict[str, np.ndarray]

    @staticmethod
    def zeros(n: int) -> GroundLoads:
        z = {s: np.zeros((n, 3)) for s in ("r", "l")}
        return GroundLoads(z, {s: np.zeros((n, 3)) for s in z}, {s: np.zeros((n, 3)) for s in z})

    def __len__(self) -> int:
        return self.force["r"].shape[0]

    def sliced(self, sl: slice) -> GroundLoads:
        return GroundLoads(
            {s: v[sl] for s, v in self.force.items()},
            {s: v[sl] for s, v in self.point.items()},
            {s: v[sl] for s, v in self.moment.items()},
        )


@dataclass
class DynamicsFrames:
    """What :meth:`LegDynamics.compute` returns for a batch of frames."""

    moments: np.ndarray  # (n, n_joints) N m: generalised force each joint coordinate needs
    residuals: np.ndarray  # (n, 6): FX FY FZ (N), MX MY MZ (N m), OpenSim ground axes
    moment_arms: np.ndarray  # (n, n_muscles, n_joints) m (N m per N of muscle force)
    lengths: np.ndarray  # (n, n_muscles) muscle-tendon length, m
    velocities: np.ndarray  # (n, n_muscles) lengthening velocity, m/s
    active_force: np.ndarray  # (n, n_muscles) N: tension at full activation minus passive
    passive_force: np.ndarray  # (n, n_muscles) N: tension at zero activation


@cache
def load_myoleg_with_back() -> mujoco.MjModel:
    """MyoLeg with a back joint: three hinges (extension about the pelvis's lateral axis,
    bending about its forward axis, rotation about its vertical axis, in that order) where the
    lumbar spine meets the sacrum, about where the Rajagopal et al. (2016) model has its back
    joint. MyoLeg welds the trunk (about 30 kg) to the pelvis; a runner's trunk does not follow
    the pelvis's tilt from step to step, and a rigid trunk would swing it tens of newtons back
    and forth. Everything else is MyoLeg as the rest of the program loads it."""
    import myo_sim

    previous = mujoco.get_mju_user_warning()
    mujoco.set_mju_user_warning(lambda _msg: None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kwargs = {"postures": True} if myo_sim.list_postures("myolegs") else None
            spec = myo_sim.load_spec("myolegs", build_kwargs=kwargs)
            body = spec.body("lumbar5")
            for name, axis in zip(BACK_COORDINATES, ((0, 0, 1), (1, 0, 0), (0, 1, 0)), strict=True):
                joint = body.add_joint()
                joint.name = name
                joint.type = mujoco.mjtJoint.mjJNT_HINGE
                joint.axis = axis
                joint.range = [-np.pi / 2, np.pi / 2]
            return spec.compile()
    finally:
        mujoco.set_mju_user_warning(previous)


class LegDynamics:
    """MyoLeg's inverse dynamics and muscle mechanics (see the module documentation).

    Uses MyoLeg with a back joint (:func:`load_myoleg_with_back`; the back's coordinates are
    posed when given, else held at zero) and owns its own ``MjData``: not thread-safe (one
    instance per thread). The model is shared read-only between instances.
    """

    def __init__(self) -> None:
        self.m = load_myoleg_with_back()
        m = self.m
        self.d = mujoco.MjData(m)
        self.muscle_names: tuple[str, ...] = tuple(m.actuator(i).name for i in range(m.nu))
        self.joint_names = JOINT_COORDINATES
        #: Total mass of the model (kg): 75 kg, the Rajagopal et al. (2016) generic subject.
        self.mass = float(m.body_subtreemass[0])
        self.gravity = float(-m.opt.gravity[2])
        posed = JOINT_COORDINATES + BACK_COORDINATES
        self._joint_qadr = {c: int(m.jnt_qposadr[m.joint(c).id]) for c in posed}
        self._joint_dof = {c: int(m.jnt_dofadr[m.joint(c).id]) for c in posed}
        coupled: dict[str, list[tuple[int, int, np.ndarray]]] = {"r": [], "l": []}
        for e in range(m.neq):
            if m.eq_type[e] == mujoco.mjtEq.mjEQ_JOINT and m.eq_obj2id[e] >= 0:
                driver = m.joint(int(m.eq_obj2id[e])).name
                dep = int(m.eq_obj1id[e])
                side = driver[-1]
                if driver != f"knee_angle_{side}":
                    raise ValueError(f"unexpected coupled coordinate driven by {driver}")
                coupled[side].append(
                    (int(m.jnt_qposadr[dep]), int(m.jnt_dofadr[dep]), np.array(m.eq_data[e, :5]))
                )
        if len(coupled["r"]) != len(coupled["l"]):
            raise ValueError("the two knees have different coupled coordinates")
        self._coupled = coupled
        self.n_coupled = len(coupled["r"])
        # OpenSim ground frame (x forward, y up, z right) in MuJoCo's world (z up): the pelvis
        # body's orientation in the root body, rounded to the exact axis permutation (the
        # model's is 0.05 deg off, which would tilt gravity and leave a 0.6 N forward residual).
        pelvis = m.body("pelvis").id
        mat = np.zeros(9)
        mujoco.mju_quat2Mat(mat, np.array(m.body_quat[pelvis]))
        self._pelvis_in_root = mat.reshape(3, 3)
        self.opensim_to_world = np.round(self._pelvis_in_root)
        if (
            np.abs(m.body_pos[pelvis]).max() > 1e-9
            or np.abs(m.body_pos[m.body_parentid[pelvis]]).max() > 1e-9
        ):
            raise ValueError("MyoLeg's pelvis is expected at the free root's origin")
        self._foot_body = {s: m.body(b).id for s, b in FOOT_BODIES.items()}
        self._sole = self._sole_vertices()
        self._fold = np.zeros((len(JOINT_COORDINATES), m.nv))
        for j, c in enumerate(JOINT_COORDINATES):
            self._fold[j, self._joint_dof[c]] = 1.0
        self._dense = np.zeros((m.nu, m.nv))
        self._rne = np.zeros(m.nv)
        self._ext = np.zeros(m.nv)
        self._tendon = np.array([m.actuator_trnid[i, 0] for i in range(m.nu)])

    # ------------------------------------------------------------------ kinematics
    def _sole_vertices(self) -> dict[str, list[tuple[int, np.ndarray]]]:
        m = self.m
        out: dict[str, list[tuple[int, np.ndarray]]] = {}
        for side in ("r", "l"):
            parts = []
            for name in (f"foot_{side}", f"bofoot_{side}"):
                g = m.geom(name).id
                mesh = int(m.geom_dataid[g])
                va, vn = int(m.mesh_vertadr[mesh]), int(m.mesh_vertnum[mesh])
                verts = np.array(m.mesh_vert[va : va + vn], dtype=float)
                # the lowest point in any orientation is a vertex of the convex hull
                parts.append((g, verts[np.unique(ConvexHull(verts).simplices)]))
            out[side] = parts
        return out

    def kinematics(
        self,
        coords: dict[str, np.ndarray],
        speeds: dict[str, np.ndarray],
        accels: dict[str, np.ndarray],
        translation: np.ndarray,
        translation_speed: np.ndarray,
        translation_accel: np.ndarray,
    ) -> Kinematics:
        """MuJoCo states from coordinates (degrees), their first and second time derivatives
        (deg/s, deg/s^2) and the pelvis translation in OpenSim's ground frame (m, m/s, m/s^2,
        each (n, 3)). Missing coordinates are held at zero."""
        m = self.m
        n = translation.shape[0]
        qpos = np.tile(np.array(m.qpos0), (n, 1))
        qvel = np.zeros((n, m.nv))
        qacc = np.zeros((n, m.nv))
        zero = np.zeros(n)

        def get(dct: dict[str, np.ndarray], k: str) -> np.ndarray:
            v = dct.get(k)
            return zero if v is None else np.deg2rad(np.asarray(v, float))

        for c in JOINT_COORDINATES + BACK_COORDINATES:
            qpos[:, self._joint_qadr[c]] = get(coords, c)
            qvel[:, self._joint_dof[c]] = get(speeds, c)
            qacc[:, self._joint_dof[c]] = get(accels, c)
        slopes = np.zeros((n, 2, self.n_coupled))
        for si, side in enumerate(("r", "l")):
            knee = f"knee_angle_{side}"
            x = qpos[:, self._joint_qadr[knee]]
            xd = qvel[:, self._joint_dof[knee]]
            xdd = qacc[:, self._joint_dof[knee]]
            for k, (qadr, dof, c) in enumerate(self._coupled[side]):
                y = c[0] + x * (c[1] + x * (c[2] + x * (c[3] + x * c[4])))
                dy = c[1] + x * (2 * c[2] + x * (3 * c[3] + x * 4 * c[4]))
                ddy = 2 * c[2] + x * (6 * c[3] + x * 12 * c[4])
                qpos[:, qadr] = y
                qvel[:, dof] = dy * xd
                qacc[:, dof] = ddy * xd * xd + dy * xdd
                slopes[:, si, k] = dy

        # the free root: OpenSim rotates the pelvis about ground z (tilt), then x (list), then
        # y (rotation): R = Rz Rx Ry; angular velocity and acceleration follow analytically
        tilt, lst, rot = (get(coords, k) for k in PELVIS_COORDINATES)
        tilt_d, lst_d, rot_d = (get(speeds, k) for k in PELVIS_COORDINATES)
        tilt_dd, lst_dd, rot_dd = (get(accels, k) for k in PELVIS_COORDINATES)
        rz, rx = _rot("z", tilt), _rot("x", lst)
        r_os = rz @ rx @ _rot("y", rot)
        ez = np.tile([0.0, 0.0, 1.0], (n, 1))
        a1 = rz[:, :, 0]  # Rz x
        a2 = (rz @ rx)[:, :, 1]  # Rz Rx y
        w1 = ez * tilt_d[:, None]
        w12 = w1 + a1 * lst_d[:, None]
        omega = w12 + a2 * rot_d[:, None]
        alpha = (
            ez * tilt_dd[:, None]
            + a1 * lst_dd[:, None]
            + a2 * rot_dd[:, None]
            + np.cross(w1, a1) * lst_d[:, None]
            + np.cross(w12, a2) * rot_d[:, None]
        )
        mo = self.opensim_to_world
        # the root body turns so that the pelvis (fixed in it) has the orientation r_os
        r_world = mo @ r_os @ self._pelvis_in_root.T
        quat = np.zeros(4)
        for i in range(n):
            mujoco.mju_mat2Quat(quat, r_world[i].reshape(-1))
            qpos[i, 3:7] = quat
        # free joint: linear velocity in world axes, angular velocity in the body's own axes
        qpos[:, 0:3] = translation @ mo.T
        qvel[:, 0:3] = translation_speed @ mo.T
        qacc[:, 0:3] = translation_accel @ mo.T
        rt = np.transpose(r_world, (0, 2, 1))
        qvel[:, 3:6] = np.einsum("nij,nj->ni", rt, omega @ mo.T)
        qacc[:, 3:6] = np.einsum("nij,nj->ni", rt, alpha @ mo.T)
        return Kinematics(qpos, qvel, qacc, slopes)

    def lowest_sole_points(self, qpos: np.ndarray) -> np.ndarray:
        """(n, 2) height (world z, m) of the lowest point of the right and left soles."""
        m, d = self.m, self.d
        geoms = [g for side in ("r", "l") for g, _ in self._sole[side]]
        n = qpos.shape[0]
        up = np.empty((n, len(geoms), 3))  # each geom's axes' z components
        z0 = np.empty((n, len(geoms)))
        for i in range(n):
            d.qpos[:] = qpos[i]
            mujoco.mj_kinematics(m, d)
            up[i] = d.geom_xmat[geoms][:, 6:9]
            z0[i] = d.geom_xpos[geoms][:, 2]
        out = np.full((n, 2), np.inf)
        k = 0
        for si, side in enumerate(("r", "l")):
            for _, verts in self._sole[side]:
                z = up[:, k] @ verts.T + z0[:, k : k + 1]
                out[:, si] = np.minimum(out[:, si], z.min(axis=1))
                k += 1
        return out

    def body_points(self, qpos: np.ndarray, bodies: list[str]) -> np.ndarray:
        """(n, len(bodies), 3) origins of bodies in OpenSim's ground frame."""
        m, d = self.m, self.d
        ids = [m.body(b).id for b in bodies]
        out = np.empty((qpos.shape[0], len(ids), 3))
        for i in range(qpos.shape[0]):
            d.qpos[:] = qpos[i]
            mujoco.mj_kinematics(m, d)
            out[i] = d.xpos[ids]
        return out @ self.opensim_to_world

    def centre_of_mass(self, qpos: np.ndarray) -> np.ndarray:
        """(n, 3) whole-body centre of mass in OpenSim's ground frame."""
        m, d = self.m, self.d
        out = np.empty((qpos.shape[0], 3))
        for i in range(qpos.shape[0]):
            d.qpos[:] = qpos[i]
            mujoco.mj_kinematics(m, d)
            mujoco.mj_comPos(m, d)
            out[i] = d.subtree_com[0]
        return out @ self.opensim_to_world

    # ------------------------------------------------------------------ dynamics
    def _inverse(self, kin: Kinematics, i: int, *, muscles: bool) -> None:
        """Frame ``i``'s state into MjData and ``mj_rne`` into ``self._rne``; with ``muscles``
        the tendons and actuator moment arms too."""
        m, d = self.m, self.d
        d.qpos[:] = kin.qpos[i]
        d.qvel[:] = kin.qvel[i]
        d.qacc[:] = kin.qacc[i]
        mujoco.mj_kinematics(m, d)
        mujoco.mj_comPos(m, d)
        if muscles:
            mujoco.mj_tendon(m, d)
            mujoco.mj_transmission(m, d)
        mujoco.mj_comVel(m, d)
        mujoco.mj_rne(m, d, 1, self._rne)

    def compute_root_wrench(self, kin: Kinematics) -> np.ndarray:
        """(n, 6) the external force (N) and moment about the ground origin (N m), OpenSim
        ground axes, that the motion needs besides gravity: what inverse dynamics leaves at the
        free root when no ground force is applied."""
        d = self.d
        mo = self.opensim_to_world
        n = len(kin)
        force = np.empty((n, 3))
        moment = np.empty((n, 3))
        origin = np.empty((n, 3))
        rne = self._rne
        for i in range(n):
            self._inverse(kin, i, muscles=False)
            force[i] = rne[0:3]
            moment[i] = d.xmat[1].reshape(3, 3) @ rne[3:6]
            origin[i] = d.xpos[1]
        moment += np.cross(origin, force)  # about the ground origin
        return np.concatenate([force @ mo, moment @ mo], axis=1)

    def compute(self, kin: Kinematics, loads: GroundLoads | None = None) -> DynamicsFrames:
        """Inverse dynamics and muscle mechanics of every frame of ``kin``."""
        m, d = self.m, self.d
        n = len(kin)
        nj, nu = len(JOINT_COORDINATES), m.nu
        moments = np.empty((n, nj))
        residuals = np.empty((n, 6))
        arms = np.empty((n, nu, nj))
        lengths = np.empty((n, nu))
        vels = np.empty((n, nu))
        active = np.empty((n, nu))
        passive = np.empty((n, nu))
        mo = self.opensim_to_world
        fold = self._fold
        knee_dofs = [self._joint_dof[f"knee_angle_{s}"] for s in ("r", "l")]
        knee_rows = [JOINT_COORDINATES.index(f"knee_angle_{s}") for s in ("r", "l")]
        coupled_dofs = [[dof for _, dof, _ in self._coupled[s]] for s in ("r", "l")]
        dense, rne, ext = self._dense, self._rne, self._ext
        feet = []
        if loads is not None:
            if len(loads) != n:
                raise ValueError(f"{len(loads)} frames of ground forces for {n} frames of motion")
            for side in ("r", "l"):
                feet.append(
                    (
                        self._foot_body[side],
                        loads.force[side] @ mo.T,
                        loads.point[side] @ mo.T,
                        loads.moment[side] @ mo.T,
                    )
                )
        for i in range(n):
            self._inverse(kin, i, muscles=True)
            tau = rne
            if feet:
                ext[:] = 0.0
                for body, f, p, mom in feet:
                    if f[i].any() or mom[i].any():
                        mujoco.mj_applyFT(m, d, f[i], mom[i], p[i], body, ext)
                tau = rne - ext
            for s in range(2):
                fold[knee_rows[s], coupled_dofs[s]] = kin.knee_slopes[i, s]
                fold[knee_rows[s], knee_dofs[s]] = 1.0
            moments[i] = fold @ tau
            # free root: force in world axes; torque in the root body's axes, about its origin
            rw = d.xmat[1].reshape(3, 3)
            residuals[i, :3] = tau[0:3] @ mo
            residuals[i, 3:] = (rw @ tau[3:6]) @ mo
            mujoco.mju_sparse2dense(
                dense, d.actuator_moment, d.moment_rownnz, d.moment_rowadr, d.moment_colind
            )
            arms[i] = dense @ fold.T
            lengths[i] = d.actuator_length
            v = dense @ d.qvel
            d.actuator_velocity[:] = v
            vels[i] = v
            d.act[:] = 0.0
            mujoco.mj_fwdActuation(m, d)
            passive[i] = -d.actuator_force
            d.act[:] = 1.0
            mujoco.mj_fwdActuation(m, d)
            active[i] = -d.actuator_force - passive[i]
        # MuJoCo's moment is d(length)/dq; a tension T pulls with generalised force -T dL/dq
        return DynamicsFrames(moments, residuals, -arms, lengths, vels, active, passive)
