import type { ChildProcess } from 'node:child_process';

/** Polls an app's readiness endpoint until it answers 200; fails fast if the process dies. */
export async function waitReady(name: string, port: number, child: ChildProcess, timeoutMs = 60_000, path = '/health/ready'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}${path}`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} not ready on port ${port} after ${timeoutMs} ms`);
}

/** SIGTERM (graceful shutdown), then SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, graceMs).unref())]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
