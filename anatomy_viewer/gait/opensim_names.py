"""Names: OpenSim column names -> the model's coordinates and muscles.

Coordinates: OpenSim 3 names (``hip_flexion_r``) and OpenSim 4 path names
(``/jointset/hip_r/hip_flexion_r/value``) of the Rajagopal 2016 family (MyoLeg's own names) and
the Gait2392 family (same names; its knee angle is negative in flexion).

Muscles: exact model names (``vaslat_r``), OpenSim 4 paths (``/forceset/vaslat_r/activation``),
names without a side (``vaslat`` -> the ``side`` given), and, through :func:`suggest_mapping`,
common EMG labels (see :data:`MUSCLE_ALIASES`).
"""

from __future__ import annotations

import re

from anatomy_viewer.anatomy.names import (
    COORDINATES,
    model_muscle_names,
)

#: The model's coordinates (degrees), in the model's order; known without loading MuJoCo.
MODEL_COORDINATES: tuple[str, ...] = COORDINATES
#: Pelvis translations (metres): kept aside, not posed.
PELVIS_TRANSLATIONS: tuple[str, ...] = ("pelvis_tx", "pelvis_ty", "pelvis_tz")

#: Other spellings of the model's coordinates met in OpenSim models and exports.
COORDINATE_ALIASES: dict[str, str] = {
    **{f"knee_flexion_{s}": f"knee_angle_{s}" for s in "rl"},
    **{f"ankle_flexion_{s}": f"ankle_angle_{s}" for s in "rl"},
    **{f"hip_flex_{s}": f"hip_flexion_{s}" for s in "rl"},
    **{f"hip_add_{s}": f"hip_adduction_{s}" for s in "rl"},
    **{f"hip_rot_{s}": f"hip_rotation_{s}" for s in "rl"},
    **{f"subtalar_{s}": f"subtalar_angle_{s}" for s in "rl"},
    **{f"mtp_{s}": f"mtp_angle_{s}" for s in "rl"},
}


def coordinate_key(column: str) -> tuple[str, str]:
    """Classify a motion column: (kind, name).

    kind is "value" (a coordinate value, ``name`` its bare name), "speed" (``/speed`` or
    another derivative of a coordinate, OpenSim 3 ``<coordinate>_u``: ignored), "other"
    (OpenSim 4 paths that are not joint coordinates, e.g. ``/forceset/...``, and OpenSim 3
    muscle states such as ``soleus_r.activation``) or "plain" (an OpenSim 3 name).
    """
    c = column.strip()
    if c.startswith("/"):
        parts = [p for p in c.split("/") if p]
        if not parts:
            return "other", c
        if parts[0] != "jointset":
            return "other", c
        if parts[-1] == "value":
            return "value", parts[-2] if len(parts) >= 2 else c
        if parts[-1] in ("speed", "accel", "acceleration", "locked"):
            return "speed", parts[-2] if len(parts) >= 2 else c
        return "value", parts[-1]
    if "." in c:  # OpenSim 3 muscle states: soleus_r.activation, soleus_r.fiber_length
        return "other", c
    if c.endswith("_u") and model_coordinate(c[:-2]) is not None:  # OpenSim 3 speeds
        return "speed", c[:-2]
    return "plain", c


def model_coordinate(name: str) -> str | None:
    """The model coordinate a bare OpenSim coordinate name stands for (None if not one)."""
    if name in MODEL_COORDINATES or name in PELVIS_TRANSLATIONS:
        return name
    return COORDINATE_ALIASES.get(name)


#: Coordinates of full-body OpenSim models that the leg has no joint for, by body part: the
#: OpenCap model (LaiUhlrich2022: Lai et al. 2017 as adapted by Uhlrich et al. 2023), the
#: Rajagopal et al. (2016) full-body model and the Gait2392/Hamner family.
OTHER_COORDINATES: dict[str, tuple[str, ...]] = {
    "patella": ("knee_angle_r_beta", "knee_angle_l_beta"),
    "back": ("lumbar_extension", "lumbar_bending", "lumbar_rotation", "lumbar_twist"),
    "arms": tuple(
        f"{c}_{s}"
        for s in "rl"
        for c in (
            "arm_flex",
            "arm_add",
            "arm_rot",
            "elbow_flex",
            "pro_sup",
            "wrist_flex",
            "wrist_dev",
        )
    ),
}
#: What the program does with each part's coordinates (said in a motion's notes).
OTHER_COORDINATE_USE: dict[str, str] = {
    "patella": "the patella's coordinates, which follow the knee angle in this model: not needed",
    "back": "the back's angles: not drawn; the trunk follows them when muscle activity is "
    "estimated",
    "arms": "the arms' coordinates: the arms are not modelled, ignored",
}
_OTHER_PART = {name: part for part, names in OTHER_COORDINATES.items() for name in names}


