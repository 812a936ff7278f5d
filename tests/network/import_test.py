#!/usr/bin/python3
"""scripts/import-onnx and scripts/import-torch on small models built here (no downloads):
the network YAML they write loads in `loopsim network` and counts the MACs derived by hand.
Usage: import_test.py onnx|torch LOOPSIM REPO   (exit 77 when the Python package is missing)
"""
import json
import os
import subprocess
import sys
import tempfile

kind, loopsim, repo = sys.argv[1], sys.argv[2], sys.argv[3]
arch = [os.path.join(repo, "arch-specs/eyeriss_like", f) for f in ("arch.yaml", "ERT.yaml", "ART.yaml")]
try:
    import onnx  # noqa: F401
    if kind == "torch":
        import torch  # noqa: F401
except ImportError as e:
    print(f"SKIP: {e} (Debian's python3-onnx / python3-torch, scripts/install-deps)")
    sys.exit(77)
failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def onnx_model(path):
    """conv 3->4 3x3 pad 1 on 8x8 (4*3*9*64 = 6912 MACs), ReLU, 2x2 max pool (-> 4x4),
    depthwise 3x3 pad 1 (4*9*16 = 576), residual add, flatten (64), Gemm 64 -> 10 (640),
    softmax; and a batched MatMul of two views of the flattened tensor: [2,4,8] x [2,8,4]
    (2*4*8*4 = 256). Total 8384."""
    import numpy as np
    from onnx import helper, numpy_helper, TensorProto
    init = [numpy_helper.from_array(np.zeros(s, np.float32), n) for n, s in
            (("w1", (4, 3, 3, 3)), ("w2", (4, 1, 3, 3)), ("w3", (10, 64)), ("b3", (10,)))]
    init += [numpy_helper.from_array(np.array(s, np.int64), n) for n, s in
             (("sa", [2, 4, 8]), ("sb", [2, 8, 4]))]
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], name="conv1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2"], ["c2"], name="dw", kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=4),
        helper.make_node("Add", ["c2", "p1"], ["a1"], name="res"),
        helper.make_node("Flatten", ["a1"], ["f"], name="flat"),
        helper.make_node("Gemm", ["f", "w3", "b3"], ["g"], name="fc", transB=1),
        helper.make_node("Softmax", ["g"], ["y"], name="softmax"),
        helper.make_node("Reshape", ["f", "sa"], ["va"], name="view_a"),
        helper.make_node("Reshape", ["f", "sb"], ["vb"], name="view_b"),
        helper.make_node("MatMul", ["va", "vb"], ["z"], name="bmm"),
    ]
    graph = helper.make_graph(nodes, "small", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10]),
                               helper.make_tensor_value_info("z", TensorProto.FLOAT, [2, 4, 4])], init)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)
    return 8384


TORCH_MODEL = '''
import torch
class Net(torch.nn.Module):
    """conv 3->8 3x3 stride 2 pad 1 on 16x16 -> 8x8 (8*3*9*64 = 13824 MACs), ReLU,
    conv 8->8 1x1 (8*8*64 = 4096), add, global average pool, linear 8 -> 5 (40)."""
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)
        self.c2 = torch.nn.Conv2d(8, 8, 1, bias=False)
        self.fc = torch.nn.Linear(8, 5)
    def forward(self, x):
        y = torch.relu(self.c1(x))
        y = self.c2(y) + y
        y = torch.nn.functional.adaptive_avg_pool2d(y, 1).flatten(1)
        return self.fc(y)
'''

with tempfile.TemporaryDirectory() as tmp:
    net = os.path.join(tmp, "net.yaml")
    if kind == "onnx":
        model = os.path.join(tmp, "small.onnx")
        expect = onnx_model(model)
        cmd = ["/usr/bin/python3", os.path.join(repo, "scripts/import-onnx"), model, "-o", net]
    else:
        with open(os.path.join(tmp, "small_net.py"), "w") as f:
            f.write(TORCH_MODEL)
        expect = 13824 + 4096 + 40
        cmd = ["/usr/bin/python3", os.path.join(repo, "scripts/import-torch"),
               os.path.join(tmp, "small_net.py") + ":Net", "--input-shape", "1,3,16,16", "-o", net]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    check(p.returncode == 0, f"import: exit {p.returncode}: {p.stderr[-3000:]}")
    if p.returncode == 0:
        text = open(net).read()
        check(f"macs: {expect}" in text, f"the file states {expect} MACs")
        out = os.path.join(tmp, "out")
        p = subprocess.run([loopsim, "network", net, *arch, "-o", out, "--threads", "1", "-q", "--strict",
                            "--max-evaluations-per-layer", "100", "--seed", "1"],
                           capture_output=True, text=True, timeout=300)
        check(p.returncode == 0, f"loopsim network: exit {p.returncode}" +
              (f": {p.stderr}\n{text}" if p.returncode else ""))
        if p.returncode == 0:
            s = json.load(open(os.path.join(out, "network.stats.json")))
            check(s["macs"] == expect and s["complete"], f"loopsim counts {s['macs']} MACs, all mapped")
print("FAILED" if failures else "OK", len(failures), "failure(s)")
sys.exit(1 if failures else 0)
