import { Spinner } from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useState } from 'react';
import { clearSession, loadSession, onSessionEnded, saveSession, type ApiError, type Session } from './api';
import { SignIn } from './pages/SignIn';

// The sign-in page comes first and alone; the pages behind it load while it is on screen.
const loadShell = () => import('./Shell');
const Shell = lazy(async () => ({ default: (await loadShell()).Shell }));

export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [ended, setEnded] = useState<ApiError | null>(null);

  useEffect(() => {
    onSessionEnded((reason) => { setEnded(reason); setSession(null); });
    // The first page is interactive from here on (reported by the end-to-end test).
    performance.mark('mailroom:interactive');
    const prefetch = setTimeout(() => { void loadShell(); }, 0);
    return () => clearTimeout(prefetch);
  }, []);

  if (!session) {
    return <SignIn notice={ended} onSignedIn={(s) => { saveSession(s); setEnded(null); setSession(s); }} />;
  }
  return (
    <Suspense fallback={<Spinner className="page-loading" label="Loading the admin center…" />}>
      <Shell principal={session.principal} onSignedOut={() => { clearSession(); setSession(null); }} />
    </Suspense>
  );
}
