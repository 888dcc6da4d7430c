import {
  Button, Hamburger, NavCategory, NavCategoryItem, NavDrawer, NavDrawerBody, NavItem, NavSubItem, NavSubItemGroup, Text,
} from '@fluentui/react-components';
import {
  DocumentSearchRegular, GlobeRegular, PeopleTeamRegular, PersonRegular, SignOutRegular,
} from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import { api } from './api';
import { useMediaQuery } from './hooks';
import { AuditLog } from './pages/audit/AuditLog';
import { Domains } from './pages/domains/Domains';
import { Groups } from './pages/groups/Groups';
import { SharedMailboxes } from './pages/shared/SharedMailboxes';
import { ActiveUsers } from './pages/users/ActiveUsers';
import { pathOf, usePage, type Page } from './router';
import type { Principal } from './types';

const titles: Record<Page, string> = {
  users: 'Active users',
  'shared-mailboxes': 'Shared mailboxes',
  groups: 'Active teams & groups',
  domains: 'Domains',
  audit: 'Audit',
};

/** Microsoft 365's layout: a top bar, the navigation on the left (a drawer on a phone), the page. */
export function Shell({ principal, onSignedOut }: { principal: Principal; onSignedOut: () => void }) {
  const [page, navigate] = usePage();
  const narrow = useMediaQuery('(max-width: 900px)');
  const phone = useMediaQuery('(max-width: 640px)');
  const [navOpen, setNavOpen] = useState(!narrow);
  const main = useRef<HTMLElement>(null);
  useEffect(() => setNavOpen(!narrow), [narrow]);
  useEffect(() => { document.title = `${titles[page]} - Mailroom admin center`; }, [page]);

  const go = (next: Page) => {
    navigate(next);
    if (narrow) setNavOpen(false);
    main.current?.focus();
  };
  const signOut = async () => {
    await api.delete('/auth/token').catch(() => undefined);
    onSignedOut();
  };
  const link = (value: Page) => ({ value, href: pathOf(value), onClick: (e: React.MouseEvent) => { e.preventDefault(); go(value); } });

  return (
    <div className="shell">
      <header className="topbar">
        <Hamburger appearance="transparent" className="topbar-button" aria-label={navOpen ? 'Hide navigation' : 'Show navigation'} aria-expanded={navOpen} onClick={() => setNavOpen(!navOpen)} />
        <Text as="span" weight="semibold" size={400} className="topbar-title">{phone ? 'Admin center' : 'Mailroom admin center'}</Text>
        <span className="topbar-spacer" />
        <Text as="span" className="topbar-user" title={principal.address}>{principal.displayName}</Text>
        <Button appearance="transparent" className="topbar-button" icon={<SignOutRegular />} onClick={() => { void signOut(); }} {...(phone ? { 'aria-label': 'Sign out', title: 'Sign out' } : {})}>
          {phone ? null : 'Sign out'}
        </Button>
      </header>
      <div className="frame">
        <NavDrawer
          open={navOpen}
          type={narrow ? 'overlay' : 'inline'}
          onOpenChange={(_e, data) => setNavOpen(data.open)}
          selectedValue={page}
          defaultOpenCategories={['users-category', 'groups-category', 'settings-category']}
          className="nav"
          aria-label="Admin center navigation"
        >
          <NavDrawerBody>
            <NavCategory value="users-category">
              <NavCategoryItem icon={<PersonRegular />}>Users</NavCategoryItem>
              <NavSubItemGroup>
                <NavSubItem {...link('users')}>Active users</NavSubItem>
              </NavSubItemGroup>
            </NavCategory>
            <NavCategory value="groups-category">
              <NavCategoryItem icon={<PeopleTeamRegular />}>Teams &amp; groups</NavCategoryItem>
              <NavSubItemGroup>
                <NavSubItem {...link('groups')}>Active teams &amp; groups</NavSubItem>
                <NavSubItem {...link('shared-mailboxes')}>Shared mailboxes</NavSubItem>
              </NavSubItemGroup>
            </NavCategory>
            <NavCategory value="settings-category">
              <NavCategoryItem icon={<GlobeRegular />}>Settings</NavCategoryItem>
              <NavSubItemGroup>
                <NavSubItem {...link('domains')}>Domains</NavSubItem>
              </NavSubItemGroup>
            </NavCategory>
            <NavItem icon={<DocumentSearchRegular />} {...link('audit')}>Audit</NavItem>
          </NavDrawerBody>
        </NavDrawer>
        <main className="content" ref={main} tabIndex={-1} aria-label={titles[page]}>
          {page === 'users' ? <ActiveUsers principal={principal} /> : null}
          {page === 'shared-mailboxes' ? <SharedMailboxes /> : null}
          {page === 'groups' ? <Groups /> : null}
          {page === 'domains' ? <Domains /> : null}
          {page === 'audit' ? <AuditLog /> : null}
        </main>
      </div>
    </div>
  );
}

