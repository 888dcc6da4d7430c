// SUBSCRIBE and UNSUBSCRIBE (RFC 3501 §6.3.6–7).
import { ArgumentCursor } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';

export interface SubscribeCommand {
  readonly name: 'SUBSCRIBE' | 'UNSUBSCRIBE';
  readonly mailbox: string;
}

function parseSubscription(name: 'SUBSCRIBE' | 'UNSUBSCRIBE') {
  return (args: readonly Token[], context: CommandContext): SubscribeCommand => {
    const cursor = new ArgumentCursor(args, context);
    const mailbox = cursor.mailbox();
    cursor.end();
    return { name, mailbox };
  };
}

export const parseSubscribe = parseSubscription('SUBSCRIBE');
export const parseUnsubscribe = parseSubscription('UNSUBSCRIBE');
