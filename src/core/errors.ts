/**
 * Domain errors. Each carries the user-facing text (`message`), an HTTP status and a
 * stable problem type slug; protocol adapters map them to their own codes (HTTP problem
 * documents here, SMTP/IMAP codes later). The internal cause, when any, stays in `cause`
 * for the log and never reaches the client.
 */
export type ProblemType =
  | 'invalid-input'
  | 'unauthenticated'
  | 'account-locked'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'address-in-use'
  | 'outside-organization'
  | 'quota-exceeded';

export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly type: ProblemType,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InvalidInput extends DomainError {
  constructor(message: string, readonly field?: string) {
    super(message, 400, 'invalid-input');
  }
}

export class Unauthenticated extends DomainError {
  constructor(message: string) {
    super(message, 401, 'unauthenticated');
  }
}

export class AccountLocked extends DomainError {
  constructor(message: string) {
    super(message, 403, 'account-locked');
  }
}

export class Forbidden extends DomainError {
  constructor(message: string) {
    super(message, 403, 'forbidden');
  }
}

export class NotFound extends DomainError {
  constructor(message: string) {
    super(message, 404, 'not-found');
  }
}

export class Conflict extends DomainError {
  constructor(message: string, type: ProblemType = 'conflict', readonly field?: string) {
    super(message, 409, type);
  }
}

export class OutsideOrganization extends DomainError {
  constructor(message: string) {
    super(message, 422, 'outside-organization');
  }
}
