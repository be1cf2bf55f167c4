"""Muscle catalogue: names, sides and groups of the model's 80 muscles (from resources/)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from anatomy_viewer.resources import load_toml


@dataclass(frozen=True)
class MuscleGroup:
    key: str
    name: str
    colour: str
    summary: str
    bases: tuple[str, ...]  # muscle names without side suffix


@dataclass(frozen=True)
class Muscle:
    name: str  # the model's actuator name, e.g. "glmax1_r"
    base: str  # without side, e.g. "glmax1"
    side: str  # "r" or "l"
    display_name: str
    group: str  # group key

    @property
    def label(self) -> str:
        side = "right" if self.side == "r" else "left"
        return f"{self.display_name} ({side})"


class MuscleCatalogue:
    """Groups and display names read from ``resources/muscles/groups.toml``."""

    def __init__(self) -> None:
        data = load_toml("muscles", "groups.toml")
        self.groups: tuple[MuscleGroup, ...] = tuple(
            MuscleGroup(g["key"], g["name"], g["colour"], g["summary"], tuple(g["muscles"]))
            for g in data["group"]
        )
        self.display_names: dict[str, str] = dict(data["names"])
        self._group_of_base: dict[str, str] = {}
        for g in self.groups:
            for base in g.bases:
                if base in self._group_of_base:
                    raise ValueError(f"groups.toml: muscle {base!r} is in two groups")
                self._group_of_base[base] = g.key

    @property
    def bases(self) -> tuple[str, ...]:
        """All muscle base names in group order."""
        return tuple(b for g in self.groups for b in g.bases)

    def group(self, key: str) -> MuscleGroup:
        for g in self.groups:
            if g.key == key:
                return g
        raise KeyError(f"no muscle group {key!r}")

    def muscle(self, name: str) -> Muscle:
        """The Muscle for a model actuator name such as ``vaslat_r``."""
        base, sep, side = name.rpartition("_")
        if not sep or side not in ("r", "l") or base not in self._group_of_base:
            raise KeyError(f"unknown muscle {name!r}")
        display = self.display_names.get(base, base)
        return Muscle(name, base, side, display, self._group_of_base[base])

    def group_of(self, name: str) -> str:
        return self.muscle(name).group


@cache
def catalogue() -> MuscleCatalogue:
    return MuscleCatalogue()
