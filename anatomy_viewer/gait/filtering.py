"""Smoothing and differentiating measured signals (joint angles, ground reaction forces).

numpy + SciPy's signal filters; no Qt, no VTK.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LowPass:
    """A zero-lag Butterworth low-pass filter: ``order`` run forwards and then backwards (so
    the phase shift cancels), the ends padded by odd reflection.

    The default, 6 Hz and third order, is what OpenSim's inverse dynamics tool applies to
    coordinates from inverse kinematics (its ``lowpass_cutoff_frequency_for_coordinates``, a
    third-order IIR Butterworth run both ways). ``cutoff_hz=None`` leaves signals unfiltered.
    By default ground reaction forces get the same filter as the coordinates: filtering them at
    different cut-offs makes spurious peaks in the knee and hip moments at impact
    (Kristianslund E, Krosshaug T, van den Bogert AJ (2012). Effect of low pass filtering on
    joint moments from inverse dynamics: implications for injury prevention. J Biomech
    45(4):666-671).
    """

    cutoff_hz: float | None = 6.0
    order: int = 3
    filter_forces: bool = True

    def __post_init__(self) -> None:
        if self.cutoff_hz is not None and not (self.cutoff_hz > 0 and np.isfinite(self.cutoff_hz)):
            raise ValueError(f"the cut-off frequency must be positive, not {self.cutoff_hz}")
        if not 1 <= int(self.order) <= 8:
            raise ValueError(f"the filter order must be 1..8, not {self.order}")

    def describe(self) -> str:
        if self.cutoff_hz is None:
            return "coordinates not filtered"
        what = "coordinates and ground forces" if self.filter_forces else "coordinates"
        return (
            f"{what} low-pass filtered at {self.cutoff_hz:g} Hz (Butterworth, order "
            f"{self.order}, forwards and backwards: no lag)"
        )

    def apply(self, values: np.ndarray, rate: float, notes: list[str] | None = None) -> np.ndarray:
        """Filter the columns of ``values`` (n, ...) sampled at ``rate`` Hz."""
        values = np.asarray(values, dtype=float)
        if self.cutoff_hz is None or values.shape[0] < 4:
            return values.copy()
        nyquist = 0.5 * rate
        if self.cutoff_hz >= 0.95 * nyquist:
            if notes is not None:
                notes.append(
                    f"the {self.cutoff_hz:g} Hz cut-off is at or above half the sampling rate "
                    f"({rate:.3g} Hz): signals left unfiltered"
                )
            return values.copy()
        # imported here: scipy.signal takes seconds to import, which a cached result, read
        # back without filtering anything, need not wait for
        from scipy.signal import butter, sosfiltfilt

        sos = butter(int(self.order), self.cutoff_hz / nyquist, output="sos")
        pad = min(
            values.shape[0] - 1, max(3 * (2 * int(self.order) + 1), int(rate / self.cutoff_hz))
        )
        return sosfiltfilt(sos, values, axis=0, padtype="odd", padlen=pad)


def uniform_time(time: np.ndarray, notes: list[str] | None = None) -> tuple[np.ndarray, bool]:
    """(uniform times spanning ``time``, whether resampling is needed): a recording whose
    sample intervals vary by more than 1 % is put on a uniform grid at its median interval."""
    time = np.asarray(time, dtype=float)
    dt = np.diff(time)
    step = float(np.median(dt))
    if step <= 0 or not np.isfinite(step):
        raise ValueError("time must increase")
    if np.all(np.abs(dt - step) <= 0.01 * step):
        return time, False
    n = int(round((time[-1] - time[0]) / step)) + 1
    if notes is not None:
        notes.append(
            f"the samples are not evenly spaced: resampled to {1.0 / step:.4g} Hz before filtering"
        )
    return time[0] + step * np.arange(n), True


def smooth_and_differentiate(
    time: np.ndarray, values: np.ndarray, low_pass: LowPass, notes: list[str] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Filtered values and their first and second time derivatives at ``time``.

    The derivatives are central differences of the filtered signal (second order inside, first
    order at the ends), taken on a uniform grid and interpolated back when the recording's own
    samples are uneven.
    """
    time = np.asarray(time, dtype=float)
    values = np.asarray(values, dtype=float)
    grid, resample = uniform_time(time, notes)
    if resample:
        flat = values.reshape(values.shape[0], -1)
        v = np.stack([np.interp(grid, time, flat[:, j]) for j in range(flat.shape[1])], axis=1)
        v = v.reshape((len(grid),) + values.shape[1:])
    else:
        v = values
    step = float(grid[1] - grid[0]) if len(grid) > 1 else 1.0
    f = low_pass.apply(v, 1.0 / step, notes)
    edge = 2 if f.shape[0] > 2 else 1
    d1 = np.gradient(f, step, axis=0, edge_order=edge)
    d2 = np.gradient(d1, step, axis=0, edge_order=edge)
    if not resample:
        return f, d1, d2
    out = []
    for arr in (f, d1, d2):
        flat = arr.reshape(arr.shape[0], -1)
        back = np.stack([np.interp(time, grid, flat[:, j]) for j in range(flat.shape[1])], axis=1)
        out.append(back.reshape((len(time),) + arr.shape[1:]))
    return out[0], out[1], out[2]
