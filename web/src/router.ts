import { useEffect, useState } from 'react';

export const pages = ['users', 'shared-mailboxes', 'groups', 'domains', 'audit'] as const;
export type Page = (typeof pages)[number];

const base = '/admin/';

export function pageOf(pathname: string): Page {
  const first = pathname.startsWith(base) ? pathname.slice(base.length).split('/')[0] : '';
  return pages.find((p) => p === first) ?? 'users';
}

export const pathOf = (page: Page): string => `${base}${page}`;

/** The page in the address bar; the browser's back and forward buttons move between pages. */
export function usePage(): [Page, (page: Page) => void] {
  const [page, setPage] = useState<Page>(() => pageOf(location.pathname));
  useEffect(() => {
    const onPop = () => setPage(pageOf(location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = (next: Page) => {
    if (location.pathname !== pathOf(next)) history.pushState(null, '', pathOf(next));
    setPage(next);
  };
  return [page, navigate];
}
