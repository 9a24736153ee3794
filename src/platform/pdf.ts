import type express from 'express';
import PDFDocument from 'pdfkit';

/**
 * An accessible PDF, written top to bottom: tagged (a structure tree of headings, paragraphs and
 * lists that screen readers follow), in the given language, with its title shown instead of the
 * file name. Everything drawn through it is text inside a structure element, so nothing is left
 * untagged. Used by the agreement (features/agreements/pdf.ts) and the surplus notice
 * (features/surplus/notice.ts).
 */
export type TaggedPdf = {
  heading: (text: string, level: 1 | 2) => void;
  para: (text: string) => void;
  /** A bulleted list; nothing is drawn for no items. */
  list: (items: string[]) => void;
  /** Finishes the document and gives its bytes. */
  end: () => Promise<Buffer>;
};

export type PdfInfo = {
  title: string;
  /** BCP 47, e.g. 'en-GB' or 'cy-GB'. */
  lang: string;
  author: string;
  subject: string;
};

const TEXT = '#0b0c0c';

export function taggedPdf(info: PdfInfo): TaggedPdf {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 60,
    pdfVersion: '1.7',
    tagged: true,
    lang: info.lang,
    displayTitle: true,
    info: { Title: info.title, Author: info.author, Subject: info.subject, Creator: 'Manage direct payments' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  return {
    heading: (text, level) => {
      doc.font('Helvetica-Bold').fontSize(level === 1 ? 20 : 14).fillColor(TEXT);
      doc.text(text, { structParent: root, structType: `H${level}` });
      doc.moveDown(0.5);
    },
    para: (text) => {
      doc.font('Helvetica').fontSize(12).fillColor(TEXT);
      doc.text(text, { structParent: root, structType: 'P' });
      doc.moveDown(0.5);
    },
    list: (items) => {
      if (!items.length) return;
      const l = doc.struct('L');
      root.add(l);
      doc.font('Helvetica').fontSize(12);
      doc.list(items, { structParent: l, bulletRadius: 2.5 });
      doc.moveDown(0.5);
    },
    end: () => {
      doc.end();
      return done;
    },
  };
}

/** Sends a PDF to be shown in the browser. Name the file by reference, never by a person's name. */
export function sendPdf(res: express.Response, pdf: Buffer, fileName: string): void {
  res.type('application/pdf');
  res.setHeader('Content-Disposition', `inline; filename="${fileName}"`);
  res.setHeader('X-Robots-Tag', 'noindex');
  res.send(pdf);
}
