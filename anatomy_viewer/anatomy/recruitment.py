"""Which fibre types a muscle is using: recruitment by size (Henneman's size principle).

Motor units are recruited in order of size: the small, slow (Type I) units first, the large,
fast (Type II) units only when more force is needed (Henneman et al. 1965; in human muscle e.g.
Garnett et al. 1979). The model reads a muscle's activation ``a`` (0..1) as the share of its
fibres that are recruited, slow fibres first. With ``f`` the muscle's share of slow fibres:

    slow fibres in use (share of the muscle)  s = min(a, f)
    fast fibres in use (share of the muscle)  q = max(0, a - f)
    fast-fibre share of the active muscle     phi = q / a      (0 at rest)

so a muscle works with slow fibres only until its activation exceeds its slow share, and at full
activation it uses every fibre (phi = 1 - f). The smooth alternative of Bhargava et al. (2004)
(``model="bhargava"``) recruits both types from the start, fast ones ever more steeply:
s = f sin(pi a / 2), q = (1 - f)(1 - cos(pi a / 2)). The model is written out, with its
limits, in ``resources/muscles/fibre_types_and_energy.md``.

Everything is vectorised: ``activation`` of any shape (muscles x samples), ``type1`` broadcast
against it (one value per muscle: shape (muscles, 1) for (muscles, samples)). numpy only.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

RecruitmentModel = Literal["size", "bhargava"]
MODELS: tuple[str, ...] = ("size", "bhargava")


def _inputs(activation: np.ndarray, type1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(activation, dtype=float)
    f = np.asarray(type1, dtype=float)
    if np.any(np.isnan(a)) or np.any(np.isnan(f)):
        raise ValueError("activation and slow-fibre share must not be NaN")
    if np.any((f < 0.0) | (f > 1.0)):
        raise ValueError("slow-fibre share must lie in 0..1 (a fraction, not a percent)")
    return np.clip(a, 0.0, 1.0), f


def recruited_fibres(
    activation: np.ndarray, type1: np.ndarray, model: RecruitmentModel = "size"
) -> tuple[np.ndarray, np.ndarray]:
    """Slow and fast fibres in use, each as a share of the whole muscle's fibres (0..1).

    ``activation`` is clipped to 0..1; ``type1`` is the muscle's share of slow fibres (0..1).
    """
    a, f = _inputs(activation, type1)
    if model == "size":
        slow = np.minimum(a, f)
        fast = np.maximum(a - f, 0.0)
    elif model == "bhargava":
        x = 0.5 * np.pi * a
        slow = f * np.sin(x)
        fast = (1.0 - f) * (1.0 - np.cos(x))
    else:
        raise ValueError(f"unknown recruitment model {model!r}; valid: {', '.join(MODELS)}")
    return np.broadcast_arrays(slow, fast)  # type: ignore[return-value]


def fast_share(
    activation: np.ndarray, type1: np.ndarray, model: RecruitmentModel = "size"
) -> np.ndarray:
    """Fast-fibre share of the active muscle (0..1): which fibre types it is using now.

    0 at rest and while only slow fibres are recruited; 1 - type1 at full activation.
    """
    slow, fast = recruited_fibres(activation, type1, model)
    active = slow + fast
    out = np.zeros_like(active)
    np.divide(fast, active, out=out, where=active > 0.0)
    return out


def fast_pool_recruited(
    activation: np.ndarray, type1: np.ndarray, model: RecruitmentModel = "size"
) -> np.ndarray:
    """Share of the muscle's fast fibres that are in use (0..1; 0 for a muscle without any)."""
    _, fast = recruited_fibres(activation, type1, model)
    pool = np.broadcast_to(1.0 - np.asarray(type1, dtype=float), fast.shape)
    out = np.zeros_like(fast)
    np.divide(fast, pool, out=out, where=pool > 0.0)
    return np.clip(out, 0.0, 1.0)
