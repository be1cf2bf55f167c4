"""Muscle descriptions: complete for every muscle of the model, consistent, and formatted."""

import copy
import re

import pytest

from anatomy_viewer.anatomy import catalogue
from anatomy_viewer.anatomy.descriptions import (
    LIST_FIELDS,
    RESOURCE,
    TEXT_FIELDS,
    DescriptionError,
    all_descriptions,
    description,
    format_description,
    format_muscle_list,
    parse_descriptions,
)
from anatomy_viewer.resources import load_toml

HIP_ONLY = {
    "glmax1", "glmax2", "glmax3", "glmed1", "glmed2", "glmed3", "glmin1", "glmin2", "glmin3",
    "addlong", "addbrev", "addmagProx", "addmagMid", "addmagDist", "addmagIsch",
    "iliacus", "psoas", "piri",
}  # fmt: skip
KNEE_ONLY = {"bfsh", "vaslat", "vasmed", "vasint"}
BELOW_KNEE = {"soleus", "tibant", "edl", "ehl", "tibpost", "fdl", "fhl", "perlong", "perbrev"}


def test_every_muscle_of_the_model_has_a_complete_description():
    bases = catalogue().bases
    assert len(bases) == 40
    assert [d.base for d in all_descriptions()] == list(bases)
    for base in bases:
        d = description(base)
        for field in TEXT_FIELDS:
            assert getattr(d, field).strip(), (base, field)
        for joint in ("hip", "knee", "ankle"):
            assert d.actions[joint].strip(), (base, joint)
        assert 2 <= len(d.exercises) <= 4, base
        assert d.sources and all(s.strip() for s in d.sources), base


def test_groups_agree_with_groups_toml():
    cat = catalogue()
    for d in all_descriptions():
        assert d.group == cat.group_of(f"{d.base}_r"), d.base
        assert d.display_name == cat.display_names[d.base]


def test_model_names_with_side_resolve_to_the_base():
    assert description("glmed1_r") is description("glmed1")
    assert description("glmed1_l") is description("glmed1")
    assert description("addmagIsch_r").base == "addmagIsch"
    with pytest.raises(KeyError, match="nosuch"):
        description("nosuch_r")


def test_joints_not_crossed_read_none():
    for d in all_descriptions():
        crosses_hip = d.base not in KNEE_ONLY | BELOW_KNEE | {"gasmed", "gaslat"}
        crosses_knee = d.base not in HIP_ONLY | BELOW_KNEE
        crosses_ankle = d.base in BELOW_KNEE | {"gasmed", "gaslat"}
        for joint, crosses in (("hip", crosses_hip), ("knee", crosses_knee)):
            assert d.actions[joint].startswith("none") != crosses, (d.base, joint)
        assert d.actions["ankle"].startswith("none") != crosses_ankle, d.base


def test_key_anatomy_facts():
    """Spot checks of innervations and fibre types that are easy to get wrong."""
    assert "Superior gluteal" in description("tfl").innervation
    assert "L4" in description("tfl").innervation
    assert "fibular" in description("bfsh").innervation.lower()
    assert "Tibial division" in description("bflh").innervation
    for part in ("glmax1", "glmax2", "glmax3"):
        inn = description(part).innervation
        assert "Inferior gluteal" in inn and "L5" in inn and "S2" in inn
    for part in ("glmed1", "glmed2", "glmed3", "glmin1", "glmin2", "glmin3"):
        assert "Superior gluteal" in description(part).innervation
    assert "Tibial division" in description("addmagIsch").innervation
    for part in ("addmagProx", "addmagMid", "addmagDist", "addlong", "addbrev", "grac"):
        assert "Obturator" in description(part).innervation
    assert "L1" in description("psoas").innervation
    assert "Femoral" in description("iliacus").innervation
    assert "Type I" in description("soleus").fibre_type
    assert any("Johnson" in s for s in description("soleus").sources)


def test_split_muscles_say_what_is_particular_to_each_part():
    assert "inward" in description("glmed1").actions["hip"]  # anterior: internal rotation
    assert "outward" in description("glmed3").actions["hip"]  # posterior: external rotation
    assert "abduct" in description("glmax1").actions["hip"]
    assert "adduct" in description("glmax3").actions["hip"]
    parts = ("addmagProx", "addmagMid", "addmagDist", "addmagIsch")
    assert len({description(p).origin for p in parts}) == 4
    assert len({description(p).running_role for p in parts}) == 4


