"""What each muscle costs in energy: the muscle energy model of Umberger et al. (2003) and its
revision by Umberger (2010).

A muscle's metabolic rate is the heat it liberates plus the mechanical work its fibres do:

    E = S * (max(H_AM, 1) + H_SL) + W      (per kg of muscle, times the muscle's mass)

with activation-maintenance heat H_AM, shortening/lengthening heat H_SL, the aerobic scale S and
the fibres' mechanical power W; every term and constant is written out in
``resources/muscles/fibre_types_and_energy.md`` and the constants, with their citations, live in
``resources/muscles/energy_model.toml``. The 2003 model subtracts the fibres' negative work while
they lengthen and gives lengthening a large heat rate; the 2010 revision counts only positive
work and lowers the lengthening heat to match (``umberger2010``).

Inputs are arrays of muscles x samples (or anything that broadcasts: per-muscle constants may be
given as one value per muscle, shape (muscles,), and are then applied along the samples). numpy
only; no Qt, no VTK, no MuJoCo: the muscle states come from whoever computed them (static
optimisation, a forward simulation, a file).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np

from anatomy_viewer.resources import load_toml

#: Where the constants live, below ``resources/``.
RESOURCE: tuple[str, ...] = ("muscles", "energy_model.toml")

EnergyModel = Literal["umberger2010", "umberger2003"]
#: The models offered, the default first.
ENERGY_MODELS: tuple[str, ...] = ("umberger2010", "umberger2003")


@dataclass(frozen=True)
class EnergyConstants:
    """The model's constants (W per kg of muscle unless stated)."""

    am_base: float  # activation-maintenance heat of slow fibres
    am_per_percent_fast: float  # added per percent fast fibres
    am_length_fixed_share: float  # share of H_AM that stays above optimal length
    am_exponent: float  # H_AM ~ A^0.6
    shortening_exponent: float  # H_S ~ A^2
    lengthening_exponent: float  # H_L ~ A
    vmax_fast: float  # optimal fibre lengths per second
    vmax_slow_over_fast: float
    shortening_slow_at_vmax: float
    shortening_fast_at_vmax: float
    lengthening_over_slow_shortening: float
    aerobic_scale: float
    anaerobic_scale: float
    minimum_am_rate: float
    basal_rate_standing: float  # W per kg of body mass
    density: float  # g/cm^3
    negative_work: bool = True  # the fibres' negative work lowers the total (2003 model)

    @property
    def vmax_slow(self) -> float:
        return self.vmax_fast * self.vmax_slow_over_fast

    @property
    def alpha_slow(self) -> float:
        """Shortening heat coefficient of slow fibres, W/kg per (optimal lengths/s)."""
        return self.shortening_slow_at_vmax / self.vmax_slow

    @property
    def alpha_fast(self) -> float:
        return self.shortening_fast_at_vmax / self.vmax_fast

    @property
    def alpha_lengthening(self) -> float:
        return self.lengthening_over_slow_shortening * self.alpha_slow


@cache
def energy_constants(model: EnergyModel = "umberger2003") -> EnergyConstants:
    """The constants of ``resources/muscles/energy_model.toml`` (read once per model)."""
    if model not in ENERGY_MODELS:
        raise ValueError(f"unknown energy model {model!r}; valid: {', '.join(ENERGY_MODELS)}")
    data = load_toml(*RESOURCE)
    heat, body, muscle = data["heat"], data["whole_body"], data["muscle"]
    if model == "umberger2010":
        revised = data["umberger2010"]
        heat = {
            **heat,
            "lengthening_over_slow_shortening": revised["lengthening_over_slow_shortening"],
        }
        negative_work = bool(revised["negative_work"])
    else:
        negative_work = True
    return EnergyConstants(
        am_base=float(heat["activation_maintenance_base"]),
        am_per_percent_fast=float(heat["activation_maintenance_per_percent_fast"]),
        am_length_fixed_share=float(heat["activation_maintenance_length_fixed_share"]),
        am_exponent=float(heat["activation_maintenance_exponent"]),
        shortening_exponent=float(heat["shortening_exponent"]),
        lengthening_exponent=float(heat["lengthening_exponent"]),
        vmax_fast=float(heat["vmax_fast"]),
        vmax_slow_over_fast=float(heat["vmax_slow_over_fast"]),
        shortening_slow_at_vmax=float(heat["shortening_slow_at_vmax"]),
        shortening_fast_at_vmax=float(heat["shortening_fast_at_vmax"]),
        lengthening_over_slow_shortening=float(heat["lengthening_over_slow_shortening"]),
        aerobic_scale=float(heat["aerobic_scale"]),
        anaerobic_scale=float(heat["anaerobic_scale"]),
        minimum_am_rate=float(heat["minimum_activation_maintenance_rate"]),
        basal_rate_standing=float(body["basal_rate_standing"]),
        density=float(muscle["density"]),
        negative_work=negative_work,
    )


