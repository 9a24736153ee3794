// Receipt files for the tests, made from scratch so their bytes are known (only the tests use this).
import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real PNG of the given size, filled with one colour: a photo of a receipt, as far as anyone can tell. */
export function pngReceipt(width = 40, height = 60): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0xf0)]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real 1×1 JPEG, as a phone camera would send (JFIF). */
export function jpegReceipt(): Buffer {
  return Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
    'base64',
  );
}

/** The start of an iPhone HEIC photo: an ISO media file whose brand is 'heic'. */
export function heicReceipt(): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic', 'latin1'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic', 'latin1')]);
  return Buffer.concat([ftyp, Buffer.from([0, 0, 0, 0x10]), Buffer.from('meta', 'latin1'), Buffer.alloc(8)]);
}

/** A real PDF receipt. */
export async function pdfReceipt(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A6', info: { Title: 'Receipt' } });
  const parts: Buffer[] = [];
  doc.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.text('Eastmoor Leisure – annual swim membership – £380.00');
  doc.end();
  await done;
  return Buffer.concat(parts);
}

/** A Windows program (MZ header), renamed by someone to look like a photo. */
export function exeRenamed(): Buffer {
  const b = Buffer.alloc(512, 0);
  b.write('MZ', 0, 'latin1');
  b.write('This program cannot be run in DOS mode.', 78, 'latin1');
  return b;
}

/** A file of the given size that starts as a PDF would. */
export function bigPdfLike(bytes: number): Buffer {
  const b = Buffer.alloc(bytes, 0x20);
  b.write('%PDF-1.7\n', 0, 'latin1');
  return b;
}