def test_cited_figures_name_their_source():
    """A text that quotes a figure (a percentage or a speed) also cites a study with its year."""
    figure = re.compile(r"\d\s?%|\d\s?m/s")
    citation = re.compile(r"\([^()]*\b(19|20)\d\d\)")
    for d in all_descriptions():
        for field in ("running_role", "when_weak_or_tight", "fibre_type"):
            text = getattr(d, field)
            if figure.search(text):
                assert citation.search(text), (d.base, field)


def test_every_citation_in_the_text_is_in_the_sources():
    cited = re.compile(r"([A-Z][A-Za-z-]+)(?: et al\.| and [A-Z][a-z]+)? ((?:19|20)\d\d)")
    for d in all_descriptions():
        text = " ".join([d.running_role, d.when_weak_or_tight, d.fibre_type, *d.actions.values()])
        for author, year in cited.findall(text):
            assert any(s.startswith(author) and year in s for s in d.sources), (d.base, author)


def _data():
    return copy.deepcopy(load_toml(*RESOURCE))


def test_validation_names_the_muscle_and_the_field():
    data = _data()
    data["glmed1"]["origin"] = "  "
    with pytest.raises(DescriptionError, match=r"'glmed1'.*'origin'.*empty"):
        parse_descriptions(data)

    data = _data()
    del data["soleus"]["actions"]["knee"]
    with pytest.raises(DescriptionError, match=r"'soleus'.*'knee'.*missing"):
        parse_descriptions(data)

    data = _data()
    data["tfl"]["group"] = "glutes"
    with pytest.raises(DescriptionError, match=r"'tfl'.*'group'.*hip_abductors"):
        parse_descriptions(data)

    data = _data()
    data["piri"]["exercises"] = ["Clamshell"]
    with pytest.raises(DescriptionError, match=r"'piri'.*'exercises'"):
        parse_descriptions(data)

    data = _data()
    del data["grac"]
    with pytest.raises(DescriptionError, match="grac"):
        parse_descriptions(data)

    data = _data()
    data["glmed1"]["colour"] = "red"
    with pytest.raises(DescriptionError, match=r"'glmed1'.*colour"):
        parse_descriptions(data)


def test_list_fields_are_known():
    assert set(LIST_FIELDS) == {"exercises", "sources"}


def test_muscle_list_shows_every_muscle_with_group_and_action():
    text = format_muscle_list()
    cat = catalogue()
    for d in all_descriptions():
        line = next(ln for ln in text.splitlines() if ln.startswith(d.base + " "))
        assert cat.display_names[d.base] in line
        assert cat.group(d.group).name in line
        assert d.main_action in line


def test_format_description_includes_names_and_fields():
    text = format_description("glmed1_r")
    assert "Gluteus medius (front)" in text
    assert "right" in text
    assert "glmed1" in text
    assert "Superior gluteal nerve" in text
    assert "Hip abductors" in text
    for exercise in description("glmed1").exercises:
        assert exercise in text
    plain = format_description("soleus")
    assert plain.startswith("Soleus")
    assert "Tibial nerve" in plain


@pytest.mark.parametrize(
    "query, expected",
    [
        ("glmed1_r", ("glmed1_r",)),
        ("GLMED1_R", ("glmed1_r",)),
        ("AddMagIsch", ("addmagIsch",)),
        ("soleus", ("soleus",)),
        ("  Soleus ", ("soleus",)),
        ("Gluteus medius", ("glmed1", "glmed2", "glmed3")),
        ("gluteus medius (front)", ("glmed1",)),
        ("gastrocnemius", ("gasmed", "gaslat")),
        ("Peroneus longus", ("perlong",)),
        ("fibularis brevis", ("perbrev",)),
        ("hamstrings", ("bflh", "bfsh", "semimem", "semiten")),
        ("nosuch", ()),
        ("", ()),
    ],
)
def test_muscles_are_found_by_any_case_and_plain_names(query, expected):
    from anatomy_viewer.anatomy.descriptions import find_muscles

    assert find_muscles(query) == expected


def test_exact_names_are_described_as_before_and_several_matches_listed():
    from anatomy_viewer.anatomy.descriptions import find_muscles, format_matches

    (name,) = find_muscles("GLMED1_R")
    assert format_description(name) == format_description("glmed1_r")
    text = format_matches("Gluteus medius", find_muscles("Gluteus medius"))
    assert text.splitlines()[0] == "'Gluteus medius' matches 3 muscles of the model:"
    assert "Gluteus medius (back)" in text and "anatomy-viewer muscles glmed1" in text