def other_coordinate(column: str) -> str | None:
    """The body part ("patella", "back", "arms") of a full-body model's coordinate column that
    the leg has no joint for (``knee_angle_r_beta``, ``/jointset/back/lumbar_extension/value``),
    else None."""
    kind, name = coordinate_key(column)
    if kind not in ("value", "plain"):
        return None
    return _OTHER_PART.get(name)


def describe_other_coordinates(columns: list[str] | tuple[str, ...]) -> list[str]:
    """Notes on motion columns that are not the model's coordinates: the full-body models'
    coordinates by part (what is done with them), then any other columns (ignored)."""
    parts: dict[str, list[str]] = {}
    rest: list[str] = []
    for col in columns:
        part = other_coordinate(col)
        if part is None:
            rest.append(col)
        else:
            parts.setdefault(part, []).append(col)
    notes = [
        f"{', '.join(cols)}: {OTHER_COORDINATE_USE[part]}"
        for part, cols in sorted(parts.items(), key=lambda kv: list(OTHER_COORDINATES).index(kv[0]))
    ]
    if rest:
        shown = ", ".join(rest[:8]) + (f" and {len(rest) - 8} more" if len(rest) > 8 else "")
        notes.append(f"columns that are not coordinates of the leg model, ignored: {shown}")
    return notes


# ---------------------------------------------------------------------------- muscles
#: EMG and other common labels -> the model's muscle base names they stand for. Keys are
#: compared after lower-casing and dropping everything but letters and digits (so
#: ``gluteus_maximus``, ``Gluteus Maximus`` and ``GLUTEUSMAXIMUS`` are the same key). A label that
#: stands for a muscle the model splits into parts drives every part (``gluteus_maximus`` ->
#: glmax1, glmax2, glmax3; ``gastrocnemius`` -> gasmed, gaslat; ``medial_hamstrings`` ->
#: semimem, semiten). The model's own base names (``vaslat``, ``glmax1`` ...) match too.
MUSCLE_ALIASES: dict[str, tuple[str, ...]] = {}


def _alias(bases: str, *labels: str) -> None:
    parts = tuple(bases.split())
    for label in labels:
        MUSCLE_ALIASES[re.sub(r"[^a-z0-9]", "", label.lower())] = parts


