import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ApiError } from '../api';

/** An API error in the API's own words, announced to screen readers. */
export function ErrorBar({ error, title, id }: { error: ApiError | null | undefined; title?: string; id?: string }) {
  if (!error) return null;
  return (
    <MessageBar intent="error" role="alert" className="error-bar" {...(id ? { id } : {})}>
      <MessageBarBody>
        {title ? <MessageBarTitle>{title}</MessageBarTitle> : null}
        {error.problem.detail}
      </MessageBarBody>
    </MessageBar>
  );
}

export function SuccessBar({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <MessageBar intent="success" role="status" className="success-bar">
      <MessageBarBody>{text}</MessageBarBody>
    </MessageBar>
  );
}

/**
 * The validation message of a form field: the API's detail when its problem names this field.
 * Errors naming no field of the form are shown by the form's ErrorBar instead (see formError).
 */
export function fieldError(error: ApiError | null, ...fields: string[]): { validationMessage?: string; validationState?: 'error' } {
  if (!error || !fields.some((f) => error.isAbout(f))) return {};
  return { validationMessage: error.problem.detail, validationState: 'error' };
}

/** The error for the form-level bar: null when a field of the form already shows it. */
export function formError(error: ApiError | null, ...fields: string[]): ApiError | null {
  if (!error || fields.some((f) => error.isAbout(f))) return null;
  return error;
}
