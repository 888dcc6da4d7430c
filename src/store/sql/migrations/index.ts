import type { Migration, MigrationProvider } from 'kysely';
import * as directory from './0001-directory.js';
import * as mail from './0002-mail.js';
import * as submission from './0003-submission.js';
import * as outbound from './0004-outbound.js';

/** Versioned migrations, applied in name order on both SQLite and PostgreSQL. */
const migrations: Record<string, Migration> = {
  '0001-directory': directory,
  '0002-mail': mail,
  '0003-submission': submission,
  '0004-outbound': outbound,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
