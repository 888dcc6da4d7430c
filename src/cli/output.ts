/** Where the CLI reads and writes; process streams in production, anything with the same shape in a test. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export const processIo: CliIo = { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

export type Row = readonly string[];

/**
 * Prints a command's result: the API's JSON with `--json` (for scripts), otherwise text for
 * people: aligned tables for lists, "key: value" lines for one object. Warnings go to stderr so
 * that stdout stays parseable.
 */
export class Output {
  constructor(private readonly io: CliIo, readonly json: boolean) {}

  /** Prints `value` as JSON with --json, otherwise runs `human`. */
  result(value: unknown, human: () => void): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value ?? null, null, 2)}\n`);
    else human();
  }

  line(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /** An aligned table with a header row; `empty` is printed instead when there are no rows. */
  table(headers: Row, rows: readonly Row[], empty: string): void {
    if (rows.length === 0) {
      this.line(empty);
      return;
    }
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const format = (row: Row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
    this.line(format(headers));
    for (const row of rows) this.line(format(row.map((cell) => cell.replace(/\s*\n\s*/g, ' '))));
  }

  /** "Key:   value" lines with the values aligned; continuation lines of a value are indented to match. */
  keyValues(pairs: readonly (readonly [string, string])[]): void {
    const width = Math.max(0, ...pairs.map(([key]) => key.length)) + 2;
    for (const [key, value] of pairs) {
      const [first = '', ...rest] = value.split('\n');
      this.line(`${`${key}:`.padEnd(width)}${first}`.trimEnd());
      for (const continuation of rest) this.line(`${' '.repeat(width)}${continuation}`.trimEnd());
    }
  }
}
