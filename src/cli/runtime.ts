import type { Command } from 'commander';
import { openApiClient, type ApiClient } from './api-client.js';
import { Output, type CliIo } from './output.js';

/** What a command's body gets: an API client signed in for this invocation, and the printer. */
export interface CommandContext {
  readonly api: ApiClient;
  readonly out: Output;
  readonly io: CliIo;
}

/** Shared by every command module: builds the context from the environment and cleans up after. */
export class CliRuntime {
  constructor(readonly io: CliIo) {}

  output(command: Command): Output {
    return new Output(this.io, command.optsWithGlobals<{ json?: boolean }>().json === true);
  }

  async run(command: Command, body: (ctx: CommandContext) => Promise<void>): Promise<void> {
    const out = this.output(command);
    const api = await openApiClient(this.io.env);
    try {
      await body({ api, out, io: this.io });
    } finally {
      await api.close();
    }
  }
}
