#!/usr/bin/env python3
"""ratios.py WORKDIR BENCHDIR: turns compare.sh's hyperfine JSON (WORKDIR/<engine>_<kernel>.json,
each with an N=1 and an N=N_big run) into a Markdown table of guest MIPS and Jit360/Hercules
ratios. MIPS = (I(N_big) - I(1)) / (t(N_big) - t(1)); I(N) from BENCHDIR/build/native_<k>_count N.
t is either the fastest wall time (min) or the mean CPU time (user + system)."""
import json, os, subprocess, sys
work, bench = sys.argv[1], sys.argv[2]

def icount(k, n):
    r = subprocess.run([f'{bench}/build/native_{k}_count', str(n)], capture_output=True, text=True, check=True)
    return int(r.stderr.strip().split('=')[1])

target = {'intloop': 1.0, 'sieve': 1.0, 'memkern': 0.5, 'decimal': 0.5}
rows, mips = [], {}
for k in ['intloop', 'sieve', 'memkern', 'decimal']:
    for eng in ['hercules', 'jit360']:
        f = os.path.join(work, f'{eng}_{k}.json')
        if not os.path.exists(f):
            continue
        r1, rn = json.load(open(f))['results']
        n = int(rn['command'].split('=')[1])
        d_i = icount(k, n) - icount(k, 1)
        cpu = lambda r: r['user'] + r['system']
        m_wall = d_i / (rn['min'] - r1['min']) / 1e6
        m_cpu = d_i / (cpu(rn) - cpu(r1)) / 1e6
        mips[(eng, k)] = (m_wall, m_cpu)
        rows.append(f"| {k} | {eng} | {n} | {d_i:,} | {r1['min']:.3f} | {rn['min']:.3f} | {cpu(r1):.3f} | {cpu(rn):.3f} | {m_wall:,.0f} | {m_cpu:,.0f} |")
print('| kernel | engine | N_big | guest instr (N_big-1) | t(1) wall min s | t(N_big) wall min s | t(1) cpu s | t(N_big) cpu s | MIPS (wall) | MIPS (cpu) |')
print('|---|---|---|---|---|---|---|---|---|---|')
print('\n'.join(rows))
print()
print('| kernel | Jit360/Hercules (cpu) | Jit360/Hercules (wall) | target |')
print('|---|---|---|---|')
for k in ['intloop', 'sieve', 'memkern', 'decimal']:
    h, j = mips.get(('hercules', k)), mips.get(('jit360', k))
    if not h or not j:
        print(f'| {k} | n/a | n/a | {target[k]}x |'); continue
    rc, rw = j[1] / h[1], j[0] / h[0]
    print(f'| {k} | {rc:.2f}x {"(met)" if rc >= target[k] else "(NOT met)"} | {rw:.2f}x | {target[k]}x |')
