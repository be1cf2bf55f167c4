"""Static optimisation: muscle activations that produce the joint moments, frame by frame.

For each frame, activations ``a`` (0..1) of all 80 muscles minimise ``sum(a^2)`` (OpenSim's
default) subject to, at every leg joint coordinate ``j``::

    sum_i r_ij (F_active_i a_i + F_passive_i) + R u_j = tau_j

where ``r_ij`` is the muscle's moment arm, ``F_active_i`` its force at full activation at the
frame's length and lengthening velocity and ``F_passive_i`` its passive force (MuJoCo's own
force-length-velocity model), ``tau_j`` the inverse-dynamics moment and ``R u_j`` a *reserve*
torque (optimal torque ``R`` = 1 N m, its "activation" ``u_j`` penalised in the same sum as the
muscles' ``a_i^2``), which keeps every frame feasible: a reserve of 10 N m costs as much as 100
fully active muscles, so the muscles carry whatever they can.

Each frame is an exact bounded quadratic programme, solved with DAQP (a dual active-set
solver; Arnström D, Bemporad A, Axehill D (2022). A dual active-set solver for embedded
quadratic programming using recursive LDL^T updates. IEEE Trans Automat Control
67(8):4362-4369) through ``qpsolvers``, warm-started with the previous frame's solution.

numpy + qpsolvers/daqp; no Qt, no VTK.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from qpsolvers import Problem, solve_problem

#: Optimal torque of the reserve actuators (N m): one per leg joint coordinate.
RESERVE_OPTIMAL_TORQUE = 1.0


@dataclass
class StaticOptimizationFrames:
    activations: np.ndarray  # (n, n_muscles) 0..1
    reserves: np.ndarray  # (n, n_joints) N m supplied by the reserve actuators
    forces: np.ndarray  # (n, n_muscles) N: muscle tension (active + passive)
    failed: np.ndarray  # (n,) bool: the solver did not reach an optimum (activations 0)


class StaticOptimizer:
    """Solves one frame after another, keeping the last solution as the next warm start."""

    def __init__(
        self,
        n_muscles: int,
        n_joints: int,
        *,
        reserve_optimal_torque: float = RESERVE_OPTIMAL_TORQUE,
        solver: str = "daqp",
    ) -> None:
        if reserve_optimal_torque <= 0:
            raise ValueError("the reserve's optimal torque must be positive")
        self.n_muscles = n_muscles
        self.n_joints = n_joints
        self.reserve = float(reserve_optimal_torque)
        self.solver = solver
        n = n_muscles + n_joints
        self._P = 2.0 * np.eye(n)
        self._q = np.zeros(n)
        self._lb = np.concatenate([np.zeros(n_muscles), np.full(n_joints, -1e20)])
        self._ub = np.concatenate([np.ones(n_muscles), np.full(n_joints, 1e20)])
        self._A = np.zeros((n_joints, n))
        self._A[:, n_muscles:] = self.reserve * np.eye(n_joints)
        self._last: np.ndarray | None = None

    def reset(self) -> None:
        self._last = None

    def solve(
        self,
        moment_arms: np.ndarray,
        active_force: np.ndarray,
        passive_force: np.ndarray,
        moments: np.ndarray,
    ) -> StaticOptimizationFrames:
        """Activations for each frame: ``moment_arms`` (n, muscles, joints) m, forces (n,
        muscles) N, ``moments`` (n, joints) N m."""
        n = moments.shape[0]
        nm = self.n_muscles
        acts = np.zeros((n, nm))
        reserves = np.zeros((n, self.n_joints))
        failed = np.zeros(n, bool)
        A = self._A
        for i in range(n):
            arms = moment_arms[i]
            A[:, :nm] = arms.T * active_force[i][None, :]
            b = moments[i] - arms.T @ passive_force[i]
            x = self._solve_one(A, b)
            if x is None:
                failed[i] = True
                reserves[i] = b
                self._last = None
                continue
            acts[i] = np.clip(x[:nm], 0.0, 1.0)
            reserves[i] = self.reserve * x[nm:]
            self._last = x
        forces = active_force * acts + passive_force
        return StaticOptimizationFrames(acts, reserves, forces, failed)

    def _solve_one(self, A: np.ndarray, b: np.ndarray) -> np.ndarray | None:
        problem = Problem(self._P, self._q, A=A, b=b, lb=self._lb, ub=self._ub)
        sol = solve_problem(problem, solver=self.solver, initvals=self._last)
        if not sol.found or sol.x is None or not np.all(np.isfinite(sol.x)):
            return None
        return sol.x
