import type { Migration, MigrationProvider } from 'kysely';
import * as directory from './0001-directory.js';
import * as mail from './0002-mail.js';
import * as submission from './0003-submission.js';
import * as outbound from './0004-outbound.js';
import * as recovery from './0005-recovery.js';
import * as fulltextPerBlob from './0006-fulltext-per-blob.js';
import * as calendar from './0007-calendar.js';
import * as imap from './0008-imap.js';
import * as blobHeaders from './0009-blob-headers.js';
import * as flagsIndex from './0010-flags-index.js';

/** Versioned migrations, applied in name order on both SQLite and PostgreSQL. */
const migrations: Record<string, Migration> = {
  '0001-directory': directory,
  '0002-mail': mail,
  '0003-submission': submission,
  '0004-outbound': outbound,
  '0005-recovery': recovery,
  '0006-fulltext-per-blob': fulltextPerBlob,
  '0007-calendar': calendar,
  '0008-imap': imap,
  '0009-blob-headers': blobHeaders,
  '0010-flags-index': flagsIndex,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
