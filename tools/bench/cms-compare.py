#!/usr/bin/env python3
"""cms-compare.py [--runs N] [--commands N] [--engines "interp jit"] [--out FILE]

Real VM/370 R6 CMS under Jit360's CP and under emx370 (a Java CP that runs the same CMS), side by
side in ONE run, driven the same way: a telnet client (line mode, 3215) logs on, CMS is IPLed by the
user's directory entry / logon script, the client answers CMS's first read with an empty line, and
the time to `Ready;` is taken; then it sends `STATE STDIO H A` N times, each waiting for `Ready;`.
Both systems get the same CMS (the saved systems CMS and CMSSEG), the same A-disk (GCCCMS 201) and
the same D-disk (CMSUSER 192, MECAFF).

Reported per system: LOGON-to-Ready wall time, commands per second (wall), and the CPU time the
server process used (user + system, from /proc/PID/stat) for the logon and per command: CPU time is
what other load on a shared host disturbs least. Each run starts a fresh server (a cold JVM for
emx370, a cold .NET process for Jit360); the best of the runs is shown.

Needs: dotnet, java (17), python3, ../shared/guests/vm370r6-cms, and emx370: EMX370=a checkout of
github.com/devhawala/emx370 or its bare git directory (its sample-system/ holds emx370.jar, the
segments and the CKDC minidisks). ../shared is never written; everything runs in a temporary folder.
"""
import argparse, gzip, os, shutil, socket, subprocess, sys, tempfile, time

repo = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument('--runs', type=int, default=3)
ap.add_argument('--commands', type=int, default=200)
ap.add_argument('--engines', default='interp jit')
ap.add_argument('--out')
args = ap.parse_args()
shared = os.environ.get('SHARED', os.path.join(repo, '..', 'shared'))
guest = os.path.join(shared, 'guests', 'vm370r6-cms')
emx = os.environ.get('EMX370')
for tool in ['dotnet', 'java']:
    if not shutil.which(tool): sys.exit(f'cms-compare.py: needs {tool} on PATH')
if not os.path.isdir(guest): sys.exit(f'cms-compare.py: needs {guest}')
if not emx or not os.path.isdir(emx): sys.exit('cms-compare.py: set EMX370 to a checkout (or bare git directory) of devhawala/emx370')
TICK = os.sysconf('SC_CLK_TCK')
work = tempfile.mkdtemp(prefix='jit360-cms-compare.')

def emx_file(path):
    """A file of emx370's sample-system/, from a checkout or from its git objects."""
    full = os.path.join(emx, 'sample-system', path)
    if os.path.exists(full): return open(full, 'rb').read()
    r = subprocess.run(['git', '--git-dir', emx, 'show', f'HEAD:sample-system/{path}'], capture_output=True)
    if r.returncode != 0: sys.exit(f'cms-compare.py: emx370 sample-system/{path}: {r.stderr.decode().strip()}')
    return r.stdout

# ---------------------------------------------------------------- a telnet client (line mode)
IAC, SB, SE, WILL, WONT, DO, DONT = 255, 250, 240, 251, 252, 253, 254

class Terminal:
    """Refuses every telnet option (so both servers choose a line-mode 3215) and collects text."""
    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=30)
        self.raw, self.text = b'', ''

    def _pump(self, timeout):
        self.sock.settimeout(timeout)
        try: data = self.sock.recv(65536)
        except socket.timeout: return
        if not data: raise EOFError('the server closed the connection:\n' + self.text[-2000:])
        b, i, out = self.raw + data, 0, bytearray()
        while i < len(b):
            if b[i] != IAC: out.append(b[i]); i += 1; continue
            if i + 1 >= len(b): break
            c = b[i + 1]
            if c in (DO, DONT, WILL, WONT):
                if i + 2 >= len(b): break
                if c == DO: self.sock.sendall(bytes([IAC, WONT, b[i + 2]]))
                if c == WILL: self.sock.sendall(bytes([IAC, DONT, b[i + 2]]))
                i += 3
            elif c == SB:
                j = b.find(bytes([IAC, SE]), i)
                if j < 0: break
                i = j + 2
            else:
                if c == IAC: out.append(IAC)
                i += 2
        self.raw = b[i:]
        self.text += out.decode('latin-1')

    def wait(self, pattern, timeout=60):
        end = time.time() + timeout
        while (at := self.text.find(pattern)) < 0:
            if time.time() > end: raise TimeoutError(f'"{pattern}" did not come; last output:\n{self.text[-2000:]}')
            self._pump(0.2)
        self.text = self.text[at + len(pattern):]

    def send(self, line): self.sock.sendall(line.encode('latin-1') + b'\r\n')

