"""evaluate(): the same figures as `loopsim model`; inputs from files, YAML text and dicts;
ConfigError and MappingRejected."""

import os

import pytest
import yaml

import loopsim
from conftest import CASE06, CONV3_2, CONV3_2_MAP, EYERISS, read_json


def test_evaluate_equals_loopsim_model(cli, tmp_path):
    r = loopsim.evaluate(*EYERISS, CONV3_2, CONV3_2_MAP)
    cli("model", *EYERISS, CONV3_2, CONV3_2_MAP, "-o", tmp_path, "-q")
    assert r.stats == read_json(tmp_path / "loopsim-model.stats.json")
    assert r.stats_txt == (tmp_path / "loopsim-model.stats.txt").read_text()
    assert r.map_txt == (tmp_path / "loopsim-model.map.txt").read_text()
    # VGG-16 conv3_2: 256 x 256 x 3 x 3 x 56 x 56 MACs.
    assert r.macs == 256 * 256 * 9 * 56 * 56 == 1849688064
    assert r.stats["summary"]["computes"] == r.macs
    assert r.levels == [lv["name"] for lv in r.stats["levels"]]
    assert r.energy_pj == pytest.approx(sum(r.energy_by_level().values()), rel=1e-9)
    # The CLI's files read back: the same result object and figures.
    back = loopsim.read_output(str(tmp_path))
    assert type(back) is loopsim.Evaluation and back.stats == r.stats
    assert back.to_rows() == r.to_rows()


@pytest.mark.skipif(not os.path.isdir(CASE06), reason="../shared/conformance is absent")
def test_exercise_06_equals_loopsim_model(cli, tmp_path):
    files = [os.path.join(CASE06, f) for f in
             ("parsed-processed-input.yaml", "timeloop-mapper.map.yaml",
              "timeloop-mapper.ERT.yaml", "timeloop-mapper.ART.yaml")]
    r = loopsim.evaluate(*files)
    cli("model", *files, "-o", tmp_path, "-q")
    cli_stats = read_json(tmp_path / "loopsim-model.stats.json")
    assert r.stats == cli_stats
    assert r.cycles == cli_stats["summary"]["cycles"]
    # Timeloop's own figure for this case (ref-output/timeloop-mapper.stats.txt).
    with open(os.path.join(CASE06, "timeloop-mapper.stats.txt")) as f:
        ref = f.read()
    assert f"Cycles: {r.cycles}" in ref


def test_dict_and_yaml_string_inputs_give_the_same_figures():
    by_file = loopsim.evaluate(*EYERISS, CONV3_2, CONV3_2_MAP)
    with open(CONV3_2) as f:
        problem_text = f.read()
    problem = yaml.safe_load(problem_text)
    mapping = loopsim.Mapping.load(CONV3_2_MAP)
    by_dict = loopsim.evaluate(*EYERISS, problem, mapping=mapping.to_dict())
    by_text = loopsim.evaluate(loopsim.load(*EYERISS), problem_text, mapping=mapping)
    for r in (by_dict, by_text):
        assert r.energy_pj == by_file.energy_pj
        assert r.cycles == by_file.cycles
        assert r.stats["levels"] == by_file.stats["levels"]


def test_config_error_carries_file_line_key_path_as_the_cli(cli, tmp_path):
    bad = tmp_path / "bad.map.yaml"
    text = open(CONV3_2_MAP).read().replace("factors: C1 M16 R1 S1 N1 P1 Q1",
                                            "factors: C1 M16 R1 S1 N1 P1 Q1 X2")
    bad.write_text(text)
    line = text[:text.index("X2")].count("\n") + 1
    with pytest.raises(loopsim.ConfigError) as ei:
        loopsim.evaluate(*EYERISS, CONV3_2, str(bad))
    e = ei.value
    assert e.file == str(bad)
    assert e.line == line
    assert e.key_path.startswith("mapping[")
    assert "X" in e.message
    p = cli("model", *EYERISS, CONV3_2, bad, "-o", tmp_path, "-q", check=False)
    assert p.returncode == 2
    assert p.stderr.strip() == str(e)


def test_config_error_in_a_dict_names_the_dict():
    problem = yaml.safe_load(open(CONV3_2))
    problem["problem"]["instance"]["Cx"] = 4  # a misspelled dimension
    with pytest.raises(loopsim.ConfigError) as ei:
        loopsim.evaluate(*EYERISS, problem, CONV3_2_MAP)
    e = ei.value
    assert e.file == "<dict 4>"
    assert e.key_path == "problem.instance.Cx"
    assert e.line > 0


def test_rejection_names_the_level(cli, tmp_path):
    m = loopsim.Mapping.load(CONV3_2_MAP)
    # All 64 input-channel groups inside the PE's weight pad: 16x more weights than fit.
    m.set_factors("DRAM", C=1).set_factors("weights_spad", C=256)
    with pytest.raises(loopsim.MappingRejected) as ei:
        loopsim.evaluate(*EYERISS, CONV3_2, mapping=m)
    e = ei.value
    assert e.level_name == "weights_spad"
    assert e.reason == "capacity"
    m.write(tmp_path / "m.yaml")
    p = cli("model", *EYERISS, CONV3_2, tmp_path / "m.yaml", "-o", tmp_path, "-q", check=False)
    assert p.returncode == 3
    assert e.message in p.stderr