def muscle_mass(volume_cm3: np.ndarray) -> np.ndarray:
    """Muscle mass in kg from volume in cm^3 (density of Mendez and Keys 1960)."""
    v = np.asarray(volume_cm3, dtype=float)
    if np.any(v < 0.0) or np.any(~np.isfinite(v)):
        raise ValueError("muscle volumes must be finite and not negative (cm^3)")
    return v * energy_constants().density / 1000.0


@dataclass(frozen=True)
class MuscleEnergyRates:
    """Each muscle's metabolic rate and its parts, in W, shape of the inputs (muscles x samples).

    ``total = activation_maintenance + shortening_lengthening + work``; the heat terms include
    the aerobic scale and the floor on activation-maintenance heat.
    """

    activation_maintenance: np.ndarray
    shortening_lengthening: np.ndarray
    work: np.ndarray
    total: np.ndarray

    @property
    def heat(self) -> np.ndarray:
        return self.activation_maintenance + self.shortening_lengthening


def _array(name: str, value: np.ndarray) -> np.ndarray:
    a = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite (no NaN or infinity)")
    return a


def _per_muscle(name: str, value: np.ndarray, ndim: int) -> np.ndarray:
    """A per-muscle constant given as shape (muscles,) applied along the samples axis."""
    a = _array(name, value)
    if a.ndim == 1 and ndim == 2:
        a = a[:, None]
    return a


