#!/usr/bin/env bash
# The model engine's checks that need a real GPU, as one command for a bare, offline GPU machine
# (the workplace's device tool). On this machine first:
#   npm ci && bash ../shared/gpu/pack.sh        # bundles node, node_modules and the Vulkan loader into .gpu/
# then on the GPU machine, from the project root, carrying .gpu:
#   bash .gpu/run.sh bash bench/gpu-check.sh     # results under $OUT (default ./gpu-check)
#
# In order, each step bounded so that the earlier results come back even if a later one is slow:
#   1. which EP `auto` picks and which Vulkan devices exist
#   2. node placement of the paper-shape training graph (every node should be on WebGPU) and
#      repeatability (same seed twice, and against the CPU EP)
#   3. training and forward throughput at every shape (targets: paper shape >= 100,000 training
#      tokens/s on one H100)
#   4. what is left of the time: the paper profile's reproduction on WebGPU, into $OUT/paper
set -uo pipefail
out=${OUT:-gpu-check}
mkdir -p "$out"
budget=${GPU_CHECK_SECONDS:-540}
check_shape=${GPU_CHECK_SHAPE:-paper}            # smaller ones for a dry run on a software device
bench_shapes=${GPU_CHECK_BENCH_SHAPES:-ci,laptop,paper}
start=$(date +%s)
left() { echo $(( budget - ($(date +%s) - start) )); }
bench() { timeout "$1" node node_modules/.bin/tsx bench/index.ts --json "${@:2}"; }

{ nvidia-smi 2>&1 || true; } > "$out/gpu.txt"
node node_modules/.bin/tsx -e "
  import('./src/runtime/execution-providers.ts').then(async (m) => {
    for (const ep of ['cuda', 'webgpu']) console.log(JSON.stringify(await m.probeExecutionProvider(ep)));
    console.log(JSON.stringify(await m.resolveExecutionProvider('auto')));
  });" > "$out/ep.jsonl" 2>&1
cat "$out/ep.jsonl"

bench 240 --only placement,repeat --shape "$check_shape" --ep webgpu --runs 5 2>"$out/checks.log" | tee "$out/checks.jsonl"
bench 180 --only train,forward --shape "$bench_shapes" --ep webgpu --runs 20 2>"$out/bench.log" | tee "$out/bench.jsonl"

if [ "$(left)" -gt 60 ]; then
  timeout "$(left)" node node_modules/.bin/tsx reproduce.ts --profile paper --ep webgpu --out "$out/paper" \
    > "$out/paper.log" 2>&1
  echo "reproduce --profile paper: exit $? after $(( $(date +%s) - start )) s (log in $out/paper.log)"
fi
tail -n 20 "$out/paper.log" 2>/dev/null
