// How much CPU other work on the machine took while a phase of the run went on: all busy CPU time
// (/proc/stat) minus the harness's own (itself, the processes it started and everything they
// waited for), so a busy machine is stated next to the numbers it disturbed.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const clockTicks = 100; // USER_HZ, as in processes.mjs

/** Busy CPU time of the whole machine in ms: user, nice, system, irq, softirq (not idle, iowait, steal). */
function machineBusyMs() {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const [user, nice, system, , , irq, softirq] = fields;
  return ((user + nice + system + irq + softirq) * 1000) / clockTicks;
}

/** A short, safe name for a process: its command, and for an interpreter the script it runs. */
function label(pid, comm) {
  let name = comm;
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const script = args.slice(1).find((arg) => !arg.startsWith('-'));
    if (/^(node|MainThread|python3?|sh|bash)$/.test(comm) && script)
      name = `${comm} ${path.basename(script)}`;
  } catch {
    // gone meanwhile
  }
  return name.replace(/[^\w .@/+-]/g, '').slice(0, 48);
}

/** Every process: parent, CPU (own and of reaped children) in ms, and a key that survives PID reuse. */
function processes() {
  const table = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (i) => (Number(f[i]) * 1000) / clockTicks;
      table.set(Number(entry), {
        ppid: Number(f[1]),
        comm,
        own: ms(11) + ms(12),
        reaped: ms(13) + ms(14),
        key: `${entry}:${f[19]}`,
      });
    } catch {
      // exited between readdir and read
    }
  }
  return table;
}

function ownTree(table) {
  const tree = new Set([process.pid]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const [pid, p] of table) {
      if (!tree.has(pid) && tree.has(p.ppid)) {
        tree.add(pid);
        grown = true;
      }
    }
  }
  return tree;
}

function sample() {
  const table = processes();
  const tree = ownTree(table);
  let ownMs = 0;
  const others = new Map();
  for (const [pid, p] of table) {
    if (tree.has(pid)) ownMs += p.own + p.reaped;
    else others.set(p.key, { pid, comm: p.comm, ms: p.own });
  }
  return { at: performance.now(), busyMs: machineBusyMs(), ownMs, others };
}

/**
 * Starts watching; `stop()` returns the CPU other work used meanwhile, in cores (1 = one core fully
 * busy on average) and as a share of all cores, with the busiest other processes still alive.
 */
export function watchOtherWork() {
  const start = sample();
  return {
    stop() {
      const end = sample();
      const seconds = (end.at - start.at) / 1000;
      const otherMs = Math.max(0, end.busyMs - start.busyMs - (end.ownMs - start.ownMs));
      const byLabel = new Map();
      for (const [key, p] of end.others) {
        const ms = p.ms - (start.others.get(key)?.ms ?? 0);
        if (ms <= 0) continue;
        const name = label(p.pid, p.comm);
        byLabel.set(name, (byLabel.get(name) ?? 0) + ms);
      }
      const top = [...byLabel]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([name, ms]) => ({ name, cpuSeconds: Number((ms / 1000).toFixed(1)) }));
      const cores = seconds > 0 ? otherMs / 1000 / seconds : 0;
      return {
        seconds: Number(seconds.toFixed(1)),
        cores: Number(cores.toFixed(2)),
        share: Number((cores / os.cpus().length).toFixed(3)),
        top,
      };
    },
  };
}
