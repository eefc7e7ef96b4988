#!/usr/bin/env python3
"""ratios.py WORKDIR BENCHDIR: turns compare.sh's hyperfine JSON (WORKDIR/hercules_<kernel>.json, qemu_<kernel>.json and
WORKDIR/jit360-<engine>_<kernel>.json, each with an N=1 and an N=N_big run) into a Markdown table of
guest MIPS, Jit360/Hercules ratios per engine, and JIT/interpreter and JIT/QEMU ratios when those were timed. MIPS = (I(N_big) - I(N0)) / (t(N_big) - t(N0)); I(N) from BENCHDIR/build/native_<k>_count N.
t is either the fastest wall time (min) or the mean CPU time (user + system)."""
import json, os, subprocess, sys
work, bench = sys.argv[1], sys.argv[2]

def icount(k, n):
    r = subprocess.run([f'{bench}/build/native_{k}_count', str(n)], capture_output=True, text=True, check=True)
    return int(r.stderr.strip().split('=')[1])

# Targets: interpreter issue 9, JIT issue (x Hercules; and JIT/interpreter on intloop and sieve).
targets = {'jit360-interp': {'intloop': 1.0, 'sieve': 1.0, 'memkern': 0.5, 'decimal': 0.5},
           'jit360-jit': {'intloop': 8.0, 'sieve': 5.0, 'memkern': 3.0, 'decimal': 5.0}}
jit_over_interp = {'intloop': 5.0, 'sieve': 5.0}
jit_over_qemu = {'intloop': 2.0, 'sieve': 2.0}
engines = sorted({f.split('_')[0] for f in os.listdir(work) if f.startswith('jit360-') and f.endswith('.json')})
rows, mips = [], {}
for k in ['intloop', 'sieve', 'memkern', 'decimal']:
    for eng in ['hercules', 'qemu'] + engines:
        f = os.path.join(work, f'{eng}_{k}.json')
        if not os.path.exists(f):
            continue
        r1, rn = json.load(open(f))['results']
        n0, n = int(r1['command'].split('=')[1]), int(rn['command'].split('=')[1])
        d_i = icount(k, n) - icount(k, n0)
        cpu = lambda r: r['user'] + r['system']
        m_wall = d_i / (rn['min'] - r1['min']) / 1e6
        m_cpu = d_i / (cpu(rn) - cpu(r1)) / 1e6
        mips[(eng, k)] = (m_wall, m_cpu)
        rows.append(f"| {k} | {eng} | {n0} | {n} | {d_i:,} | {r1['min']:.3f} | {rn['min']:.3f} | {cpu(r1):.3f} | {cpu(rn):.3f} | {m_wall:,.0f} | {m_cpu:,.0f} |")
print('| kernel | engine | N0 | N_big | guest instr I(N_big)-I(N0) | t(N0) wall min s | t(N_big) wall min s | t(N0) cpu s | t(N_big) cpu s | MIPS (wall) | MIPS (cpu) |')
print('|---|---|---|---|---|---|---|---|---|---|---|')
print('\n'.join(rows))
print()
for eng in engines:
    print(f'| kernel | {eng}/Hercules (cpu) | {eng}/Hercules (wall) | target |')
    print('|---|---|---|---|')
    target = targets.get(eng, {})
    for k in ['intloop', 'sieve', 'memkern', 'decimal']:
        h, j = mips.get(('hercules', k)), mips.get((eng, k))
        t = target.get(k)
        if not h or not j:
            print(f'| {k} | n/a | n/a | {t}x |'); continue
        rc, rw = j[1] / h[1], j[0] / h[0]
        met = '' if t is None else ' (met)' if rc >= t else ' (NOT met)'
        print(f'| {k} | {rc:.2f}x{met} | {rw:.2f}x | {t}x |')
    print()
if 'jit360-jit' in engines and 'jit360-interp' in engines:
    print('| kernel | JIT/interpreter (cpu) | JIT/interpreter (wall) | target |')
    print('|---|---|---|---|')
    for k in ['intloop', 'sieve', 'memkern', 'decimal']:
        i, j = mips.get(('jit360-interp', k)), mips.get(('jit360-jit', k))
        t = jit_over_interp.get(k)
        if not i or not j:
            print(f'| {k} | n/a | n/a | {t or "-"} |'); continue
        rc, rw = j[1] / i[1], j[0] / i[0]
        met = '' if t is None else ' (met)' if rc >= t else ' (NOT met)'
        print(f'| {k} | {rc:.2f}x{met} | {rw:.2f}x | {f"{t}x" if t else "-"} |')

if 'jit360-jit' in engines and any(e == 'qemu' for e, _ in mips):
    print()
    print('| kernel | JIT/QEMU TCG (cpu) | JIT/QEMU TCG (wall) | target |')
    print('|---|---|---|---|')
    for k in ['intloop', 'sieve', 'memkern', 'decimal']:
        q, j = mips.get(('qemu', k)), mips.get(('jit360-jit', k))
        t = jit_over_qemu.get(k)
        if not q or not j:
            print(f'| {k} | n/a | n/a | {f"{t}x" if t else "-"} |'); continue
        rc, rw = j[1] / q[1], j[0] / q[0]
        met = '' if t is None else ' (met)' if rc >= t else ' (NOT met)'
        print(f'| {k} | {rc:.2f}x{met} | {rw:.2f}x | {f"{t}x" if t else "-"} |')