def cpu_seconds(pid):
    with open(f'/proc/{pid}/stat') as f: fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK    # utime + stime

def session(port, pid, logon, prompt):
    """LOGON, answer CMS's first read, Ready;, then N commands. Returns wall and CPU seconds."""
    t = Terminal(port)
    if prompt: t.wait(prompt)      # emx370 drops a line typed before its read prompt
    c0, w0 = cpu_seconds(pid), time.perf_counter()
    t.send(logon)
    t.wait('CMS VERSION 6.0')
    if prompt: t.wait(prompt)
    t.send('')
    t.wait('Ready;')
    logon_wall, logon_cpu = time.perf_counter() - w0, cpu_seconds(pid) - c0
    if prompt: t.wait(prompt)
    c0, w0 = cpu_seconds(pid), time.perf_counter()
    for _ in range(args.commands):
        t.send('STATE STDIO H A')
        t.wait('Ready;', 30)
        if prompt: t.wait(prompt)
    return logon_wall, logon_cpu, time.perf_counter() - w0, cpu_seconds(pid) - c0

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def wait_listening(port, proc, log):
    end = time.time() + 120
    while time.time() < end:
        if proc.poll() is not None: sys.exit(f'cms-compare.py: the server ended:\n{open(log).read()[-3000:]}')
        try: socket.create_connection(('127.0.0.1', port), timeout=1).close(); return
        except OSError: time.sleep(0.2)
    sys.exit('cms-compare.py: the server never listened')

# ---------------------------------------------------------------- Jit360
def setup_jit360():
    d = os.path.join(work, 'jit360'); os.makedirs(d)
    subprocess.run(['dotnet', 'build', os.path.join(repo, 'src', 'Jit360.Cli'), '-c', 'Release', '-o', os.path.join(d, 'bin'), '-v', 'q', '-nologo'],
                   check=True, stdout=subprocess.DEVNULL)
    for disk in ['gcccms_201', 'cmsuser_192']:
        with gzip.open(os.path.join(guest, 'disks', disk + '.ckd.gz')) as src, open(os.path.join(d, disk + '.ckd'), 'wb') as dst:
            shutil.copyfileobj(src, dst)
    with open(os.path.join(d, 'cp.cnf'), 'w') as f:
        f.write('ARCHMODE S/370\nMAINSIZE 16\n0201 3350 gcccms_201.ckd\n0192 3350 cmsuser_192.ckd\n')
    with open(os.path.join(d, 'user.direct'), 'w') as f:
        f.write('DIRECTORY 6A1 3350 VM50-1\nUSER CMSUSER CMSUSER 15M 16M G\n IPL CMS\n CONSOLE 009 3215\n'
                ' MDISK 191 3350 000 001 GCC201 MR\n MDISK 192 3350 000 115 CMS192 MR\n')
    return d

