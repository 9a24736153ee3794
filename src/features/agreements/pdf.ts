import type express from 'express';
import PDFDocument from 'pdfkit';
import { formatDate } from '../../domain/dates.ts';
import { termsView } from './terms.ts';

export type AgreementForPdf = {
  version: number;
  amount_pence: number;
  frequency: string;
  account_summary: string;
  purpose: string;
  records_to_keep: string;
  review_on: string;
  signed_on: string | null;
  signed_by_name: string | null;
};

export type PdfContext = { reference: string; personName: string; councilName: string; contactEmail: string | null; contactPhone: string | null };

export function agreementTitle(ctx: Pick<PdfContext, 'reference'>, version: number): string {
  return `Direct payment agreement ${ctx.reference}, version ${version}`;
}

/**
 * The agreement as an accessible PDF: tagged (a structure tree of headings, paragraphs and lists
 * that screen readers follow), in British English, with its title shown instead of the file name.
 * Everything drawn is text inside a structure element, so nothing is left untagged.
 */
export function agreementPdf(a: AgreementForPdf, ctx: PdfContext): Promise<Buffer> {
  const title = agreementTitle(ctx, a.version);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 60,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: title, Author: ctx.councilName, Subject: `Direct payment agreement for ${ctx.personName}`, Creator: 'Manage direct payments' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  const heading = (text: string, level: 1 | 2) => {
    doc.font('Helvetica-Bold').fontSize(level === 1 ? 20 : 14).fillColor('#0b0c0c');
    doc.text(text, { structParent: root, structType: `H${level}` });
    doc.moveDown(0.5);
  };
  const para = (text: string) => {
    doc.font('Helvetica').fontSize(12).fillColor('#0b0c0c');
    doc.text(text, { structParent: root, structType: 'P' });
    doc.moveDown(0.5);
  };
  const list = (items: string[]) => {
    if (!items.length) return;
    const l = doc.struct('L');
    root.add(l);
    doc.font('Helvetica').fontSize(12);
    doc.list(items, { structParent: l, bulletRadius: 2.5 });
    doc.moveDown(0.5);
  };

  heading(title, 1);
  para(`Between ${ctx.councilName} and ${ctx.personName}.`);
  const t = termsView(a);
  heading('How much and how often', 2);
  para(t.amountText);
  heading('Where the money is paid', 2);
  para(t.accountSummary);
  heading('What the money is for', 2);
  para(t.purpose);
  if (t.outcomes.length) para('It meets these outcomes in the care and support plan:');
  list(t.outcomes);
  heading('Records to keep', 2);
  for (const line of t.recordsToKeep) para(line);
  heading(t.oneOff ? 'Check-back date' : 'Review date', 2);
  para(t.reviewText);
  heading('Questions and new ideas', 2);
  para(`If something changes, or you have a new idea for how to use the money, contact ${[ctx.contactEmail, ctx.contactPhone].filter(Boolean).join(' or ') || 'your social worker'}.`);
  heading('Signed', 2);
  para(a.signed_on ? `Signed by ${a.signed_by_name} on ${formatDate(a.signed_on)}.` : 'Not signed yet.');

  doc.end();
  return done;
}

/** Sends the agreement as a tagged PDF; the file name carries the reference, never the person's name. */
export async function sendAgreementPdf(
  res: express.Response,
  agreement: AgreementForPdf,
  dp: { reference: string; personName: string; council_name: string; contact_email: string | null; contact_phone: string | null },
): Promise<void> {
  const pdf = await agreementPdf(agreement, {
    reference: dp.reference,
    personName: dp.personName,
    councilName: dp.council_name,
    contactEmail: dp.contact_email,
    contactPhone: dp.contact_phone,
  });
  res.type('application/pdf');
  res.setHeader('Content-Disposition', `inline; filename="agreement-${dp.reference}-v${agreement.version}.pdf"`);
  res.setHeader('X-Robots-Tag', 'noindex');
  res.send(pdf);
}
