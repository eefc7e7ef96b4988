#!/bin/bash
# compare.sh [RUNS]: Jit360 (interpreter and/or JIT), Hercules 3.13 and QEMU's s390x TCG (user mode),
# side by side in ONE run, on the four kernels of ../shared/bench, with the peer benchmarks' method:
#   guest MIPS = (I(N_big) - I(N0)) / (t(N_big) - t(N0))      (start-up cancels)
# The peers' own scripts use N0 = 1. Here N0 = N_big / 100 for every engine alike (BASE=1 gives the
# peers' N0 = 1): a baseline run of 1% of the work is long enough for each engine to reach its steady
# state before the measured part, so one-time costs cancel for all of them. It matters for the JIT,
# whose first translation (Reflection.Emit and the translator warming up, ~0.15 s of CPU) happens only
# once a loop has run ~16K times, which N = 1 of intloop, memkern or decimal never reaches. Translation
# cost is reported on its own (perf/README.md).
# I(N) is exact (the native -DCOUNT model, which verify.sh checks against Hercules' trace).
# t is measured by hyperfine; both wall time (min of the runs) and CPU time (mean user+sys)
# are reported; the ratios use CPU time, which other load on a shared host disturbs least.
# shared/ is never written: the benchmark sources are copied to a temporary directory.
# Writes the table to stdout and, with OUT=FILE, to FILE.
# Environment: SHARED (default ../shared beside the repository), ENGINES (Jit360 engines to time,
#   space-separated, e.g. "interp jit"; default $ENGINE, else interp),
#   SCALE (N_big = each peer's reference N_big x SCALE, default 0.25), KERNELS,
#   BASE (1: N0 = 1; default 100: N0 = N_big / 100), QEMU=0 to leave QEMU out. QEMU runs the same kernel binary wrapped in an ELF (build.sh's qemu.elf);
#   QEMU 7.2 lacks the decimal instructions, so decimal has no QEMU row.
set -euo pipefail
RUNS=${1:-5}
repo=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$repo/../shared}
ENGINES=${ENGINES:-${ENGINE:-interp}}
SCALE=${SCALE:-0.25}
KERNELS=${KERNELS:-intloop sieve memkern decimal}
QEMU=${QEMU:-1}
BASE=${BASE:-100}
for t in hyperfine hercules s390x-linux-gnu-as gcc python3 dotnet $([ "$QEMU" = 1 ] && echo qemu-s390x); do
  command -v $t >/dev/null || { echo "compare.sh: needs $t on PATH" >&2; exit 2; }
