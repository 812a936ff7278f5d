#!/usr/bin/env bash
# `loopsim energy` from the command line on our own example design: the four Accelergy-layout
# files exist and hold independently derived numbers, and --query prints one JSON object.
# usage: energy_cli.sh LOOPSIM SOURCE_DIR
set -euo pipefail
loopsim=$1
src=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$loopsim" energy "$src/arch-specs/eyeriss_like/arch.yaml" \
  "$src/arch-specs/components/smartbuffers.yaml" -o "$out"
for f in ERT.yaml ERT_summary.yaml ART.yaml ART_summary.yaml; do
  [[ -s $out/$f ]] || { echo "FAIL: $f missing"; exit 1; }
done
# LPDDR4 DRAM, 64 bits per access: 8 pJ/bit x 64 = 512 pJ (CACTI plug-in's per-bit energy).
grep -A3 'name: system_top_level.DRAM\[1..1\]' "$out/ERT_summary.yaml" | grep -q 'energy: 512$' \
  || { echo "FAIL: DRAM read is not 512 pJ"; cat "$out/ERT_summary.yaml"; exit 1; }
grep -q 'name: system_top_level.ifmap_spad\[1..168\]' "$out/ERT.yaml" \
  || { echo "FAIL: PE scratchpads are not named with their 168 instances"; exit 1; }
# Aladdin regfile 64 x 8 at 40 nm: 0.009*8 + 64*0.02947*6/32 = 0.42564 pJ; 887.84 um^2.
json=$("$loopsim" energy --query regfile depth=64 width=8 technology=40nm)
echo "$json"
[[ $json == '{"class":"regfile","estimator":"Aladdin_table","actions":{"read":0.42564,'* ]] \
  || { echo "FAIL: unexpected regfile estimate"; exit 1; }
[[ $json == *'"area_um2":887.84}' ]] || { echo "FAIL: unexpected regfile area"; exit 1; }
# A bad attribute is exit code 2 with the key named.
if "$loopsim" energy --query SRAM width=64 technology=45nm 2>"$out/err"; then
  echo "FAIL: a query without depth succeeded"; exit 1
fi
grep -q "depth: class 'SRAM': missing attribute 'depth'" "$out/err" || { cat "$out/err"; exit 1; }
# Attributes as expressions over variables: GLB depth = glb_depth * 2 = 4096, technology = tech.
"$loopsim" energy "$src/tests/estimate/variables.arch.yaml" -o "$out/vars"
want=$("$loopsim" energy --query SRAM depth=4096 width=64 datawidth=8 technology=45nm |
       sed 's/.*"read":\([0-9.e+-]*\),.*/\1/')
got=$(grep -A3 'name: system_top_level.GLB' "$out/vars/ERT_summary.yaml" | sed -n 's/ *energy: //p')
python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(a / b - 1) > 1e-8)" \
  "$got" "$want" || { echo "FAIL: GLB read $got, expected $want"; exit 1; }
# loopsim's DRAM types: HBM3 at 6.0 / 2.5 pJ/bit (Micron) x 64 bits = 153.6 pJ.
json=$("$loopsim" energy --query DRAM type=HBM3 width=64)
echo "$json"
[[ $json == '{"class":"DRAM","estimator":"loopsim_DRAM","actions":{"read":153.6,'* ]] \
  || { echo "FAIL: unexpected HBM3 estimate"; exit 1; }
# wire (Keckler et al. 2011, 40 nm: 310 pJ for 256 bits over 10 mm): 16 bits over 2 mm = 3.875 pJ.
json=$("$loopsim" energy --query wire length=2mm datawidth=16 technology=40nm)
echo "$json"
[[ $json == *'"transfer":3.875,'* && $json == *'"area_um2":0.0}' ]] \
  || { echo "FAIL: unexpected wire estimate"; exit 1; }
# An architecture's SRAM with n_rw_ports: 2 (the CACTI plug-in's name) loads and costs more
# per read than the same SRAM with one port.
sed '/depth: glb_depth/ s/datawidth: 8}/datawidth: 8, n_rw_ports: 2}/' \
  "$src/tests/estimate/variables.arch.yaml" > "$out/ports.arch.yaml"
grep -q 'n_rw_ports: 2' "$out/ports.arch.yaml" || { echo "FAIL: no 2-port GLB made"; exit 1; }
"$loopsim" energy "$out/ports.arch.yaml" -o "$out/ports"
two=$(grep -A3 'name: system_top_level.GLB' "$out/ports/ERT_summary.yaml" | sed -n 's/ *energy: //p')
python3 -c "import sys; sys.exit(not float(sys.argv[1]) > float(sys.argv[2]))" "$two" "$want" \
  || { echo "FAIL: 2-port GLB read $two is not above the 1-port $want"; exit 1; }
# Round trip: `loopsim model` with the ERT/ART that `loopsim energy` wrote gives the same
# energy as `loopsim model` estimating by itself (no ERT), and says where energies came from.
a="$src/arch-specs/eyeriss_like/arch.yaml"
w="$src/workloads/vgg16/conv3_2.yaml"
m="$src/mappings/eyeriss_like.vgg16-conv3_2.map.yaml"
"$loopsim" model -q "$a" "$out/ERT.yaml" "$out/ART.yaml" "$w" "$m" -o "$out/with-ert"
"$loopsim" model -q "$a" "$src/arch-specs/components/smartbuffers.yaml" "$w" "$m" -o "$out/no-ert"
e1=$(grep '^Energy:' "$out/with-ert/loopsim-model.stats.txt")
e2=$(grep '^Energy:' "$out/no-ert/loopsim-model.stats.txt")
[[ -n $e1 && $e1 == "$e2" ]] || { echo "FAIL: '$e1' (ERT written by loopsim energy) vs '$e2' (no ERT)"; exit 1; }
grep -q 'Vector access energy source *: loopsim estimate (CactiSRAM+Aladdin_table)' \
  "$out/no-ert/loopsim-model.stats.txt" || { echo "FAIL: stats do not name the estimator"; exit 1; }
grep -q 'Vector access energy source *: ERT' "$out/with-ert/loopsim-model.stats.txt" \
  || { echo "FAIL: stats with an ERT do not say ERT"; exit 1; }
echo "PASS"