_GLMAX = "glmax1 glmax2 glmax3"
_GLMED = "glmed1 glmed2 glmed3"
_GLMIN = "glmin1 glmin2 glmin3"
_ADDMAG = "addmagProx addmagMid addmagDist addmagIsch"
_alias(_GLMAX, "gmax", "glmax", "gluteus_maximus", "glut_max", "glutmax", "gluteusmax", "gm_max")
_alias(_GLMED, "gmed", "glmed", "gluteus_medius", "glut_med", "glutmed", "gluteusmed")
_alias(_GLMIN, "gmin", "glmin", "gluteus_minimus", "glut_min", "glutmin", "gluteusmin")
_alias("semimem", "semimembranosus", "sm", "semimem", "semimemb")
_alias("semiten", "semitendinosus", "st", "semiten", "semitend")
_alias(
    "semimem semiten",
    "medial_hamstrings",
    "medial_hamstring",
    "med_ham",
    "medham",
    "mh",
    "mham",
    "semitendinosus_semimembranosus",
)
_alias(
    "bflh",
    "biceps_femoris",
    "biceps_femoris_long_head",
    "biceps_femoris_longus",
    "bf",
    "bfl",
    "bflh",
    "bf_lh",
    "lateral_hamstrings",
    "lateral_hamstring",
    "lat_ham",
    "latham",
    "lham",
)
_alias("bfsh", "biceps_femoris_short_head", "biceps_femoris_brevis", "bfs", "bfsh", "bf_sh")
_alias("semimem semiten bflh bfsh", "hamstrings", "hams", "hamstring")
_alias("recfem", "rectus_femoris", "rf", "rec_fem", "recfem", "rectfem")
_alias("vaslat", "vastus_lateralis", "vl", "vas_lat", "vaslat", "vastlat")
_alias(
    "vasmed",
    "vastus_medialis",
    "vastus_medius",
    "vastus_medialis_oblique",
    "vm",
    "vmo",
    "vas_med",
    "vasmed",
    "vastmed",
)
_alias("vasint", "vastus_intermedius", "vi", "vas_int", "vasint")
_alias("vaslat vasmed vasint", "vasti", "vastus")
_alias("recfem vaslat vasmed vasint", "quadriceps", "quads", "quad")
_alias(
    "gasmed",
    "gastrocnemius_medialis",
    "medial_gastrocnemius",
    "gastrocnemius_medial",
    "gastrocnemius_medial_head",
    "gas_med",
    "gasmed",
    "gastroc_med",
    "gastrocmed",
    "med_gas",
    "medgas",
    "mg",
)
_alias(
    "gaslat",
    "gastrocnemius_lateralis",
    "lateral_gastrocnemius",
    "gastrocnemius_lateral",
    "gastrocnemius_lateral_head",
    "gas_lat",
    "gaslat",
    "gastroc_lat",
    "gastroclat",
    "lat_gas",
    "latgas",
    "lg",
)
_alias("gasmed gaslat", "gastrocnemius", "gastroc", "gastrocs", "gas", "gast", "gastro")
_alias("soleus", "soleus", "sol")
_alias("gasmed gaslat soleus", "triceps_surae", "calf", "calves")
_alias("tibant", "tibialis_anterior", "ta", "tib_ant", "tibant", "tibanterior")
_alias("tibpost", "tibialis_posterior", "tp", "tib_post", "tibpost")
_alias("perlong", "peroneus_longus", "fibularis_longus", "per_long", "perlong", "pl", "pero_long")
_alias("perbrev", "peroneus_brevis", "fibularis_brevis", "per_brev", "perbrev", "pb")
_alias("perlong perbrev", "peroneus", "peronei", "peroneals", "fibularis", "per", "pero")
_alias("edl", "extensor_digitorum_longus", "edl", "ext_dig", "extdig")
_alias("ehl", "extensor_hallucis_longus", "ehl", "ext_hal", "exthal")
_alias("fdl", "flexor_digitorum_longus", "fdl", "flex_dig", "flexdig")
_alias("fhl", "flexor_hallucis_longus", "fhl", "flex_hal", "flexhal")
_alias("tfl", "tensor_fasciae_latae", "tensor_fascia_latae", "tensor_fascia_lata", "tfl", "tensor")
_alias("addlong", "adductor_longus", "add_long", "addlong", "al")
_alias("addbrev", "adductor_brevis", "add_brev", "addbrev")
_alias(_ADDMAG, "adductor_magnus", "add_mag", "addmag", "am")
_alias("addlong addbrev " + _ADDMAG, "adductors", "adductor", "add", "adds")
_alias("grac", "gracilis", "grac", "gr")
_alias("iliacus", "iliacus", "ili")
_alias("psoas", "psoas", "psoas_major", "pso")
_alias("iliacus psoas", "iliopsoas", "ilio", "ilps", "ip")
_alias("sart", "sartorius", "sart", "sar")
_alias("piri", "piriformis", "piri", "pir")

_NOISE_WORDS = ("emg", "envelope", "env", "norm", "normalised", "normalized", "rms", "filt", "lin")
_SIDE_WORDS = {"r": "r", "right": "r", "rt": "r", "l": "l", "left": "l", "lt": "l"}


def _words(label: str) -> list[str]:
    # split camelCase and separators: "RTibAnt" -> ["R", "Tib", "Ant"], "vas_lat_r" -> ...
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", label)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def _base_of(compact: str, bases: set[str]) -> tuple[str, ...] | None:
    if compact in MUSCLE_ALIASES:
        return MUSCLE_ALIASES[compact]
    for b in bases:  # the model's own base names, case-insensitively
        if b.lower() == compact:
            return (b,)
    return None


def split_side(label: str) -> tuple[str, str | None]:
    """(label without its side, side) for labels like ``vaslat_r``, ``R_TA``, ``left soleus``."""
    words = _words(label)
    lowered = [w.lower() for w in words]
    side = None
    if lowered and lowered[-1] in _SIDE_WORDS:
        side = _SIDE_WORDS[lowered[-1]]
        words = words[:-1]
    elif lowered and lowered[0] in _SIDE_WORDS and len(lowered) > 1:
        side = _SIDE_WORDS[lowered[0]]
        words = words[1:]
    return " ".join(words), side


def _match_label(label: str, bases: set[str]) -> tuple[tuple[str, ...], str | None] | None:
    """Muscle bases and side a label stands for, or None."""
    stem = label.strip()
    if stem.startswith("/"):
        parts = [p for p in stem.split("/") if p]
        if len(parts) >= 2 and parts[0] == "forceset":
            stem = parts[1]
        elif parts:
            stem = parts[-1]
    rest, side = split_side(stem)
    words = [w for w in _words(rest) if w.lower() not in _NOISE_WORDS]
    if not words:
        return None
    compact = "".join(words).lower()
    found = _base_of(compact, bases)
    if found is None and side is None and len(compact) > 2 and compact[0] in "rl":
        # "RTA", "LSOL": a one-letter side glued to a label ("RF", "LG" matched above first)
        found = _base_of(compact[1:], bases)
        if found is not None:
            side = compact[0]
    if found is None:
        return None
    return found, side


