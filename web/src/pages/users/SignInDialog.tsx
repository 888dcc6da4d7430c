import { MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { api } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useAction } from '../../hooks';
import type { Account, SignInChange } from '../../types';

/** Block or unblock sign-in for the selected accounts, all or nothing (POST /users/block|unblock). */
export function SignInDialog(props: { block: boolean; accounts: Account[]; onCancel: () => void; onDone: (message: string) => void }) {
  const action = useAction();
  const shared = props.accounts.filter((a) => a.kind === 'shared');
  const confirm = async () => {
    const changes = await action.run(() => api.post<SignInChange[]>(props.block ? '/users/block' : '/users/unblock', { addresses: props.accounts.map((a) => a.primaryAddress) }));
    if (!changes) return;
    const count = changes.length === 1 ? changes[0]!.address : `${changes.length} accounts`;
    props.onDone(props.block ? `Sign-in blocked for ${count}.` : `Sign-in unblocked for ${count}.`);
  };
  return (
    <ConfirmDialog
      title={props.block ? 'Block sign-in?' : 'Unblock sign-in?'}
      confirmLabel={props.block ? 'Block sign-in' : 'Unblock sign-in'}
      busy={action.busy}
      error={action.error}
      onConfirm={() => { void confirm(); }}
      onCancel={props.onCancel}
    >
      <Text>
        {props.block
          ? 'These accounts will not be able to sign in anywhere: the admin center, mail apps, or submission. Their sessions end at once.'
          : 'These accounts will be able to sign in again with their passwords.'}
      </Text>
      <ul className="compact-list">{props.accounts.map((a) => <li key={a.id}>{a.displayName} ({a.primaryAddress})</li>)}</ul>
      {!props.block && shared.length > 0 ? (
        <MessageBar intent="warning">
          <MessageBarBody>
            {shared.map((a) => a.primaryAddress).join(', ')} {shared.length === 1 ? 'is a shared mailbox. Its account' : 'are shared mailboxes. Their accounts'} should stay blocked: members reach the mailbox with their own credentials.
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </ConfirmDialog>
  );
}
