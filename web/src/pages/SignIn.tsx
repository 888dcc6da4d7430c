import { Button, Card, Field, Input, Text, Title2 } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api, asApiError, type ApiError, type Session } from '../api';
import { ErrorBar } from '../components/ErrorBar';

/**
 * Address and password. Signing in succeeds for anyone with a mailbox; the admin center then asks
 * the API for something only administrators may read, and shows the API's refusal to everyone else.
 */
export function SignIn({ notice, onSignedIn }: { notice: ApiError | null; onSignedIn: (session: Session) => void }) {
  const [address, setAddress] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const issued = await api.signIn(address.trim(), password);
      try {
        await api.withToken(issued.token, 'GET', '/domains');
      } catch (refusal) {
        await api.withToken(issued.token, 'DELETE', '/auth/token').catch(() => undefined);
        throw refusal;
      }
      onSignedIn({ token: issued.token, principal: issued.principal });
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  return (
    <div className="sign-in-page">
      <Card className="sign-in-card">
        <form className="stack" onSubmit={(e) => { void submit(e); }} noValidate>
          <Text weight="semibold" className="brand">Mailroom</Text>
          <Title2 as="h1">Sign in</Title2>
          <Text>to the admin center, with a Global Administrator or Exchange Administrator account.</Text>
          <ErrorBar error={error ?? notice} />
          <Field label="Email address" required>
            <Input type="email" name="username" autoComplete="username" value={address} onChange={(_e, d) => setAddress(d.value)} autoFocus />
          </Field>
          <Field label="Password" required>
            <Input type="password" name="password" autoComplete="current-password" value={password} onChange={(_e, d) => setPassword(d.value)} />
          </Field>
          <div className="actions">
            <Button appearance="primary" type="submit" disabled={busy || address.trim() === '' || password === ''}>{busy ? 'Signing in…' : 'Sign in'}</Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
