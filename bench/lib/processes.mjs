// Every process the harness starts is tracked here and stopped by its PID (its own process group), also on failure.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const running = new Map();
const exits = new Map();
const clockTicks = 100; // USER_HZ: 100 on every Linux build Node supports

/**
 * Starts a long-running child in its own process group, logging its output to `logFile`, and
 * resolves once `ready` (a RegExp) matches its stdout; the first capture group is returned as `url`.
 */
export async function startProcess({ name, command, args, cwd, env, logFile, ready, timeoutMs = 60_000 }) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.set(child.pid, { name, child });
  const log = createWriteStream(logFile);
  let stdout = '';
  let tail = '';
  const remember = (chunk) => {
    log.write(chunk);
    tail = (tail + chunk).slice(-4000);
  };
  child.stderr.on('data', remember);
  return new Promise((resolve, reject) => {
    const fail = (reason) => {
      clearTimeout(timer);
      stopProcess(child.pid);
      reject(new Error(`${name} did not start: ${reason}\n--- last output ---\n${tail}`));
    };
    const timer = setTimeout(() => fail(`no "ready" line within ${timeoutMs} ms`), timeoutMs);
    child.on('error', (error) => fail(error.message));
    child.on('exit', (code, signal) => {
      running.delete(child.pid);
      fail(`exited (code ${code}, signal ${signal})`);
    });
    child.stdout.on('data', (chunk) => {
      remember(chunk);
      if (stdout === null) return;
      stdout += chunk;
      const match = ready.exec(stdout);
      if (match) {
        stdout = null;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.on('exit', (code, signal) => {
          running.delete(child.pid);
          exits.set(child.pid, { code, signal, output: tail });
        });
        resolve({ name, pid: child.pid, url: match[1], logFile });
      }
    });
  });
}

/** How a started server ended, if it exited before the harness stopped it. */
export function exitOf(pid) {
  return exits.get(pid);
}

/** Runs a command to completion in its own process group (tracked, so an interrupt stops it too). */
export function runProcess(command, args, { cwd, env, quiet = false } = {}) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.set(child.pid, { name: command, child });
  let output = '';
  const collect = (chunk) => {
    output += chunk;
    if (!quiet) process.stdout.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child.pid);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${output.slice(-4000)}`));
    });
  });
}

/** Stops one started process: SIGTERM to its group, SIGKILL after a grace period. */
export async function stopProcess(pid, graceMs = 5000) {
  const entry = running.get(pid);
  if (!entry) return;
  const exited = new Promise((resolve) => entry.child.once('exit', resolve));
  const signal = (sig) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!stopped) {
    signal('SIGKILL');
    await Promise.race([exited, sleep(2000)]);
  }
  running.delete(pid);
}

export async function stopAll() {
  await Promise.all([...running.keys()].map((pid) => stopProcess(pid)));
}

/** utime + stime of a process in milliseconds (from /proc/<pid>/stat). */
export function cpuMillis(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

/** Peak and current resident set size in MiB (VmHWM / VmRSS from /proc/<pid>/status). */
export function memoryMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { peakRss: kib('VmHWM') / 1024, rss: kib('VmRSS') / 1024 };
}
