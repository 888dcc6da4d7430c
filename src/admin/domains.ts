import { addDomain, listDomains, removeDomain, setDefaultDomain, type AcceptedDomain } from '../directory/domains.js';
import { changeAudited, requireAdmin, type AdminContext } from './context.js';

export async function listAcceptedDomains(ctx: AdminContext): Promise<AcceptedDomain[]> {
  // Exchange Administrators may read the domains (they pick addresses in them) but not change them.
  requireAdmin(ctx.actor, 'recipients');
  return listDomains(ctx.db);
}

export async function addAcceptedDomain(ctx: AdminContext, name: string, makeDefault = false): Promise<AcceptedDomain> {
  requireAdmin(ctx.actor, 'organization');
  return changeAudited(ctx, async (tx, audit) => {
    const domain = await addDomain(tx, name, makeDefault);
    await audit({ action: 'domain.add', target: domain.name, after: domain });
    return domain;
  });
}

export async function setDefaultAcceptedDomain(ctx: AdminContext, name: string): Promise<AcceptedDomain[]> {
  requireAdmin(ctx.actor, 'organization');
  return changeAudited(ctx, async (tx, audit) => {
    const before = (await listDomains(tx)).find((d) => d.isDefault)?.name ?? null;
    await setDefaultDomain(tx, name);
    const domains = await listDomains(tx);
    await audit({ action: 'domain.set-default', target: name.toLowerCase(), before: { default: before }, after: { default: domains.find((d) => d.isDefault)?.name } });
    return domains;
  });
}

export async function removeAcceptedDomain(ctx: AdminContext, name: string): Promise<void> {
  requireAdmin(ctx.actor, 'organization');
  await changeAudited(ctx, async (tx, audit) => {
    await removeDomain(tx, name);
    await audit({ action: 'domain.remove', target: name.toLowerCase() });
  });
}