done
work=$(mktemp -d /tmp/jit360-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$SHARED/bench" "$work/bench"
rm -rf "$work/bench/build" "$work/bench/results"
bench=$work/bench
# run_hercules.sh's automatic operator (hao) thread can start after a short kernel has already
# reached its wait (seen under load: HHCCP011I issued before "HHCAO001I ... thread started"),
# and the run then hangs. A one-second pause before "start" lets the hao thread come up; it
# adds the same wall time to N=1 and N_big, so it cancels, and costs no CPU time.
# Even then Hercules 3.13's hao sometimes misses the message (seen here with the decimal
# kernel at N=1: the wait was reached, the trigger never fired); a "pause 60" then "quit" after
# "start" ends such a run after a minute instead of run_hercules.sh's 600 s timeout. Hercules
# sleeps in the wait, so such a run costs no CPU time; its wall time is an outlier that the
# minimum over the runs discards.
sed -i 's/^  echo "start"$/  echo "pause 1"; echo "start"; echo "pause 60"; echo "quit"/' "$bench/run_hercules.sh"
grep -q '"pause 1"; echo "start"; echo "pause 60"' "$bench/run_hercules.sh" || { echo "compare.sh: run_hercules.sh changed; update the hao workaround" >&2; exit 2; }

dotnet build "$repo/src/Jit360.Cli" -c Release -o "$work/jit360" -v q -nologo >/dev/null
jit360=$work/jit360/jit360
cat > "$work/s370.cnf" <<CNF
ARCHMODE S/370
MAINSIZE 16
NUMCPU 1
CNF

# Hercules' reference N_big (bench.sh: about 2-3 s each on the reference VM).
declare -A NBIG=([intloop]=55000 [sieve]=4000 [memkern]=250000 [decimal]=60000)
# QEMU's reference N_big (bench.sh); no decimal (QEMU 7.2 lacks it).
declare -A NBIG_QEMU=([intloop]=100000 [sieve]=8000 [memkern]=40000)
{
  echo "date: $(date -u +%FT%TZ)   host: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "dotnet: $(dotnet --version)   engines: $ENGINES   jit360.runtimeconfig.json: $(grep -o '"System[^"]*": *[a-z0-9]*' "$work/jit360/jit360.runtimeconfig.json" | tr -d '"' | tr '\n' ' ')"
  echo "environment: DOTNET_TieredPGO=${DOTNET_TieredPGO:-unset} DOTNET_TieredCompilation=${DOTNET_TieredCompilation:-unset} DOTNET_ReadyToRun=${DOTNET_ReadyToRun:-unset}"
  echo "hercules: $(dpkg-query -W -f='${Version}' hercules 2>/dev/null || echo unknown)"
  if [ "$QEMU" = 1 ]; then echo "qemu: $(qemu-s390x --version | sed -n 1p)"; fi
} > "$work/machine.txt"

for k in $KERNELS; do
  n=$(python3 -c "print(max(2, int(${NBIG[$k]} * $SCALE)))")
  n0=$(python3 -c "print(max(1, $n // $BASE))")
  for nn in $n0 $n; do
    (cd "$bench" && ./build.sh "$k" "$nn" >/dev/null)
    printf 'loadcore %s 0\npsw ia=800\nstart\n' "$bench/build/${k}_$nn/core.img" > "$work/${k}_$nn.rc"
  done
  echo "== $k N0=$n0 N_big=$n  (loadavg $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$work/hercules_$k.json" \
    -n "N=$n0" "$bench/run_hercules.sh $k $n0 time" -n "N=$n" "$bench/run_hercules.sh $k $n time" >/dev/null
  if [ "$QEMU" = 1 ] && [ -n "${NBIG_QEMU[$k]:-}" ]; then
    nq=$(python3 -c "print(max(2, int(${NBIG_QEMU[$k]} * $SCALE)))")
    nq0=$(python3 -c "print(max(1, $nq // $BASE))")
    for nn in $nq0 $nq; do (cd "$bench" && ./build.sh "$k" "$nn" >/dev/null); done
    hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$work/qemu_$k.json" \
      -n "N=$nq0" "qemu-s390x $bench/build/${k}_$nq0/qemu.elf" -n "N=$nq" "qemu-s390x $bench/build/${k}_$nq/qemu.elf" >/dev/null
  fi
  for engine in $ENGINES; do
    # Only a run that reaches the kernel's disabled wait is timed (a missing instruction family ends in a program-check loop).
    if ! "$jit360" run -f "$work/s370.cnf" -r "$work/${k}_$n0.rc" --engine "$engine" | grep -q "disabled wait state, PSW 00020000 0000DEAD"; then
      echo "jit360 --engine $engine does not complete $k (missing instructions?): not timed" >&2; continue
    fi
    hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$work/jit360-${engine}_$k.json" \
      -n "N=$n0" "$jit360 run -f $work/s370.cnf -r $work/${k}_$n0.rc --engine $engine" \
      -n "N=$n" "$jit360 run -f $work/s370.cnf -r $work/${k}_$n.rc --engine $engine" >/dev/null
  done
done
echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$work/machine.txt"
table=$(python3 "$repo/tools/bench/ratios.py" "$work" "$bench")
{ echo '```'; cat "$work/machine.txt"; echo '```'; echo; echo "$table"; } | tee "${OUT:-/dev/null}"