def umberger2003(
    *,
    activation: np.ndarray,
    fiber_length: np.ndarray,
    fiber_velocity: np.ndarray,
    active_force: np.ndarray,
    force_length: np.ndarray,
    optimal_fiber_length: np.ndarray,
    mass: np.ndarray,
    type1: np.ndarray,
    excitation: np.ndarray | None = None,
    aerobic: bool = True,
    negative_work: bool | None = None,
    constants: EnergyConstants | None = None,
) -> MuscleEnergyRates:
    """Metabolic rate of each muscle by the model of Umberger, Gerritsen and Martin (2003)
    (or, with ``constants=energy_constants("umberger2010")``, its 2010 revision: see
    :func:`umberger2010`).

    activation            a, 0..1                                   (muscles x samples)
    excitation            u, 0..1; None: taken equal to the activation (static optimisation
                          has no activation dynamics, so u = a)
    fiber_length          fibre length / optimal fibre length (1 = optimal)
    fiber_velocity        fibre velocity in m/s, negative while shortening
    active_force          force of the contractile (active) element, N, without passive force
    force_length          isometric active force-length factor at that length, 0..1
    optimal_fiber_length  m                                         (per muscle)
    mass                  kg                                        (per muscle)
    type1                 share of slow fibres, 0..1 (the rest are fast); per muscle, or per
                          muscle and sample
    aerobic               heat scaled by 1.5 (True) or 1.0 (anaerobic)
    negative_work         count the fibres' negative work while lengthening (as the 2003 model
                          does); False counts only positive work. None: as the constants'
                          model does (True for 2003, False for 2010). False alone keeps the
                          2003 lengthening heat, which was sized for negative work to be
                          subtracted from it: the whole 2010 model is :func:`umberger2010`.
    """
    k = constants or energy_constants()
    if negative_work is None:
        negative_work = k.negative_work
    a = np.clip(_array("activation", activation), 0.0, 1.0)
    ndim = a.ndim
    u = a if excitation is None else np.clip(_array("excitation", excitation), 0.0, 1.0)
    lce = _array("fiber_length", fiber_length)
    v = _array("fiber_velocity", fiber_velocity)
    force = _array("active_force", active_force)
    fl = np.clip(_array("force_length", force_length), 0.0, 1.0)
    lopt = _per_muscle("optimal_fiber_length", optimal_fiber_length, ndim)
    m = _per_muscle("mass", mass, ndim)
    f1 = _per_muscle("type1", type1, ndim)
    if np.any(lopt <= 0.0) or np.any(m <= 0.0):
        raise ValueError("optimal fibre lengths and muscle masses must be positive")
    if np.any((f1 < 0.0) | (f1 > 1.0)):
        raise ValueError("type1 must be a share of slow fibres in 0..1, not a percent")
    if np.any(force < 0.0):
        raise ValueError("active_force must not be negative (a muscle only pulls)")
    percent_fast = 100.0 * (1.0 - f1)
    scale = k.aerobic_scale if aerobic else k.anaerobic_scale

    # Heat rises with excitation at once but falls only with activation.
    big_a = np.where(u > a, u, 0.5 * (u + a))
    beyond = lce > 1.0  # descending limb: heat follows filament overlap
    fiso = np.where(beyond, fl, 1.0)

    # Activation and maintenance heat (W/kg).
    am_full = k.am_base + k.am_per_percent_fast * percent_fast
    am_length = np.where(
        beyond, k.am_length_fixed_share + (1.0 - k.am_length_fixed_share) * fl, 1.0
    )
    h_am = am_full * am_length * big_a**k.am_exponent
    h_am = np.maximum(h_am, k.minimum_am_rate)

    # Shortening and lengthening heat (W/kg), velocity in optimal lengths per second.
    vn = v / lopt
    shortening = vn <= 0.0
    a_short = big_a**k.shortening_exponent
    slow_term = np.minimum(
        -k.alpha_slow * vn * fiso * a_short, k.alpha_slow * k.vmax_slow * a_short
    )
    fast_term = -k.alpha_fast * vn * fiso * a_short
    h_short = slow_term * (1.0 - percent_fast / 100.0) + fast_term * (percent_fast / 100.0)
    h_long = k.alpha_lengthening * vn * fiso * big_a**k.lengthening_exponent
    h_sl = np.where(shortening, h_short, h_long)

    # Mechanical power of the fibres (W): positive while shortening.
    work = -force * v
    if not negative_work:
        work = np.maximum(work, 0.0)

    am_w = scale * h_am * m
    sl_w = scale * h_sl * m
    am_w, sl_w, work = np.broadcast_arrays(am_w, sl_w, work)
    return MuscleEnergyRates(
        activation_maintenance=am_w.copy(),
        shortening_lengthening=sl_w.copy(),
        work=work.copy(),
        total=am_w + sl_w + work,
    )


def umberger2010(**states: object) -> MuscleEnergyRates:
    """Metabolic rate of each muscle by Umberger's (2010) revision of the 2003 model: the
    fibres' negative work is not subtracted (energy absorbed by a lengthening muscle does not
    return to its chemical stores) and the lengthening heat is lowered from 4 to 0.3 times the
    slow fibres' shortening coefficient to match. Same arguments as :func:`umberger2003`."""
    if "constants" in states or "negative_work" in states:
        raise TypeError("umberger2010 takes its own constants and counts only positive work")
    return umberger2003(constants=energy_constants("umberger2010"), **states)  # type: ignore[arg-type]


def muscle_energy_rates(model: EnergyModel = "umberger2010", **states: object) -> MuscleEnergyRates:
    """Metabolic rate of each muscle by the named model (``ENERGY_MODELS``)."""
    if model == "umberger2010":
        return umberger2010(**states)
    if model == "umberger2003":
        return umberger2003(**states)  # type: ignore[arg-type]
    raise ValueError(f"unknown energy model {model!r}; valid: {', '.join(ENERGY_MODELS)}")
