"""Fibre-type composition: complete for every muscle of both legs, every value sourced or an
explicit assumption, and a malformed table refused with a message naming the problem."""

import copy

import numpy as np
import pytest

from anatomy_viewer.anatomy import catalogue, model_muscle_names
from anatomy_viewer.anatomy.fibre_types import (
    RESOURCE,
    FibreTypeError,
    composition,
    fibre_types,
    format_composition,
    parse_fibre_types,
    type1_fraction,
)
from anatomy_viewer.resources import load_toml


def test_every_muscle_of_both_legs_has_a_composition():
    names = model_muscle_names()
    assert len(names) == 80
    f = type1_fraction(names)
    assert f.shape == (80,)
    assert np.all((f > 0.0) & (f < 1.0))
    # both legs share the value, and a part of a muscle has the whole muscle's value
    for base in catalogue().bases:
        assert composition(f"{base}_r") is composition(f"{base}_l") is composition(base)
    assert composition("glmax1") is composition("glmax3") is composition("gluteus_maximus")
    assert len({composition(b).key for b in catalogue().bases}) == len(fibre_types().muscles)


def test_every_value_has_a_source_or_says_what_was_assumed():
    table = fibre_types()
    for c in table.muscles.values():
        if c.basis == "assumed":
            assert "ssum" in c.notes, c.key  # "Assumed ..." / "assumed ..."
        else:
            assert c.sources, c.key
            assert all(s in table.citations.values() for s in c.sources), c.key
        for value in (c.surface_percent, c.deep_percent):
            assert value is None or 0 < value < 100
        if c.surface_percent is not None:
            assert any("Johnson" in s for s in c.sources + c.cited), c.key


def test_the_table_agrees_with_what_the_muscle_pages_say():
    # descriptions.toml: soleus and tibialis anterior predominantly slow, rectus femoris leaning
    # fast, vastus intermedius slower than vastus lateralis, gluteus maximus about half and half
    slow = composition("soleus").type1_percent
    assert slow == max(c.type1_percent for c in fibre_types().muscles.values())
    assert composition("tibant").type1_percent >= 70
    assert composition("recfem").type1_percent < 45
    assert composition("vasint").type1_percent > composition("vaslat").type1_percent
    assert 45 <= composition("glmax2").type1_percent <= 60
    adm = composition("addmagIsch_r")
    assert adm.surface_percent < adm.deep_percent  # more slow fibres in the depth


def test_formatted_composition_names_its_source_and_any_assumption():
    text = format_composition("soleus_r")
    assert "80 % slow" in text and "Uchida" in text and "Edgerton" in text
    assumed = format_composition("psoas_l")
    assert "assumed" in assumed and "rectus femoris" in assumed and "Arbanas" in assumed
    with pytest.raises(KeyError, match="nosuch"):
        composition("nosuch_r")


@pytest.fixture(scope="module")
def raw():
    return load_toml(*RESOURCE)


def _broken(raw, change):
    data = copy.deepcopy(raw)
    change(data)
    with pytest.raises(FibreTypeError) as err:
        parse_fibre_types(data, catalogue().bases)
    return str(err.value)


def test_malformed_tables_are_refused_naming_the_muscle_and_field(raw):
    def drop_piriformis(d):
        del d["muscle"]["piriformis"]

    assert "piri" in _broken(raw, drop_piriformis)

    def twice(d):
        d["muscle"]["gluteus_medius"]["model_muscles"].append("glmax1")

    msg = _broken(raw, twice)
    assert "glmax1" in msg and "gluteus_maximus" in msg

    def unexplained(d):
        d["muscle"]["piriformis"]["notes"] = " "

    assert "must say why" in _broken(raw, unexplained)

    def unsourced(d):
        d["muscle"]["soleus"]["source"] = []

    assert "'soleus'" in _broken(raw, unsourced)

    def percent_out_of_range(d):
        d["muscle"]["soleus"]["type1"] = 180

    assert "outside 0-100" in _broken(raw, percent_out_of_range)

    def unknown_citation(d):
        d["muscle"]["soleus"]["cited"] = ["nobody2020"]

    assert "nobody2020" in _broken(raw, unknown_citation)

    def no_such_muscle(d):
        d["muscle"]["soleus"]["model_muscles"] = ["solues"]

    assert "solues" in _broken(raw, no_such_muscle)