def run_jit360(d, engine):
    port = free_port()
    log = os.path.join(d, f'cp-{engine}.log')
    cmd = [os.path.join(d, 'bin', 'jit360'), 'cp', '-f', 'cp.cnf', '-d', 'user.direct', '--engine', engine, '--port', str(port),
           '--system', f'CMS={guest}/CMS.segment', '--segment', f'CMSSEG={guest}/CMSSEG.segment@3840']
    with open(log, 'w') as out:
        proc = subprocess.Popen(cmd, cwd=d, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_listening(port, proc, log)
        return session(port, proc.pid, 'LOGON CMSUSER CMSUSER', None)
    finally:
        proc.kill(); proc.wait()

# ---------------------------------------------------------------- emx370
def setup_emx370():
    d = os.path.join(work, 'emx370'); os.makedirs(os.path.join(d, 'd'))
    for f in ['emx370.jar', 'cp_shared/CMS.segment', 'cp_shared/CMSSEG.segment', 'cp_shared/gcccms_201.ckdc',
              'cp_cmsuser/cmsuser_192.ckdc', 'cp_cmsuser/cmsuser_192.ckdc.delta']:
        open(os.path.join(d, 'd', os.path.basename(f)), 'wb').write(emx_file(f))
    open(os.path.join(d, 'emx370.script'), 'w').write('# no shared minidisks\n')
    open(os.path.join(d, 'cmsuser.logonscript'), 'w').write(
        ':segment CMS IPL 33 0 d/CMS.segment\n:segment CMSSEG 16 3840 d/CMSSEG.segment\n'
        ':dasdload 191 d/gcccms_201.ckdc\n:dasdload 192 d/cmsuser_192.ckdc\n:ipl cms\n')
    return d

def run_emx370(d):
    # emx370 listens on its fixed port 3278; its own start script's JVM options.
    log = os.path.join(d, 'emx370.log')
    with open(log, 'w') as out:
        proc = subprocess.Popen(['java', '-cp', 'd/emx370.jar', '-XX:-DontCompileHugeMethods', '-Xmx1024m', '-Xms512m', 'dev.hawala.vm370.Emx370'],
                                cwd=d, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_listening(3278, proc, log)
        return session(3278, proc.pid, 'LOGON CMSUSER', 'read > ')
    finally:
        proc.kill(); proc.wait()

# ---------------------------------------------------------------- the run
systems = [(f'Jit360 {e}', (lambda e=e: run_jit360(jd, e))) for e in args.engines.split()] + [('emx370', lambda: run_emx370(ed))]
head = [f'date: {time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}   host: {os.cpu_count()} CPUs   loadavg at start: {open("/proc/loadavg").read().split()[:3]}',
        f'java: {subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]}   dotnet: {subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()}',
        f'workload: LOGON, IPL CMS, answer the first read, Ready;, then {args.commands} x STATE STDIO H A; best of {args.runs} runs, a fresh server each']
try:
    jd, ed = setup_jit360(), setup_emx370()
    results = {}
    for run in range(args.runs):
        for name, fn in systems:
            r = fn()
            print(f'run {run + 1} {name}: LOGON to Ready; {r[0]:.3f} s ({r[1]:.2f} s CPU), {args.commands} commands {r[2]:.3f} s ({r[3]:.2f} s CPU)', file=sys.stderr)
            results.setdefault(name, []).append(r)
    head.append(f'loadavg at end: {open("/proc/loadavg").read().split()[:3]}')
    rows = ['| system | LOGON to `Ready;` (wall) | its CPU time | commands/s (wall) | CPU ms per command |', '|---|---|---|---|---|']
    best = {}
    for name, rs in results.items():
        lw, lc = min(r[0] for r in rs), min(r[1] for r in rs)
        cw, cc = min(r[2] for r in rs), min(r[3] for r in rs)
        best[name] = (lw, lc, cw, cc)
        rows.append(f'| {name} | {lw:.3f} s | {lc:.2f} s | {args.commands / cw:,.0f} | {1000 * cc / args.commands:.2f} |')
    e = best.get('emx370')
    # Ratios are emx370's time over Jit360's: above 1, Jit360 is faster.
    ratios = ['', '| system | LOGON to `Ready;` wall: emx370 / Jit360 | commands wall: emx370 / Jit360 | command CPU: emx370 / Jit360 |', '|---|---|---|---|']
    for name, b in best.items():
        if name == 'emx370' or not e: continue
        cpu = f'{e[3] / b[3]:.2f}x' if b[3] > 0 else 'below the clock tick'
        ratios.append(f'| {name} | {e[0] / b[0]:.2f}x | {e[2] / b[2]:.2f}x | {cpu} |')
    text = '```\n' + '\n'.join(head) + '\n```\n\n' + '\n'.join(rows + ratios) + '\n'
    print(text)
    if args.out: open(args.out, 'w').write(text)
finally:
    shutil.rmtree(work, ignore_errors=True)
