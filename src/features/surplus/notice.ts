import type express from 'express';
import { formatPounds } from '../../domain/money.ts';
import { formatDateIn, translator, type Lang } from '../../platform/i18n/index.ts';
import { sendPdf, taggedPdf } from '../../platform/pdf.ts';
import type { SurplusCase } from './cases.ts';

export type NoticeContext = {
  reference: string;
  personName: string;
  councilName: string;
  contactEmail: string | null;
  contactPhone: string | null;
  kind: string;
};

export type NoticeSection = { heading: string | null; paragraphs: string[] };

/**
 * The written notice of a surplus, in the person's language: the sum, the reason from the
 * conversation, the amount and how it will be recovered, and how to challenge it and by when. The
 * page under /my and the PDF letter both print exactly these words.
 */
export function noticeText(c: SurplusCase, ctx: NoticeContext, lang: Lang): { title: string; sections: NoticeSection[] } {
  const t = translator(lang);
  const d = (date: string | null) => formatDateIn(lang, date);
  const contact = [ctx.contactEmail, ctx.contactPhone].filter(Boolean).join(', ');
  const sum = {
    date: d(c.opened_on), balance: formatPounds(c.balance_pence), contingency: formatPounds(c.contingency_pence),
    weeks: c.contingency_weeks, committed: formatPounds(c.committed_pence), surplus: formatPounds(c.surplus_pence),
  };
  const sections: NoticeSection[] = [
    { heading: null, paragraphs: [t('surplus:intro', { reference: ctx.reference })] },
    {
      heading: t('surplus:sumHeading'),
      paragraphs: [ctx.kind === 'ongoing' ? t('surplus:sum', sum) : t('surplus:sumOneOff', sum)],
    },
    {
      heading: t('surplus:reasonHeading'),
      paragraphs: [
        t('surplus:reason', { date: d(c.conversation_on), reason: t(`surplus:reasons.${c.conversation_reason ?? 'other'}`) }),
        ...(c.conversation_notes ? [`${t('surplus:notesIntro')} ${c.conversation_notes}`] : []),
      ],
    },
    { heading: t('surplus:planHeading'), paragraphs: [t(`surplus:plan_${c.method ?? 'refund'}`, { amount: formatPounds(c.recover_pence ?? 0) })] },
    {
      heading: t('surplus:challengeHeading'),
      paragraphs: [
        t('surplus:challenge', { date: d(c.challenge_ends_on) }),
        t('surplus:challengeHow'),
        t('surplus:challengeAfter'),
        ...(contact ? [t('surplus:contact', { contact })] : []),
      ],
    },
  ];
  return { title: t('surplus:title'), sections };
}

/** Where the case has got to since the notice, in the person's words (null before anything has happened). */
export function statusText(c: SurplusCase, lang: Lang): string | null {
  const t = translator(lang);
  const d = (date: string | null) => formatDateIn(lang, date);
  if (c.status === 'refunded') return t('surplus:status.refunded', { amount: formatPounds(c.recovered_pence ?? 0), date: d(c.refund_received_on) });
  if (c.status === 'recovered' || c.status === 'offsetting') {
    return t(`surplus:status.recovered_${c.method}`, { amount: formatPounds(c.recovered_pence ?? 0), date: d(c.recovered_on) });
  }
  if (c.status === 'challenged') return t('surplus:status.challenged', { date: d(c.challenged_on) });
  if (c.challenge_decided_on && c.challenge_upheld) return t('surplus:status.upheld', { date: d(c.challenge_decided_on) });
  if (c.challenge_decided_on && c.challenge_upheld === false) return t('surplus:status.notUpheld', { date: d(c.challenge_decided_on), decision: c.challenge_decision ?? '' });
  return null;
}

/** The notice as an accessible, tagged PDF letter in the person's language (see platform/pdf.ts). */
export function noticePdf(c: SurplusCase, ctx: NoticeContext, lang: Lang): Promise<Buffer> {
  const t = translator(lang);
  const { title, sections } = noticeText(c, ctx, lang);
  const { heading, para, end } = taggedPdf({ title: `${title} (${ctx.reference})`, lang: lang === 'cy' ? 'cy-GB' : 'en-GB', author: ctx.councilName, subject: title });
  heading(title, 1);
  para(t('surplus:letter.date', { date: formatDateIn(lang, c.notice_sent_on) }));
  para(t('surplus:letter.dear', { name: ctx.personName }));
  for (const s of sections) {
    if (s.heading) heading(s.heading, 2);
    for (const p of s.paragraphs) para(p);
  }
  para(t('surplus:letter.signoff', { council: ctx.councilName }));
  return end();
}

/** Sends the letter; the file name carries the reference, never the person's name. */
export async function sendNoticePdf(res: express.Response, c: SurplusCase, ctx: NoticeContext, lang: Lang): Promise<void> {
  sendPdf(res, await noticePdf(c, ctx, lang), `surplus-notice-${ctx.reference}.pdf`);
}
