import type { Command } from 'commander';
import type { RecipientView } from '../../admin/views.js';
import { segment } from '../api-client.js';
import type { Output } from '../output.js';
import { orDash } from '../render.js';
import type { CliRuntime } from '../runtime.js';

function printAddresses(out: Output, recipient: RecipientView): void {
  out.keyValues([
    ['Recipient', recipient.displayName],
    ['Primary address', recipient.primaryAddress],
    ['Other addresses', orDash(recipient.proxyAddresses.join(', '))],
  ]);
}

export function registerAddressCommands(program: Command, runtime: CliRuntime): void {
  const address = program.command('address').description('proxy addresses (aliases): more addresses that deliver to the same recipient');

  address.command('add').description('add a proxy address; it must be free and in an accepted domain')
    .argument('<recipient>', 'an address of the user, shared mailbox or group')
    .argument('<address>', 'the new address')
    .action(async (recipient: string, proxy: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const changed = await api.post<RecipientView>(`/recipients/${segment(recipient)}/addresses`, { address: proxy });
      out.result(changed, () => printAddresses(out, changed));
    }));

  address.command('remove').description('remove a proxy address (never the primary one)')
    .argument('<recipient>', 'an address of the user, shared mailbox or group')
    .argument('<address>', 'the proxy address to remove')
    .action(async (recipient: string, proxy: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const changed = await api.delete<RecipientView>(`/recipients/${segment(recipient)}/addresses/${segment(proxy)}`);
      out.result(changed, () => printAddresses(out, changed));
    }));
}
