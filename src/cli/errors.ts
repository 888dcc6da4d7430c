/** An error the CLI reports as one line on stderr ("mailroom: <message>") with exit code 1. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
}

/** A refusal from the server: `message` is the problem document's `detail`. */
export class ApiError extends CliError {
  override readonly name = 'ApiError';
  constructor(message: string, readonly status: number, readonly problemType: string | undefined) {
    super(message);
  }
}
