import type { Command } from 'commander';
import type { AcceptedDomain } from '../../directory/domains.js';
import { segment } from '../api-client.js';
import type { Output } from '../output.js';
import type { CliRuntime } from '../runtime.js';

function printDomains(out: Output, domains: readonly AcceptedDomain[]): void {
  out.table(['Domain', 'Default', 'Added'], domains.map((d) => [d.name, d.isDefault ? 'Default' : '', d.createdAt]), 'No accepted domains.');
}

export function registerDomainCommands(program: Command, runtime: CliRuntime): void {
  const domain = program.command('domain').description('accepted domains: the domains the organization receives mail for (Global Administrator)');

  domain.command('list').description('list the accepted domains; the default one is used for suggested addresses')
    .action(async (_options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const domains = await api.get<AcceptedDomain[]>('/domains');
      out.result(domains, () => printDomains(out, domains));
    }));

  domain.command('add').description('add an accepted domain')
    .argument('<domain>', 'domain name, e.g. fabrikam.com')
    .option('--default', 'make it the default domain')
    .action(async (name: string, options: { default?: true }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const added = await api.post<AcceptedDomain>('/domains', { name, default: options.default === true });
      out.result(added, () => out.line(`Added ${added.name}${added.isDefault ? ' (the default domain)' : ''}.`));
    }));

  domain.command('set-default').description('make an accepted domain the default')
    .argument('<domain>', 'an accepted domain')
    .action(async (name: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const domains = await api.post<AcceptedDomain[]>(`/domains/${segment(name)}/default`);
      out.result(domains, () => printDomains(out, domains));
    }));

  domain.command('remove').description('remove an accepted domain that no address uses (never the default one)')
    .argument('<domain>', 'an accepted domain')
    .action(async (name: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      await api.delete(`/domains/${segment(name)}`);
      out.result({ removed: name.toLowerCase() }, () => out.line(`Removed ${name.toLowerCase()}.`));
    }));
}
