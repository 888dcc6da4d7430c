import { spawn, spawnSync } from 'node:child_process';

/** Whether a program is on PATH (the real clients the tests drive come from Debian packages). */
export function commandAvailable(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs Python code with `input` as JSON on stdin and returns what it prints as JSON: how the tests
 * drive Python's smtplib and imaplib. Rejects with Python's stderr when it exits non-zero.
 */
export function runPython<T>(code: string, input: unknown = null, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', code], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code !== 0) reject(new Error(`python3 exited with ${code ?? signal}: ${stderr}`));
      else {
        try {
          resolve(JSON.parse(stdout) as T);
        } catch (error) {
          reject(new Error(`python3 printed no JSON (${String(error)}): ${stdout.slice(0, 500)}\n${stderr}`));
        }
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}
