"""What each muscle is and does: anatomy, actions, running role, training and fibre type.

The texts live in ``resources/muscles/descriptions.toml`` (one table per muscle base name); this
module loads and validates them and formats them as plain text for the command line. Standard
library only: no Qt, no VTK.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.resources import load_toml

#: Where the texts live, below ``resources/``.
RESOURCE: tuple[str, ...] = ("muscles", "descriptions.toml")

#: Text fields every muscle must have, in display order.
TEXT_FIELDS: tuple[str, ...] = (
    "common_name",
    "latin_name",
    "group",
    "main_action",
    "origin",
    "insertion",
    "innervation",
    "running_role",
    "when_weak_or_tight",
    "fibre_type",
)
#: List fields and the number of items each may hold (inclusive bounds).
LIST_FIELDS: dict[str, tuple[int, int]] = {"exercises": (2, 4), "sources": (1, 20)}
#: Joints every ``actions`` table must describe, and the extra ones it may describe.
REQUIRED_JOINTS: tuple[str, ...] = ("hip", "knee", "ankle")
OPTIONAL_JOINTS: tuple[str, ...] = ("foot",)

_WRAP = 88


class DescriptionError(ValueError):
    """A muscle's entry in descriptions.toml is missing, empty or malformed."""


@dataclass(frozen=True)
class MuscleDescription:
    """Everything the program tells a user about one muscle (both sides share it)."""

    base: str  # model name without side, e.g. "glmed1"
    display_name: str  # from groups.toml, e.g. "Gluteus medius (front)"
    common_name: str
    latin_name: str
    group: str  # group key, e.g. "hip_abductors"
    main_action: str
    origin: str
    insertion: str
    innervation: str
    actions: Mapping[str, str]  # "hip", "knee", "ankle" (and optionally "foot") -> text
    running_role: str
    when_weak_or_tight: str
    exercises: tuple[str, ...]
    fibre_type: str
    sources: tuple[str, ...]

    @property
    def group_name(self) -> str:
        return catalogue().group(self.group).name


# ---------------------------------------------------------------------------- parsing


def _where(base: str, field: str) -> str:
    return f"{'/'.join(RESOURCE)}: muscle {base!r}, field {field!r}"


def _text(base: str, table: Mapping[str, Any], field: str) -> str:
    if field not in table:
        raise DescriptionError(f"{_where(base, field)} is missing")
    value = table[field]
    if not isinstance(value, str):
        raise DescriptionError(f"{_where(base, field)} must be text, not {type(value).__name__}")
    if not value.strip():
        raise DescriptionError(f"{_where(base, field)} is empty")
    return value.strip()


def _text_list(base: str, table: Mapping[str, Any], field: str) -> tuple[str, ...]:
    if field not in table:
        raise DescriptionError(f"{_where(base, field)} is missing")
    value = table[field]
    lo, hi = LIST_FIELDS[field]
    if not isinstance(value, list):
        raise DescriptionError(f"{_where(base, field)} must be a list of text")
    if not lo <= len(value) <= hi:
        raise DescriptionError(f"{_where(base, field)} has {len(value)} items, expected {lo}-{hi}")
    items = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise DescriptionError(f"{_where(base, field)}: item {i + 1} is empty or not text")
        items.append(item.strip())
    return tuple(items)


def _actions(base: str, table: Mapping[str, Any]) -> Mapping[str, str]:
    if "actions" not in table:
        raise DescriptionError(f"{_where(base, 'actions')} is missing")
    value = table["actions"]
    if not isinstance(value, dict):
        raise DescriptionError(f"{_where(base, 'actions')} must be a table of joint -> text")
    unknown = set(value) - set(REQUIRED_JOINTS) - set(OPTIONAL_JOINTS)
    if unknown:
        raise DescriptionError(
            f"{_where(base, 'actions')} has unknown joint(s) {sorted(unknown)}; "
            f"allowed: {', '.join(REQUIRED_JOINTS + OPTIONAL_JOINTS)}"
        )
    out = {}
    for joint in REQUIRED_JOINTS + OPTIONAL_JOINTS:
        if joint in value or joint in REQUIRED_JOINTS:
            out[joint] = _text(base, value, joint).strip()
    return MappingProxyType(out)


