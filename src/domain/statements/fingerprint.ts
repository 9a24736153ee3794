import type { StatementLine } from './types.ts';

/**
 * A stable identity for each line, so importing the same file twice, or two statements that
 * overlap, never stores a line twice. The bank's own id when it gives one ("id:" + FITID);
 * otherwise the date, the amount and a hash of the description, plus which occurrence of that
 * combination this is within the file: two coffees of £2.50 at the same café on the same day are
 * "#1" and "#2", so both are kept, and the same two in an overlapping statement match them again.
 * One fingerprinter per file.
 */
export function fingerprinter(): (line: StatementLine) => string {
  const seen = new Map<string, number>();
  // A statement names the same few payees again and again: each description is hashed once.
  let hashes = new Map<string, string>();
  const hashOf = (description: string) => {
    let h = hashes.get(description);
    if (h === undefined) {
      if (hashes.size >= 100_000) hashes = new Map();
      h = hash(normalise(description));
      hashes.set(description, h);
    }
    return h;
  };
  return (line) => {
    if (line.bankId) return `id:${line.bankId}`;
    const key = `${line.postedOn}|${line.amountPence}|${hashOf(line.description)}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return `${key}#${n}`;
  };
}

const normalise = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** cyrb53: a fast 53-bit string hash, written as base 36. Collisions only matter within one day and amount. */
function hash(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
