#!/usr/bin/env python3
"""Every kind of report in a real browser (docs/report.md): headless Chromium opens each page
(model, map, network from short runs with --report; sweep and compare from the fixtures),
and the page's status line must say that every chart rendered, with as many marks as its
CSV has rows (one bar or point per row; the Pareto staircase is one more), and no error
(window.onerror, unhandled rejection, console.error). A screenshot per kind is saved to
OUTDIR/report-<kind>.png and checked to be a PNG with many colours (charts, not a blank page).
Exit 77 (skipped) without /usr/bin/chromium.
Usage: browser_test.py LOOPSIM REPO OUTDIR
"""
import concurrent.futures
import csv
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

CHROMIUM = os.environ.get("LOOPSIM_CHROMIUM", "/usr/bin/chromium")
loopsim, repo, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
if not os.access(CHROMIUM, os.X_OK):
    print(f"SKIP: {CHROMIUM} is not installed (Debian's chromium; scripts/install-deps)")
    sys.exit(77)

arch = [os.path.join(repo, "arch-specs/eyeriss_like", f) for f in ("arch.yaml", "ERT.yaml", "ART.yaml")]
fixtures = os.path.join(repo, "tests/report/fixtures")
failures = []
# Charts each kind of page has (docs/report.md).
CHARTS = {"model": 3, "map": 3, "network": 5, "sweep": 2, "compare": 3}


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    p = subprocess.run([loopsim, *args], capture_output=True, text=True, timeout=300)
    check(p.returncode == 0, f"loopsim {args[0]}: exit {p.returncode}: {p.stderr[-2000:]}")


def png_colours(path):
    """Distinct RGB colours of an 8-bit RGB/RGBA PNG (non-interlaced), sampled every 7th pixel."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return 0
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                return -1
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, width, 7):
            colours.add(bytes(line[x * bpp:x * bpp + 3]))
        prev = line
    return len(colours)


def open_in_chromium(kind, html):
    shot = os.path.join(outdir, f"report-{kind}.png")
    if os.path.exists(shot):
        os.remove(shot)
    profile = tempfile.mkdtemp(prefix="loopsim-chromium-")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--hide-scrollbars", "--window-size=1200,1500",
           "--virtual-time-budget=15000", f"--screenshot={shot}", "--dump-dom", "file://" + os.path.abspath(html)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return p.stdout, shot


def expected_marks(data_dir):
    n = 0
    for f in os.listdir(data_dir):
        with open(os.path.join(data_dir, f), newline="") as fh:
            rows = list(csv.DictReader(fh))
        n += len(rows)
        if f == "pareto_scatter.csv" and any(r["front"] == "Pareto front" for r in rows):
            n += 1  # the staircase joining the front
    return n


start = time.time()
os.makedirs(outdir, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    pages = {}
    d = os.path.join(tmp, "model")
    run("model", *arch, os.path.join(repo, "workloads/alexnet/conv3.yaml"),
        os.path.join(repo, "mappings/eyeriss_like.alexnet-conv3.rs.map.yaml"), "-o", d, "-q", "--report")
    pages["model"] = d
    d = os.path.join(tmp, "map")
    run("map", *arch, os.path.join(repo, "workloads/alexnet/conv3.yaml"), "--dataflow", "row-stationary",
        "--max-evaluations", "20000", "--seed", "1", "--threads", "2", "-o", d, "-q", "--report")
    pages["map"] = d
    d = os.path.join(tmp, "network")
    run("network", os.path.join(repo, "workloads/networks/alexnet.yaml"), *arch, "--threads", "2",
        "--max-evaluations-per-layer", "300", "--seed", "1", "-o", d, "-q", "--report")
    pages["network"] = d
    for kind in ("sweep", "compare"):
        d = os.path.join(tmp, kind)
        run("report", os.path.join(fixtures, kind), "-o", os.path.join(d, "report.html"), "-q")
        pages[kind] = d
    # The check itself must fail on a broken chart: the sweep page with an unknown mark type.
    broken = os.path.join(tmp, "broken")
    os.mkdir(broken)
    with open(os.path.join(pages["sweep"], "report.html"), encoding="utf-8") as f:
        text = f.read()
    check('"type":"symbol"' in text, "sweep page: a symbol mark to break")
    with open(os.path.join(broken, "report.html"), "w", encoding="utf-8") as f:
        f.write(text.replace('"type":"symbol"', '"type":"no-such-mark"'))
    pages["broken"] = broken
    print(f"results and pages: {time.time() - start:.1f} s")

    def one(kind):
        dom, shot = open_in_chromium(kind, os.path.join(pages[kind], "report.html"))
        if "data-state=\"done\"" not in dom:  # a very loaded machine: once more
            print(f"{kind}: the page had not finished; opening it again")
            dom, shot = open_in_chromium(kind, os.path.join(pages[kind], "report.html"))
        return kind, dom, shot

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for kind, dom, shot in pool.map(one, [*CHARTS, "broken"]):
            m = re.search(r"loopsim-report: charts=(\d+) rendered=(\d+) marks=(\d+) errors=(\d+)([^<]*)", dom)
            if kind == "broken":
                check(m is not None and int(m.group(4)) > 0,
                      f"a broken chart is reported as an error: {m.group(0) if m else 'no status'}")
                continue
            check(m is not None, f"{kind}: the page finished rendering (status line in the DOM)")
            if not m:
                continue
            charts, rendered, marks, errors = (int(m.group(i)) for i in range(1, 5))
            want_marks = expected_marks(os.path.join(pages[kind], "report-data"))
            print(f"{kind}: charts={charts} rendered={rendered} marks={marks} (CSV rows {want_marks}) "
                  f"errors={errors}{m.group(5)}")
            check(charts == CHARTS[kind], f"{kind}: {CHARTS[kind]} charts, got {charts}")
            check(rendered == charts, f"{kind}: every chart rendered ({rendered}/{charts})")
            check(marks == want_marks, f"{kind}: {want_marks} marks (one per CSV row), got {marks}")
            check(errors == 0, f"{kind}: no errors: {m.group(5)}")
            check(os.path.isfile(shot), f"{kind}: screenshot {shot}")
            if os.path.isfile(shot):
                n = png_colours(shot)
                check(n >= 8, f"{kind}: the screenshot shows charts ({n} colours)")

print(f"browser test: {time.time() - start:.1f} s; screenshots in {outdir}")
print(f"{0 if failures else 1} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
