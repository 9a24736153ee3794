import { StatementError } from './types.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const cp1252 = new TextDecoder('windows-1252');

export type Decoded = { text: string; encoding: 'utf-8' | 'windows-1252' | 'utf-16' };

/**
 * Turns the bytes of a statement into text. UTF-8 with or without a byte-order mark; UTF-16 with a
 * mark (Excel's "Unicode text"); otherwise, when the bytes are not valid UTF-8, Windows-1252, which
 * is what UK banks' older exports use (a £ is the single byte A3). A file that says it is UTF-8
 * (an XML declaration or an OFX header) but is not is refused with the line that breaks it, since
 * guessing would quietly change what the statement says. Bytes that are not text at all are refused.
 */
export function decodeStatement(bytes: Uint8Array): Decoded {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { text: new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes), encoding: 'utf-16' };
  }
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) throw new StatementError(null, 'notText');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const headText = cp1252.decode(head);
    const saysUtf8 = /<\?xml[^>]*encoding=["']utf-?8["']/i.test(headText) || /^\s*CHARSET:\s*(UTF-?8|65001)\s*$/im.test(headText) || /^\s*ENCODING:\s*UTF-?8\s*$/im.test(headText);
    if (saysUtf8) {
      const line = firstBadUtf8Line(bytes);
      throw new StatementError(line, 'saysUtf8');
    }
    text = cp1252.decode(bytes);
    if (text.includes('\u0000')) throw new StatementError(null, 'notText');
    return { text, encoding: 'windows-1252' };
  }
  if (text.includes('\u0000')) throw new StatementError(null, 'notText');
  return { text, encoding: 'utf-8' };
}

function firstBadUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        utf8.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}