def _parse_one(base: str, table: Any) -> MuscleDescription:
    if not isinstance(table, dict):
        raise DescriptionError(f"{'/'.join(RESOURCE)}: muscle {base!r} must be a table")
    known = set(TEXT_FIELDS) | set(LIST_FIELDS) | {"actions"}
    unknown = set(table) - known
    if unknown:
        raise DescriptionError(
            f"{'/'.join(RESOURCE)}: muscle {base!r} has unknown field(s) {sorted(unknown)}"
        )
    texts = {f: _text(base, table, f) for f in TEXT_FIELDS}
    cat = catalogue()
    expected_group = cat.muscle(f"{base}_r").group
    if texts["group"] != expected_group:
        raise DescriptionError(
            f"{_where(base, 'group')} is {texts['group']!r}, but groups.toml puts it in "
            f"{expected_group!r}"
        )
    return MuscleDescription(
        base=base,
        display_name=cat.display_names.get(base, base),
        actions=_actions(base, table),
        exercises=_text_list(base, table, "exercises"),
        sources=_text_list(base, table, "sources"),
        **texts,
    )


def parse_descriptions(data: Mapping[str, Any]) -> dict[str, MuscleDescription]:
    """Validate parsed TOML and build one description per muscle base, in catalogue order.

    Raises :class:`DescriptionError` naming the muscle and the field at the first problem:
    a muscle of the model without an entry, an entry for no muscle of the model, a missing or
    empty field, or a group that disagrees with groups.toml.
    """
    bases = catalogue().bases
    unknown = [k for k in data if k not in bases]
    if unknown:
        raise DescriptionError(
            f"{'/'.join(RESOURCE)}: entries for muscles the model does not have: {unknown}"
        )
    missing = [b for b in bases if b not in data]
    if missing:
        raise DescriptionError(f"{'/'.join(RESOURCE)}: no description for muscle(s) {missing}")
    return {b: _parse_one(b, data[b]) for b in bases}


@cache
def _descriptions() -> dict[str, MuscleDescription]:
    return parse_descriptions(load_toml(*RESOURCE))


# ---------------------------------------------------------------------------- look-ups


def base_name(name: str) -> str:
    """The muscle base for a base name (``glmed1``) or a model name (``glmed1_r``)."""
    cat = catalogue()
    if name in cat.bases:
        return name
    return cat.muscle(name).base  # KeyError naming the muscle when unknown


def description(name: str) -> MuscleDescription:
    """The description of a muscle, by base name (``glmed1``) or model name (``glmed1_r``)."""
    return _descriptions()[base_name(name)]


def all_descriptions() -> tuple[MuscleDescription, ...]:
    """Every muscle's description, in the catalogue's group order."""
    return tuple(_descriptions().values())


