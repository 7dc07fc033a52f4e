import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One `curl` a command ran: what came back. */
export interface CurlCall {
  status: number;
  body: string;
}

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Every curl the command ran, in order. */
  curls: CurlCall[];
}

// curl as a function: the command's own curl, with the status and the body kept for the test.
const CURL_RECORDER = `
curl() {
  local n
  n=$(( $(cat "$CURL_CALLS/count") + 1 ))
  echo "$n" > "$CURL_CALLS/count"
  command curl -sS -o "$CURL_CALLS/$n.body" -w '%{http_code}' "$@" > "$CURL_CALLS/$n.status"
  local code=$?
  cat "$CURL_CALLS/$n.body" 2>/dev/null
  return $code
}
set -o pipefail
`;

/**
 * One bash, as a user's terminal: commands typed one after another in `cwd`, so variables and
 * files one command leaves are there for the next.
 */
export class ShellSession {
  private runs = 0;
  private output = '';
  private readonly bash: ChildProcessWithoutNullStreams;
  private readonly calls: string;

  constructor(
    private readonly cwd: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.calls = join(cwd, '.curl-calls');
    mkdirSync(this.calls, { recursive: true });
    writeFileSync(join(this.calls, 'count'), '0');
    this.bash = spawn('bash', ['--noprofile', '--norc'], {
      cwd,
      env: { ...env, CURL_CALLS: this.calls },
      stdio: 'pipe',
    });
    this.bash.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.bash.stdin.write(CURL_RECORDER);
  }

  /** Runs `command` as typed; resolves once it ended, with its exit code and output. */
  async run(command: string, timeoutMs = 120_000): Promise<CommandRun> {
    const n = ++this.runs;
    const marker = `__command_${n}_ended`;
    const before = this.curlCount();
    const [out, err] = [join(this.calls, `run-${n}.out`), join(this.calls, `run-${n}.err`)];
    this.bash.stdin.write(`{\n${command}\n} >'${out}' 2>'${err}' </dev/null; echo "${marker} $?"\n`);
    const code = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.bash.stdout.off('data', check);
        reject(new Error(`the command did not end within ${timeoutMs} ms:\n${command}`));
      }, timeoutMs);
      const check = () => {
        const ended = new RegExp(`${marker} (\\d+)`).exec(this.output);
        if (!ended) return;
        clearTimeout(timer);
        this.bash.stdout.off('data', check);
        resolve(Number(ended[1]));
      };
      this.bash.stdout.on('data', check);
      check();
    });
    const curls: CurlCall[] = [];
    for (let k = before + 1; k <= this.curlCount(); k++) {
      // curl writes no body when it gets no answer, and status 000
      const body = join(this.calls, `${k}.body`);
      curls.push({
        status: Number(readFileSync(join(this.calls, `${k}.status`), 'utf8')),
        body: existsSync(body) ? readFileSync(body, 'utf8') : '',
      });
    }
    return { code, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8'), curls };
  }

  private curlCount(): number {
    return Number(readFileSync(join(this.calls, 'count'), 'utf8'));
  }

  close(): void {
    this.bash.stdin.end();
  }
}
