import express from 'express';
import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { param } from '../../platform/http/errors.ts';
import { parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { ENGLAND_OUTCOMES } from '../../domain/eligibility.ts';
import { dateFields, typed, yesNo } from '../people/form-values.ts';
import { conversationFor, willingContacts, type LoadedConversation } from './queries.ts';
import { englandEligibilityForm, offerForm, reasonField, textSectionForm, walesEligibilityForm } from './forms.ts';
import { eligibilityAnswered, offerAnswered } from './progress.ts';
import { TEXT_SECTIONS, questionFor, type TextSection } from './sections.ts';
import { pageLocals } from './page-locals.ts';

// The England eligibility page's fields from top to bottom, so the error summary follows the page.
const ENGLAND_FIELDS = ['unable', ...ENGLAND_OUTCOMES.map(([code]) => reasonField(code)), 'significantImpact', 'impactReasons'];

function inPageOrder(errors: FormErrors, fields: string[]): FormErrors {
  const at = (href: string) => fields.indexOf(href.replace(/^#/, ''));
  return { ...errors, list: [...errors.list].sort((a, b) => at(a.href) - at(b.href)) };
}

/**
 * One question page per part of the conversation. A completed conversation is read-only: its
 * question pages send people back to the record of it and change nothing.
 */
export function sectionRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const write = requireCapability('conversations:write');

  /** Loads a draft conversation, or answers with a redirect to the read-only record when it is complete. */
  const draft = async (req: express.Request, res: express.Response) => {
    const user = userOf(req);
    const loaded = await conversationFor(db, user, param(req, 'conversationId'), clock.today());
    if (loaded.conversation.status === 'completed') {
      res.redirect(303, `/conversations/${loaded.conversation.id}`);
      return null;
    }
    return { user, loaded };
  };
  const render = (res: express.Response, status: number, view: string, loaded: LoadedConversation, locals: Record<string, unknown>) =>
    res.status(status).render(`conversations/views/${view}.njk`, { ...pageLocals(loaded), backLink: `/conversations/${loaded.conversation.id}`, ...locals });

  for (const section of TEXT_SECTIONS) {
    const path = `/conversations/:conversationId/${section.slug}`;
    const locals = async (loaded: LoadedConversation, s: TextSection) => ({
      pageTitle: questionFor(s, loaded.person.given_name),
      section: s,
      contacts: s.slug === 'informal-support' ? await willingContacts(db, loaded.person.id) : [],
    });

    router.get(path, write, async (req, res) => {
      const found = await draft(req, res);
      if (!found) return;
      await audit(db, found.user, { action: 'view', entityType: 'conversation', entityId: found.loaded.conversation.id, personId: found.loaded.person.id, details: { page: section.slug } }, req.ip);
      render(res, 200, 'text-section', found.loaded, { ...(await locals(found.loaded, section)), values: { answer: found.loaded.conversation[section.column] } });
    });

    router.post(path, write, async (req, res) => {
      const found = await draft(req, res);
      if (!found) return;
      const form = parseForm(textSectionForm(section), req.body);
      if (!form.ok) return render(res, 400, 'text-section', found.loaded, { ...(await locals(found.loaded, section)), values: typed(req.body), errors: form.errors });
      await update(req, found, section.slug, { [section.column]: form.data.answer });
      res.redirect(303, `/conversations/${found.loaded.conversation.id}`);
    });
  }

  router.get('/conversations/:conversationId/direct-payments', write, async (req, res) => {
    const found = await draft(req, res);
    if (!found) return;
    const c = found.loaded.conversation;
    await audit(db, found.user, { action: 'view', entityType: 'conversation', entityId: c.id, personId: found.loaded.person.id, details: { page: 'direct-payments' } }, req.ip);
    const values = offerAnswered(c)
      ? { dpOffered: yesNo(c.dp_offered), ...dateFields('dpOfferedOn', c.dp_offered_on), dpResponse: c.dp_offered ? c.dp_response : '', dpNotOfferedReason: c.dp_offered ? '' : c.dp_response }
      : dateFields('dpOfferedOn', clock.today());
    render(res, 200, 'direct-payments', found.loaded, { pageTitle: 'Direct payments offered', values });
  });

  router.post('/conversations/:conversationId/direct-payments', write, async (req, res) => {
    const found = await draft(req, res);
    if (!found) return;
    const form = parseForm(offerForm(clock.today()), req.body, { dates: ['dpOfferedOn'] });
    if (!form.ok) return render(res, 400, 'direct-payments', found.loaded, { pageTitle: 'Direct payments offered', values: typed(req.body), errors: form.errors });
    const v = form.data;
    // When not yet offered, the reason is kept where the person's response would be, so the
    // question counts as answered and the reason shows wherever the offer does.
    await update(req, found, 'direct-payments', {
      dp_offered: v.dpOffered,
      dp_offered_on: v.dpOffered ? v.dpOfferedOn : null,
      dp_response: v.dpOffered ? v.dpResponse : v.dpNotOfferedReason,
    });
    res.redirect(303, `/conversations/${found.loaded.conversation.id}`);
  });

  const eligibilityLocals = () => ({
    pageTitle: 'Eligibility',
    outcomeList: ENGLAND_OUTCOMES.map(([code, text]) => ({ code, text, reasonField: reasonField(code) })),
  });

  router.get('/conversations/:conversationId/eligibility', write, async (req, res) => {
    const found = await draft(req, res);
    if (!found) return;
    const { conversation: c, person, outcomes } = found.loaded;
    await audit(db, found.user, { action: 'view', entityType: 'conversation', entityId: c.id, personId: person.id, details: { page: 'eligibility' } }, req.ip);
    const answered = eligibilityAnswered(person.jurisdiction, c);
    const values: Record<string, unknown> = person.jurisdiction === 'wales'
      ? { canAndCanOnly: yesNo(c.can_and_can_only), reasons: c.eligibility_reasons ?? '' }
      : {
          unable: answered ? (outcomes.some((o) => o.unable) ? outcomes.filter((o) => o.unable).map((o) => o.outcome) : ['none']) : [],
          ...Object.fromEntries(outcomes.filter((o) => o.unable).map((o) => [`reason-${o.outcome}`, o.reason ?? ''])),
          significantImpact: yesNo(c.significant_impact),
          impactReasons: c.eligibility_reasons ?? '',
        };
    render(res, 200, `eligibility-${person.jurisdiction}`, found.loaded, { ...eligibilityLocals(), values });
  });

  router.post('/conversations/:conversationId/eligibility', write, async (req, res) => {
    const found = await draft(req, res);
    if (!found) return;
    const { conversation: c, person } = found.loaded;
    const unable = req.body?.unable;
    const values = { ...typed(req.body), unable: Array.isArray(unable) ? unable : unable ? [unable] : [] };
    const again = (errors: unknown) => render(res, 400, `eligibility-${person.jurisdiction}`, found.loaded, { ...eligibilityLocals(), values, errors });
    if (person.jurisdiction === 'wales') {
      const form = parseForm(walesEligibilityForm, req.body);
      if (!form.ok) return again(form.errors);
      await update(req, found, 'eligibility', { can_and_can_only: form.data.canAndCanOnly, eligibility_reasons: form.data.reasons });
    } else {
      const form = parseForm(englandEligibilityForm, req.body);
      if (!form.ok) return again(inPageOrder(form.errors, ENGLAND_FIELDS));
      await update(req, found, 'eligibility', { significant_impact: form.data.significantImpact, eligibility_reasons: form.data.reasons }, async (trx) => {
        for (const o of form.data.outcomes) {
          await trx
            .insertInto('conversation_outcomes')
            .values({ conversation_id: c.id, ...o })
            .onConflict((oc) => oc.columns(['conversation_id', 'outcome']).doUpdateSet({ unable: o.unable, reason: o.reason }))
            .execute();
        }
      });
    }
    res.redirect(303, `/conversations/${c.id}`);
  });

  /** Saves one section of a draft, with its audit row, in one transaction. */
  async function update(
    req: express.Request,
    { user, loaded }: { user: ReturnType<typeof userOf>; loaded: LoadedConversation },
    section: string,
    columns: Record<string, unknown>,
    also?: (trx: Transaction<DB>) => Promise<void>,
  ) {
    await db.transaction().execute(async (trx) => {
      const changed = await trx
        .updateTable('conversations')
        .set({ ...columns, updated_at: clock.now() })
        .where('id', '=', loaded.conversation.id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      // Completed by someone else meanwhile: leave it as it was.
      if (Number(changed.numUpdatedRows) !== 1) return;
      await also?.(trx);
      await audit(trx, user, { action: 'update', entityType: 'conversation', entityId: loaded.conversation.id, personId: loaded.person.id, details: { section } }, req.ip);
    });
  }

  return router;
}
