/**
 * What `/proc` says about a sidecar process (Linux): which child of this
 * process listens on a port, its memory (VmRSS, VmHWM) and its open file
 * descriptors, and a parser for its `/metrics`. Shared by the hostile-HTTP and
 * load tests and the soak bench (the same way `bench/http_bench.ts` measures).
 *
 * @module
 */

/** The pid of the process listening on `port` among this process's children (the sidecar). */
export async function pidListeningOn(port: number): Promise<number> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await Deno.readTextFile(table).catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[1].endsWith(hex) && f[3] === "0A") inodes.add(f[9]); // 0A: LISTEN
    }
  }
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== Deno.pid) continue;
      for await (const fd of Deno.readDir(`/proc/${entry.name}/fd`)) {
        const link = await Deno.readLink(`/proc/${entry.name}/fd/${fd.name}`).catch(() => "");
        const m = /^socket:\[(\d+)\]$/.exec(link);
        if (m && inodes.has(m[1])) return Number(entry.name);
      }
    } catch {
      // gone, or not readable
    }
  }
  throw new Error(`no child process of ${Deno.pid} listens on port ${port}`);
}

/** VmRSS and VmHWM (peak) of a process, in KiB. */
export async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const text = await Deno.readTextFile(`/proc/${pid}/status`);
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  return { rss: field("VmRSS"), hwm: field("VmHWM") };
}

/** How many file descriptors a process has open. */
export async function openFds(pid: number): Promise<number> {
  let n = 0;
  for await (const _ of Deno.readDir(`/proc/${pid}/fd`)) n++;
  return n;
}

/** KiB as MiB with one decimal. */
export function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

/** Samples of a Prometheus text exposition: `name{labels}` → value. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m) out.set(m[1] + (m[2] ?? ""), Number(m[3]));
  }
  return out;
}

/** Nearest-rank percentile (p in 0..1); NaN for no samples. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** CPU time (user + system, all threads) a process has used, in seconds (clock ticks of 1/100 s, Linux's USER_HZ). */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the command: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The kernel's TCP state of this machine's connection from `localPort` to
 * `remotePort` (from /proc/net/tcp and tcp6): `ESTABLISHED`, `CLOSE_WAIT`
 * (the peer closed its side), another state name, or undefined once the
 * socket is gone (reset). Tells whether a server cut a client off without
 * the client reading (which would drain what is buffered).
 */
export async function tcpState(localPort: number, remotePort: number): Promise<string | undefined> {
  const names: Record<string, string> = {
    "01": "ESTABLISHED",
    "02": "SYN_SENT",
    "03": "SYN_RECV",
    "04": "FIN_WAIT1",
    "05": "FIN_WAIT2",
    "06": "TIME_WAIT",
    "07": "CLOSE",
    "08": "CLOSE_WAIT",
    "09": "LAST_ACK",
    "0A": "LISTEN",
    "0B": "CLOSING",
  };
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await Deno.readTextFile(table).catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 3 && f[1].endsWith(`:${hex(localPort)}`) && f[2].endsWith(`:${hex(remotePort)}`)) {
        return names[f[3]] ?? f[3];
      }
    }
  }
  return undefined;
}
