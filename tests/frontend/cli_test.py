#!/usr/bin/env python3
"""loopsim's front end from the command line: a Jinja2 template with --var, include() and a
<<< merge gives the same evaluation as the plain files it assembles (the golden case
conv1d_dram_rf); --render-only prints the resolved YAML; errors name the file and line where
the mistake is written, also inside an included file.
Usage: cli_test.py LOOPSIM PROJECT_DIR"""
import json
import os
import subprocess
import sys
import tempfile

loopsim, project = sys.argv[1], sys.argv[2]
here = os.path.join(project, "tests", "frontend")
failures = []


def run(*args):
    p = subprocess.run([loopsim] + list(args), cwd=here, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    if not cond:
        failures.append(f"{name}: {detail}")


with tempfile.TemporaryDirectory() as t:
    rc, out, err = run("model", "-q", "-o", t + "/a", "top.yaml.jinja2", "--var", "layer=layer.yaml")
    check("template run", rc == 0, err)
    golden = os.path.join(project, "tests", "golden", "conv1d_dram_rf")
    with open(os.path.join(golden, "inputs.txt")) as f:
        plain = [os.path.join(project, line.strip()) for line in f if line.strip()]
    rc2, _, err2 = run("model", "-q", "-o", t + "/b", *plain)
    check("plain run", rc2 == 0, err2)
    if rc == 0 and rc2 == 0:
        a = json.load(open(t + "/a/loopsim-model.stats.json"))
        b = json.load(open(t + "/b/loopsim-model.stats.json"))
        check("same summary", a["summary"] == b["summary"], f"{a['summary']} vs {b['summary']}")
        check("same levels", a["levels"] == b["levels"])
        # The golden README derives 58.608 pJ per MAC for these inputs.
        check("golden energy", abs(a["summary"]["fj_per_compute"] - 58608) < 1,
              a["summary"]["fj_per_compute"])

rc, out, err = run("model", "top.yaml.jinja2", "--var", "layer=layer.yaml", "--render-only")
check("render-only exit", rc == 0, err)
check("render-only merged instance", "instance: {P: 8, R: 3}" in out, out[:300])
check("render-only drops *ignore* and <<<", "base_ignore" not in out and "<<<" not in out)
check("render-only included architecture", "name: rf" in out)

rc, out, err = run("model", "top.yaml.jinja2", "--var", "layer=bad_layer.yaml")
check("error in included file", rc == 2 and err.startswith(
    "bad_layer.yaml:15: problem.instance.P: expected a positive whole number, got '-8'"), err)

rc, out, err = run("map", "top.yaml.jinja2")
check("undefined variable", rc == 2 and err.startswith(
    "top.yaml.jinja2:4: Jinja2 template error: UndefinedError: 'layer' is undefined "
    "(give it with --var NAME=VALUE)"), err)

rc, out, err = run("model", "top.yaml.jinja2", "--var", "layer")
check("malformed --var", rc == 2 and "expected NAME=VALUE" in err, err)

# libconfig (.cfg): read as YAML with the same lines.
rc, out, err = run("model", "legacy.cfg", "--render-only")
check("cfg render", rc == 0 and "problme:" in out and "R: 3" in out and "P: 16\n" in out and "names: [a, b]" in out,
      out + err)
rc, out, err = run("model", "legacy.cfg")
check("cfg error line", rc == 2 and err.startswith(
    "legacy.cfg:2: problme: unknown top-level key 'problme' (did you mean 'problem'?)"), err)

for f in failures:
    print("FAIL", f)
print(f"{'all passed' if not failures else str(len(failures)) + ' failed'}")
sys.exit(1 if failures else 0)
