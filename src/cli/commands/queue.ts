import type { Command } from 'commander';
import type { QueueItemView } from '../../admin/queue.js';
import { formatSize } from '../../core/sizes.js';
import { segment } from '../api-client.js';
import type { Output } from '../output.js';
import { positiveInteger } from '../parsers.js';
import type { CliRuntime } from '../runtime.js';

const senderText = (mailFrom: string): string => (mailFrom === '' ? '<>' : mailFrom);

function printItem(out: Output, item: QueueItemView): void {
  out.keyValues([
    ['Id', item.id],
    ['From', senderText(item.mailFrom)],
    ['To', item.recipient],
    ['Size', formatSize(item.size)],
    ['Attempts', String(item.attempts)],
    ['Queued', item.queuedAt],
    ['Next attempt', item.inFlight ? 'now (being delivered)' : item.nextAttemptAt],
    ['Expires', item.expiresAt],
    ['Last error', item.lastError ?? '-'],
  ]);
}

export function registerQueueCommands(program: Command, runtime: CliRuntime): void {
  const queue = program.command('queue').description('the outbound queue: mail waiting for a remote server (Global Administrator)');

  queue.command('list').description('queued messages, oldest first: one line per remote recipient')
    .option('--limit <n>', 'at most this many entries (default 1000)', positiveInteger(10000))
    .action(async (options: { limit?: number }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const items = await api.get<QueueItemView[]>('/queue', { limit: options.limit });
      out.result(items, () => out.table(
        ['Id', 'From', 'To', 'Size', 'Attempts', 'Next attempt', 'Last error'],
        items.map((i) => [i.id, senderText(i.mailFrom), i.recipient, formatSize(i.size), String(i.attempts), i.inFlight ? 'now' : i.nextAttemptAt, i.lastError ?? '-']),
        'The queue is empty.',
      ));
    }));

  queue.command('retry').description('try to deliver a queued message now')
    .argument('<id>', 'the entry id, as "queue list" shows it')
    .action(async (id: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const item = await api.post<QueueItemView>(`/queue/${segment(id)}/retry`);
      out.result(item, () => printItem(out, item));
    }));

  queue.command('remove').description("remove a queued message; its sender isn't told")
    .argument('<id>', 'the entry id, as "queue list" shows it')
    .action(async (id: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      await api.delete(`/queue/${segment(id)}`);
      out.result({ removed: id }, () => out.line(`Removed ${id} from the queue.`));
    }));
}