def _words(text: str) -> str:
    """Lower case, letters and digits only, single spaces: "Peroneus (fibularis)" ->
    "peroneus fibularis"."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _plain_names(d: MuscleDescription) -> tuple[str, ...]:
    latin = re.sub(r"^musculus\s+", "", d.latin_name, flags=re.IGNORECASE)
    names = (d.display_name, d.common_name, latin)
    bare = tuple(re.sub(r"\s*\([^)]*\)", "", n) for n in names)  # without "(front)"
    return tuple(_words(n) for n in names + bare)


def find_muscles(query: str) -> tuple[str, ...]:
    """The muscles a user means by ``query``, best matches only, in catalogue order.

    - a base or model name in any case: that muscle ("GLMED1_R" -> ("glmed1_r",));
    - a plain name: the muscles named so ("soleus" -> ("soleus",); "Gluteus medius" -> its
      three parts), else those whose names hold every word given ("gastrocnemius" -> both
      heads; "peroneus longus" -> perlong);
    - a group key or name ("hamstrings", "Hip abductors"): the group's muscles.

    Base names are returned, or model names when the query names a side. Empty if none match.
    """
    cat = catalogue()
    text = query.strip()
    if text in cat.bases:
        return (text,)
    by_lower = {b.lower(): b for b in cat.bases}
    base, sep, side = text.lower().rpartition("_")
    if sep and side in ("r", "l") and base in by_lower:
        return (f"{by_lower[base]}_{side}",)
    if text.lower() in by_lower:
        return (by_lower[text.lower()],)
    q = _words(text)
    if not q:
        return ()
    descs = all_descriptions()
    exact = tuple(d.base for d in descs if q in _plain_names(d))
    if exact:
        return exact
    for g in cat.groups:
        if q in (_words(g.key), _words(g.name)):
            return tuple(b for b in cat.bases if b in g.bases)
    wanted = q.split()
    return tuple(
        d.base for d in descs if any(all(w in n.split() for w in wanted) for n in _plain_names(d))
    )


# ---------------------------------------------------------------------------- formatting


def format_muscle_list() -> str:
    """A plain-text table of every muscle: model name, display name, group and main action."""
    rows = [("Muscle", "Name", "Group", "Main action")]
    rows += [(d.base, d.display_name, d.group_name, d.main_action) for d in all_descriptions()]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = []
    for i, row in enumerate(rows):
        cells = [row[c].ljust(widths[c]) for c in range(3)]
        lines.append("  ".join([*cells, row[3]]).rstrip())
        if i == 0:
            lines.append("  ".join(["-" * w for w in widths] + ["-" * len(row[3])]))
    lines.append("")
    lines.append(
        "Each muscle exists on both legs: add _r or _l for the model's name "
        "(e.g. glmed1_r). Details: anatomy-viewer muscles NAME"
    )
    return "\n".join(lines)


def format_matches(query: str, names: tuple[str, ...]) -> str:
    """The muscles ``query`` matched (see :func:`find_muscles`), one a line, and how to see one
    described."""
    rows = [(n, description(n).display_name, description(n).main_action) for n in names]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    lines = [f"{query!r} matches {len(names)} muscles of the model:", ""]
    lines += [f"  {a.ljust(widths[0])}  {b.ljust(widths[1])}  {c}".rstrip() for a, b, c in rows]
    lines += ["", f"Details: anatomy-viewer muscles {names[0]} (or another of these names)"]
    return "\n".join(lines)


def _para(label: str, text: str) -> str:
    return textwrap.fill(text, width=_WRAP, initial_indent=f"{label}: ", subsequent_indent=" " * 4)


def _bullets(items: tuple[str, ...]) -> list[str]:
    return [
        textwrap.fill(item, width=_WRAP, initial_indent="  - ", subsequent_indent="    ")
        for item in items
    ]


def format_description(name: str) -> str:
    """A muscle's full description as plain text (for ``anatomy-viewer muscles glmed1_r``)."""
    d = description(name)
    cat = catalogue()
    title = d.display_name
    if name != d.base:
        title = cat.muscle(name).label  # e.g. "Gluteus medius (front) (right)"
    heading = f"{title}  [{d.base}, {d.group_name}]"
    lines = [heading, "=" * len(heading)]
    lines.append(_para("Common name", d.common_name))
    lines.append(_para("Latin name", d.latin_name))
    lines.append(_para("Main action", d.main_action))
    lines.append("")
    lines.append(_para("Origin", d.origin))
    lines.append(_para("Insertion", d.insertion))
    lines.append(_para("Innervation", d.innervation))
    lines.append("")
    lines.append("Actions")
    for joint, text in d.actions.items():
        lines.append(
            textwrap.fill(
                text,
                width=_WRAP,
                initial_indent=f"  {joint.capitalize()}: ",
                subsequent_indent=" " * 4,
            )
        )
    lines.append("")
    lines.append(_para("In the running stride", d.running_role))
    lines.append("")
    lines.append(_para("When weak or tight", d.when_weak_or_tight))
    lines.append("")
    lines.append("Exercises that strengthen it")
    lines += _bullets(d.exercises)
    lines.append("")
    lines.append(_para("Fibre type", d.fibre_type))
    lines.append("")
    lines.append("Sources")
    lines += _bullets(d.sources)
    return "\n".join(lines)
