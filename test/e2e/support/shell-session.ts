import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const DONE = '__shell_session_done__';

/**
 * One bash, as in a reader's terminal: variables a command sets (`TOKEN=$(...)`, `export ...`) stay set for the
 * next. Each command's own output goes to files, so bash's stdout carries only the end-of-command markers.
 */
export class ShellSession {
  private readonly bash: ChildProcessWithoutNullStreams;
  private readonly outputDir = mkdtempSync(join(tmpdir(), 'shell-session-'));
  private readonly markers: AsyncIterator<string>;
  private count = 0;

  constructor(options: { cwd: string; env: NodeJS.ProcessEnv }) {
    // Its own process group, so close() also ends a command still running (a curl waiting on a dead port).
    this.bash = spawn('bash', ['--noprofile', '--norc'], { ...options, detached: true });
    this.bash.stderr.resume();
    this.markers = createInterface({ input: this.bash.stdout })[Symbol.asyncIterator]();
  }

  /** Runs one command (refusing text bash cannot parse, which would leave the session waiting for the rest). */
  async run(command: string): Promise<CommandResult> {
    const syntax = spawnSync('bash', ['-n', '-c', command], { encoding: 'utf8' });
    if (syntax.status !== 0) return { status: 2, stdout: '', stderr: syntax.stderr };
    const name = join(this.outputDir, String(++this.count));
    // Braces, not a subshell: assignments survive. stdin is not the session's, or a command could read the script.
    this.bash.stdin.write(`{\n${command}\n} >'${name}.out' 2>'${name}.err' </dev/null\necho "${DONE} $?"\n`);
    const status = await this.nextMarker();
    return {
      status,
      stdout: readFileSync(`${name}.out`, 'utf8'),
      stderr: readFileSync(`${name}.err`, 'utf8'),
    };
  }

  /** Sets a shell variable, as a reader pastes a value they were given. */
  async set(name: string, value: string): Promise<void> {
    const quoted = `'${value.replace(/'/g, `'\\''`)}'`;
    const { status, stderr } = await this.run(`${name}=${quoted}`);
    if (status !== 0) throw new Error(`could not set ${name}: ${stderr}`);
  }

  close(): void {
    if (this.bash.exitCode === null && this.bash.pid !== undefined) process.kill(-this.bash.pid, 'SIGKILL');
    rmSync(this.outputDir, { recursive: true, force: true });
  }

  private async nextMarker(): Promise<number> {
    for (;;) {
      const { value, done } = await this.markers.next();
      if (done) throw new Error(`bash exited (${String(this.bash.exitCode)}) before the command ended`);
      const match = new RegExp(`^${DONE} (\\d+)$`).exec(String(value));
      if (match) return Number(match[1]);
    }
  }
}
