import { loadConfig } from '../config/config.js';
import { startServer } from '../main.js';

/** `mailroom serve`: runs the server until SIGTERM or SIGINT, then shuts down cleanly. */
export async function serve(): Promise<number> {
  const server = await startServer(loadConfig());
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      server.logger.info({ signal }, 'shutting down');
      server.close().then(() => resolve(0), (err: unknown) => {
        server.logger.error({ err }, 'error during shutdown');
        resolve(1);
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
