import type express from 'express';
import { formatDate } from '../../domain/dates.ts';
import { sendPdf, taggedPdf } from '../../platform/pdf.ts';
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

/** The agreement as an accessible, tagged PDF in British English (see platform/pdf.ts). */
export function agreementPdf(a: AgreementForPdf, ctx: PdfContext): Promise<Buffer> {
  const title = agreementTitle(ctx, a.version);
  const { heading, para, list, end } = taggedPdf({ title, lang: 'en-GB', author: ctx.councilName, subject: `Direct payment agreement for ${ctx.personName}` });

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
  return end();
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
  sendPdf(res, pdf, `agreement-${dp.reference}-v${agreement.version}.pdf`);
}
