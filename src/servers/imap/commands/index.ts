// The command registry: each command's handler, keyed by name (one file per command or family).
import type { ImapCommand } from '../../../protocol/imap/index.js';
import type { CommandHandler } from '../types.js';
import { append } from './append.js';
import { capability, check, enable, id, logout, namespace, noop } from './basic.js';
import { compress } from './compress.js';
import { deleteAcl, getAcl, listRights, myRights, setAcl } from './acl.js';
import { create, deleteFolder, rename } from './mailbox-admin.js';
import { getQuota, getQuotaRoot, setQuota } from './quota.js';
import { subscribe } from './subscribe.js';
import { copy, move } from './copy-move.js';
import { expunge } from './expunge.js';
import { fetch } from './fetch.js';
import { idle } from './idle.js';
import { list, lsub } from './list.js';
import { search } from './search.js';
import { close, select, unselect } from './select.js';
import { sort } from './sort.js';
import { authenticate, login, starttls } from './sign-in.js';
import { status } from './status.js';
import { store } from './store.js';
import { thread } from './thread.js';

type AnyHandler = CommandHandler<never>;

const handlers = new Map<string, AnyHandler>(Object.entries({
  CAPABILITY: capability,
  NOOP: noop,
  CHECK: check,
  LOGOUT: logout,
  ID: id,
  ENABLE: enable,
  NAMESPACE: namespace,
  STARTTLS: starttls,
  LOGIN: login,
  AUTHENTICATE: authenticate,
  SELECT: select,
  EXAMINE: select,
  CLOSE: close,
  UNSELECT: unselect,
  LIST: list,
  LSUB: lsub,
  STATUS: status,
  FETCH: fetch,
  SEARCH: search,
  SORT: sort,
  THREAD: thread,
  STORE: store,
  EXPUNGE: expunge,
  IDLE: idle,
  COMPRESS: compress,
  CREATE: create,
  DELETE: deleteFolder,
  RENAME: rename,
  SUBSCRIBE: subscribe,
  UNSUBSCRIBE: subscribe,
  GETACL: getAcl,
  SETACL: setAcl,
  DELETEACL: deleteAcl,
  LISTRIGHTS: listRights,
  MYRIGHTS: myRights,
  GETQUOTA: getQuota,
  GETQUOTAROOT: getQuotaRoot,
  SETQUOTA: setQuota,
  APPEND: append,
  COPY: copy,
  MOVE: move,
} satisfies Record<string, AnyHandler>));

/** Registers a handler (commands living in their own files add themselves here). */
export function handlerFor(name: ImapCommand['name']): CommandHandler | undefined {
  return handlers.get(name) as CommandHandler | undefined;
}
