// BODY[section] and BINARY[part] specifiers (RFC 3501 §6.4.5, RFC 3516 §4.2), shared by the FETCH
// parser and the FETCH response.
import { BadCommand } from './arguments.js';
import { astringOut } from './wire.js';
import type { Token } from './tokens.js';

export type SectionSpecifier = 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';

export interface BodySection {
  /** Part numbers, e.g. [1, 2] for "1.2"; empty for the whole message. */
  readonly part: readonly number[];
  readonly specifier: SectionSpecifier | null;
  /** Header field names of HEADER.FIELDS (.NOT), as the client wrote them. */
  readonly fields: readonly string[];
}

const SPECIFIERS: readonly string[] = ['HEADER', 'HEADER.FIELDS', 'HEADER.FIELDS.NOT', 'TEXT', 'MIME'];
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

function partNumbers(pieces: readonly string[]): number[] {
  return pieces.map((p) => {
    if (!/^[1-9][0-9]{0,9}$/.test(p) || Number(p) > 0xffffffff) throw new BadCommand(`Invalid section part number ${p.slice(0, 12)}`);
    return Number(p);
  });
}

/** Parses the tokens inside `BODY[...]`. */
export function parseBodySection(tokens: readonly Token[]): BodySection {
  if (tokens.length === 0) return { part: [], specifier: null, fields: [] };
  const first = tokens[0]!;
  if (first.type !== 'atom' || first.section !== undefined) throw new BadCommand('Invalid section specifier');
  const pieces = first.value.split('.');
  let k = 0;
  while (k < pieces.length && /^[0-9]+$/.test(pieces[k]!)) k++;
  const part = partNumbers(pieces.slice(0, k));
  const rest = pieces.slice(k).join('.').toUpperCase();
  if (rest !== '' && !SPECIFIERS.includes(rest)) throw new BadCommand(`Invalid section specifier ${first.value.slice(0, 40)}`);
  const specifier = rest === '' ? null : (rest as SectionSpecifier);
  // RFC 3501 §6.4.5: MIME only after a part number.
  if (specifier === 'MIME' && part.length === 0) throw new BadCommand('MIME needs a part number');
  const needsFields = specifier === 'HEADER.FIELDS' || specifier === 'HEADER.FIELDS.NOT';
  if (!needsFields) {
    if (tokens.length > 1) throw new BadCommand('Unexpected header list in section');
    return { part, specifier, fields: [] };
  }
  const list = tokens[1];
  if (list?.type !== 'list' || tokens.length > 2) throw new BadCommand(`${specifier} needs a parenthesized list of header names`);
  const fields = list.items.map((t) => {
    const name = t.type === 'atom' && t.section === undefined ? t.value : t.type === 'string' ? t.data.toString('latin1') : '';
    if (!FIELD_NAME.test(name)) throw new BadCommand('Invalid header field name');
    return name;
  });
  if (fields.length === 0) throw new BadCommand(`${specifier} needs at least one header name`);
  return { part, specifier, fields };
}

/** Parses the tokens inside `BINARY[...]`: part numbers only (RFC 3516 §4.2). */
export function parseBinarySection(tokens: readonly Token[]): number[] {
  if (tokens.length === 0) return [];
  const first = tokens[0]!;
  if (tokens.length > 1 || first.type !== 'atom' || first.section !== undefined) throw new BadCommand('Invalid BINARY section');
  return partNumbers(first.value.split('.'));
}

/** The section as written inside brackets: "1.2.HEADER.FIELDS (DATE FROM)". */
export function formatBodySection(section: BodySection): string {
  const path = bodySectionPath(section);
  return section.fields.length === 0 ? path : `${path} (${section.fields.map((f) => astringOut(f)).join(' ')})`;
}

/** The section without its header list ("1.2.HEADER.FIELDS"), as mime's sectionRange() takes it. */
export function bodySectionPath(section: BodySection): string {
  return [...section.part.map(String), ...(section.specifier === null ? [] : [section.specifier])].join('.');
}
