import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { ApiError } from '../api';
import { ErrorBar } from './ErrorBar';

/** A yes/no question before a change that can't be undone; the API's refusal shows inside it. */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  error: ApiError | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog open modalType="alert" onOpenChange={(_e, data) => { if (!data.open) props.onCancel(); }}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogContent className="stack">
            {props.children}
            <ErrorBar error={props.error} />
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={props.busy} onClick={props.onConfirm}>{props.confirmLabel}</Button>
            <Button onClick={props.onCancel}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
