"""The mapping editor's round trip; estimate_energy() and network() against the CLI;
account()."""

import csv
import os

import pytest

import loopsim
from conftest import CONV3_2, CONV3_2_MAP, EYERISS, read_json, src


def test_mapping_reads_factors_permutations_and_keep():
    m = loopsim.Mapping.load(CONV3_2_MAP)
    assert m.levels == ["psum_spad", "weights_spad", "ifmap_spad", "inter_PE_spatial",
                        "shared_glb", "DRAM"]
    assert m.factors("DRAM") == {"C": 64, "M": 4, "R": 1, "S": 1, "N": 1, "P": 1, "Q": 4}
    assert m.factors("inter_PE_spatial", "spatial")["Q"] == 14
    assert m.permutation("DRAM") == list("CMQRSNP")
    assert m.keep("shared_glb") == ["Inputs", "Outputs"]
    assert m.bypass("shared_glb") == ["Weights"]


def test_mapping_edit_write_load_evaluate_round_trip(cli, tmp_path):
    base = loopsim.evaluate(*EYERISS, CONV3_2, CONV3_2_MAP)
    m = loopsim.Mapping.load(CONV3_2_MAP)
    # Half the output columns at the glb, the other half at DRAM, DRAM's loop order changed,
    # and the glb keeps the weights too.
    m.set_factors("shared_glb", P=28).set_factors("DRAM", P=2)
    m.set_permutation("DRAM", "PCMQRSN")
    m.set_keep("shared_glb", keep=["Weights", "Inputs", "Outputs"], bypass=[])
    path = tmp_path / "edited.map.yaml"
    m.write(path)
    again = loopsim.Mapping.load(str(path))
    assert again == m
    assert again.factors("shared_glb")["P"] == 28 and again.permutation("DRAM")[0] == "P"
    r = loopsim.evaluate(*EYERISS, CONV3_2, mapping=again)
    cli("model", *EYERISS, CONV3_2, path, "-o", tmp_path, "-q")
    assert r.stats == read_json(tmp_path / "loopsim-model.stats.json")
    assert r.level("shared_glb")["data_spaces"]["Weights"]["keep"] is True
    assert base.level("shared_glb")["data_spaces"]["Weights"]["keep"] is False
    assert r.macs == base.macs and r.energy_pj != base.energy_pj
    # The evaluation's own mapping (map.yaml as loopsim map writes it) evaluates the same.
    r2 = loopsim.evaluate(*EYERISS, CONV3_2, mapping=r.mapping)
    assert r2.stats == r.stats


def test_to_dataframe_per_level_and_data_space():
    pd = pytest.importorskip("pandas")
    r = loopsim.evaluate(*EYERISS, CONV3_2, CONV3_2_MAP)
    df = r.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert len(df) == 6 * 3  # six storage levels x three data spaces
    dram_w = df[(df.level == "DRAM") & (df.data_space == "Weights")].iloc[0]
    assert dram_w.reads == r.level("DRAM")["data_spaces"]["Weights"]["reads"]
    levels = r.to_dataframe(by="level")
    assert list(levels.level) == r.levels
    assert levels.energy_pj.sum() + r.stats["arithmetic"]["energy_pj"] == pytest.approx(
        r.energy_pj, rel=1e-9)


def test_estimate_energy_equals_loopsim_energy(cli, tmp_path):
    arch = [src("arch-specs", "eyeriss_like", "arch.yaml"),
            src("arch-specs", "components", "smartbuffers.yaml")]
    e = loopsim.estimate_energy(*arch)
    cli("energy", *arch, "-o", tmp_path)
    for name in ("ERT.yaml", "ART.yaml", "ERT_summary.yaml", "ART_summary.yaml"):
        assert e.files[name] == (tmp_path / name).read_text(), name
    rows = e.to_rows()
    assert any(r["component"].endswith("DRAM[1..1]") and r["action"] == "read" for r in rows)
    q = loopsim.estimate_energy(query=("SRAM", {"depth": 1024, "width": 64, "datawidth": 16,
                                                "technology": "45nm"}))
    p = cli("energy", "--query", "SRAM", "depth=1024", "width=64", "datawidth=16",
            "technology=45nm")
    import json
    assert q == json.loads(p.stdout)


def test_network_equals_loopsim_network(cli, tmp_path):
    net = src("workloads", "networks", "alexnet.yaml")
    r = loopsim.network(net, *EYERISS, seed=3, max_evaluations_per_layer=400, threads=1)
    cli("network", net, *EYERISS, "--seed", 3, "--max-evaluations-per-layer", 400,
        "--threads", 2, "-q", "-o", tmp_path)
    with open(tmp_path / "layers.csv") as f:
        ref = list(csv.DictReader(f))
    assert [row["name"] for row in ref] == [row["name"] for row in r.layers]
    for mine, theirs in zip(r.layers, ref):
        assert mine["cycles"] == int(theirs["cycles"])
        assert mine["energy_pj"] == pytest.approx(float(theirs["energy_pj"]), rel=1e-12)
        assert mine["shape_id"] == theirs["mapping_id"]
    totals = read_json(tmp_path / "network.stats.json")
    assert r.macs == totals["macs"] == 724406816  # AlexNet (grouped), the file's macs:
    assert r.cycles == totals["cycles"]
    assert r.energy_pj == pytest.approx(totals["energy_pj"], rel=1e-12)


def test_account_equals_loopsim_account(cli, tmp_path):
    training = src("tests", "accounting", "small.training.yaml")
    r = loopsim.evaluate(*EYERISS, CONV3_2, CONV3_2_MAP)
    stats = tmp_path / "stats.json"
    import json
    stats.write_text(json.dumps(r.stats))
    a = loopsim.account(training, result=r)
    cli("account", training, "--from-stats", stats, "-o", tmp_path)
    ref = read_json(tmp_path / "accounting.json")
    a.pop("source"), ref.pop("source")  # where the figures came from differs
    assert a == ref
    # Method 1 by hand: 2 ops/MAC x MACs x 3 passes x 1000 examples x 10 epochs.
    assert a["training_compute"]["method1_ops"] == pytest.approx(2 * r.macs * 3 * 1000 * 10)
