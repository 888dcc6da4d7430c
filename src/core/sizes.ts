import { InvalidInput } from './errors.js';

const units: Record<string, number> = {
  b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4,
};

/** Parses "49GB", "49.5 GB", "500mb" or a plain byte count. Units are binary, as Exchange's are. */
export function parseSize(input: string | number, field: string): number {
  if (typeof input === 'number') {
    if (Number.isSafeInteger(input) && input >= 0) return input;
    throw new InvalidInput(`${field}: "${input}" is not a valid size.`, field);
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?\s*$/i.exec(input);
  const unit = units[(match?.[2] ?? 'b').toLowerCase()];
  if (!match || unit === undefined) {
    throw new InvalidInput(`${field}: "${input}" is not a valid size. Use a number of bytes or a value such as 49.5GB.`, field);
  }
  return Math.round(Number(match[1]) * unit);
}

export function formatSize(bytes: number): string {
  for (const [unit, factor] of [['TB', 1024 ** 4], ['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) {
    if (bytes >= factor) return `${Number((bytes / factor).toFixed(2))} ${unit}`;
  }
  return `${bytes} B`;
}