def suggest_mapping(
    columns: list[str] | tuple[str, ...],
    muscle_names: list[str] | tuple[str, ...] | None = None,
    side: str = "r",
) -> dict[str, tuple[str, ...]]:
    """Propose which model muscles each column stands for; the user should confirm.

    What it matches (case and separators ignored; ``emg``/``env``/``rms``/``norm`` words
    dropped):

    - the model's names with or without side: ``vaslat_r``, ``vaslat``, ``/forceset/vaslat_r``;
    - full anatomical names and common EMG abbreviations listed in :data:`MUSCLE_ALIASES`:
      ``gluteus_maximus``/``GMAX`` -> glmax1..3, ``gluteus_medius``/``GMED`` -> glmed1..3,
      ``vas_lat``/``VL``, ``vastus_medialis``/``VM``/``VMO``, ``RF``, ``TA``, ``soleus``/``SOL``,
      ``gastrocnemius`` -> gasmed + gaslat, ``MG``/``LG``, ``medial_hamstrings``/``MH`` ->
      semimem + semiten, ``biceps_femoris``/``BF``/``lateral_hamstrings`` -> bflh,
      ``TFL``, ``adductor_longus``/``AL``, ``adductor_magnus`` -> addmag parts, ``gracilis``,
      ``sartorius``, ``iliopsoas``, ``peroneus_longus``/``PL``, ``tibialis_posterior`` ...;
    - a side from a ``_r``/``_l``/``right``/``left`` word at the start or end (``R_TA``,
      ``vas_lat_r``, ``Left Soleus``) or a single ``R``/``L`` letter glued to a label (``RTA``);
      labels without a side go to ``side`` ("r", "l" or "both").

    Columns it cannot match are left out of the result. ``muscle_names`` defaults to the
    model's 80 muscles; proposals are restricted to them.
    """
    names = tuple(muscle_names) if muscle_names is not None else model_muscle_names()
    available = set(names)
    bases = {n.rsplit("_", 1)[0] for n in names if n.endswith(("_r", "_l"))}
    out: dict[str, tuple[str, ...]] = {}
    for col in columns:
        if col in available:
            out[col] = (col,)
            continue
        m = _match_label(str(col), bases)
        if m is None:
            continue
        found, col_side = m
        sides = (col_side,) if col_side else (("r", "l") if side == "both" else (side,))
        muscles = tuple(f"{b}_{s}" for s in sides for b in found if f"{b}_{s}" in available)
        if muscles:
            out[col] = muscles
    return out


def exact_muscle(
    column: str, available: set[str], side: str
) -> tuple[tuple[str, ...], str, bool] | None:
    """Muscles a column names exactly: (muscles, kind, side added) or None.

    kind is "activation" (``/forceset/<m>/activation``), "control" (``/forceset/<m>``) or
    "name" (a plain name).

    ``vaslat_r``; ``/forceset/vaslat_r/activation`` (OpenSim 3: ``vaslat_r.activation``);
    ``/forceset/vaslat_r``; or a base name without side (``vaslat``) with ``_r``/``_l`` added
    from ``side`` ("r", "l" or "both").
    """
    c = column.strip()
    kind = "name"
    if "." in c and not c.startswith("/"):  # OpenSim 3 states: soleus_r.activation
        c, _, attr = c.partition(".")
        if attr != "activation":
            return None
        kind = "activation"
    elif c.startswith("/"):
        parts = [p for p in c.split("/") if p]
        if len(parts) < 2 or parts[0] != "forceset":
            return None
        if len(parts) == 2:
            kind = "control"
        elif len(parts) == 3 and parts[2] == "activation":
            kind = "activation"
        else:
            return None
        c = parts[1]
    if c in available:
        return (c,), kind, False
    sides = ("r", "l") if side == "both" else (side,)
    muscles = tuple(f"{c}_{s}" for s in sides if f"{c}_{s}" in available)
    if muscles and len(muscles) == len(sides):
        return muscles, kind, True
    return None


def muscle_state(column: str, available: set[str]) -> bool:
    """Whether a column is another state of a model muscle (fiber length, tendon force ...)."""
    c = column.strip()
    if c.startswith("/"):
        parts = [p for p in c.split("/") if p]
        return len(parts) >= 3 and parts[0] == "forceset" and parts[1] in available
    return "." in c and c.partition(".")[0] in available
