"""The muscle search of the Muscles panel, without Qt, so that the command line
(``anatomy-viewer muscles calf``) finds what the window's search box finds.

A muscle matches a text when the text (case-folded, surrounding spaces ignored) is part of
its model base name, display, common or Latin name, or of its group's name or key, or of an
everyday word listed in ``resources/muscles/search_synonyms.toml`` (calf, Achilles, IT band,
quads ...; at least three letters). A model name with its side (``glmed1_r``) matches that
muscle, which the panel shows as one entry for both legs.
"""

from __future__ import annotations

from functools import cache

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.resources import load_toml

#: Everyday words match from this many letters on ("ca" would match "calf" and "iliacus").
MIN_SYNONYM_LETTERS = 3


@cache
def _search_text() -> dict[str, str]:
    """Per muscle base (case-folded): every name a person might search it by."""
    from anatomy_viewer.anatomy.descriptions import description

    out = {}
    for base in catalogue().bases:
        d = description(base)
        out[base.casefold()] = " | ".join(
            (base, d.display_name, d.common_name, d.latin_name)
        ).casefold()
    return out


@cache
def _synonyms() -> dict[str, tuple[str, ...]]:
    """Everyday words -> muscle bases, from resources/muscles/search_synonyms.toml."""
    cat = catalogue()
    out = {}
    for word, targets in load_toml("muscles", "search_synonyms.toml")["words"].items():
        bases: list[str] = []
        for t in targets:
            bases += cat.group(t[6:]).bases if t.startswith("group:") else [t]
        out[word.casefold()] = tuple(bases)
    return out


def search_needle(text: str) -> str:
    """What is searched for: ``text`` case-folded, without surrounding spaces and without
    the side of a model name (``GLMED1_R`` -> ``glmed1``)."""
    needle = text.strip().casefold()
    if needle.endswith(("_r", "_l")) and needle[:-2] in _search_text():
        needle = needle[:-2]
    return needle


def group_matches(text: str, key: str) -> bool:
    """Whether ``text`` names (part of) muscle group ``key``: all its muscles match."""
    needle = search_needle(text)
    group = catalogue().group(key)
    return bool(needle) and (needle in group.name.casefold() or needle in group.key.casefold())


def search_muscles(text: str) -> tuple[str, ...]:
    """The muscle bases ``text`` matches, in catalogue order; every muscle for empty text."""
    needle = search_needle(text)
    cat = catalogue()
    if not needle:
        return tuple(cat.bases)
    hits: set[str] = set()
    for group in cat.groups:
        if group_matches(text, group.key):
            hits.update(group.bases)
    if len(needle) >= MIN_SYNONYM_LETTERS:
        for word, bases in _synonyms().items():
            if needle in word:
                hits.update(bases)
    names = _search_text()
    hits.update(b for b in cat.bases if needle in names.get(b.casefold(), b.casefold()))
    return tuple(b for b in cat.bases if b in hits)
