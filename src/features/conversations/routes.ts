import express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { can } from '../../platform/permissions.ts';
import { param } from '../../platform/http/errors.ts';
import { parseForm } from '../../platform/http/validation.ts';
import { personFor, fullName } from '../people/access.ts';
import { dateFields, typed } from '../people/form-values.ts';
import { conversationFor, type LoadedConversation } from './queries.ts';
import { newConversationForm } from './forms.ts';
import { eligibilityDecision, missingBeforeCompleting, tasks } from './progress.ts';
import { pageLocals } from './page-locals.ts';
import { sectionRoutes } from './section-routes.ts';

export function conversationsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  router.get('/people/:personId/conversations/new', requireCapability('conversations:write'), async (req, res) => {
    const user = userOf(req);
    const person = await personFor(db, user, param(req, 'personId'), clock.today());
    await audit(db, user, { action: 'view', entityType: 'person', entityId: person.id, personId: person.id, details: { page: 'new conversation' } }, req.ip);
    res.render('conversations/views/new.njk', { pageTitle: 'Start a ‘what matters’ conversation', person, name: fullName(person), values: dateFields('heldOn', clock.today()), backLink: `/people/${person.id}` });
  });

  router.post('/people/:personId/conversations/new', requireCapability('conversations:write'), async (req, res) => {
    const user = userOf(req);
    const person = await personFor(db, user, param(req, 'personId'), clock.today());
    const form = parseForm(newConversationForm(clock.today()), req.body, { dates: ['heldOn'] });
    if (!form.ok) {
      return res.status(400).render('conversations/views/new.njk', { pageTitle: 'Start a ‘what matters’ conversation', person, name: fullName(person), values: typed(req.body), errors: form.errors, backLink: `/people/${person.id}` });
    }
    const conversation = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('conversations')
        .values({ person_id: person.id, practitioner_id: user.id, held_on: form.data.heldOn })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, user, { action: 'create', entityType: 'conversation', entityId: row.id, personId: person.id }, req.ip);
      return row;
    });
    res.redirect(303, `/conversations/${conversation.id}`);
  });

  router.get('/conversations/:conversationId', requireCapability('conversations:read'), async (req, res) => {
    const user = userOf(req);
    const loaded = await conversationFor(db, user, param(req, 'conversationId'), clock.today());
    await viewed(user, loaded, req.ip, 'conversation');
    const completed = loaded.conversation.status === 'completed';
    res.render(completed ? 'conversations/views/completed.njk' : 'conversations/views/task-list.njk', {
      ...pageLocals(loaded),
      pageTitle: `‘What matters’ conversation with ${fullName(loaded.person)}`,
      tasks: tasks(loaded),
      canChange: can(user, 'conversations:write'),
      canPlan: can(user, 'plans:write'),
    });
  });

  router.get('/conversations/:conversationId/complete', requireCapability('conversations:write'), async (req, res) => {
    const user = userOf(req);
    const loaded = await conversationFor(db, user, param(req, 'conversationId'), clock.today());
    if (loaded.conversation.status === 'completed') return res.redirect(303, `/conversations/${loaded.conversation.id}`);
    await viewed(user, loaded, req.ip, 'check answers');
    res.render('conversations/views/check.njk', { ...pageLocals(loaded), pageTitle: 'Check your answers before completing the conversation', canChange: true });
  });

  router.post('/conversations/:conversationId/complete', requireCapability('conversations:write'), async (req, res) => {
    const user = userOf(req);
    const loaded = await conversationFor(db, user, param(req, 'conversationId'), clock.today());
    const { conversation, person } = loaded;
    if (conversation.status === 'completed') return res.redirect(303, `/conversations/${conversation.id}`);
    const missing = missingBeforeCompleting(loaded);
    const decision = eligibilityDecision(loaded);
    if (missing.length || !decision) {
      const errors = { list: missing, fields: {} };
      return res.status(400).render('conversations/views/check.njk', { ...pageLocals(loaded), pageTitle: 'Check your answers before completing the conversation', canChange: true, errors });
    }
    await db.transaction().execute(async (trx) => {
      // Only a draft is completed, so two people pressing the button at once record one decision.
      const done = await trx
        .updateTable('conversations')
        .set({ status: 'completed', completed_at: clock.now(), eligible: decision.eligible, updated_at: clock.now() })
        .where('id', '=', conversation.id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 1) {
        await audit(trx, user, { action: 'decide', entityType: 'conversation', entityId: conversation.id, personId: person.id, details: { eligible: decision.eligible, jurisdiction: person.jurisdiction } }, req.ip);
      }
    });
    res.redirect(303, `/conversations/${conversation.id}/completed`);
  });

  router.get('/conversations/:conversationId/completed', requireCapability('conversations:write'), async (req, res) => {
    const user = userOf(req);
    const loaded = await conversationFor(db, user, param(req, 'conversationId'), clock.today());
    if (loaded.conversation.status !== 'completed') return res.redirect(303, `/conversations/${loaded.conversation.id}/complete`);
    await viewed(user, loaded, req.ip, 'confirmation');
    res.render('conversations/views/confirmation.njk', { ...pageLocals(loaded), pageTitle: 'Conversation completed', canPlan: can(user, 'plans:write') });
  });

  router.use(sectionRoutes(services));

  async function viewed(user: ReturnType<typeof userOf>, { conversation, person }: LoadedConversation, ip: string | undefined, page: string) {
    await audit(db, user, { action: 'view', entityType: 'conversation', entityId: conversation.id, personId: person.id, details: { page } }, ip);
  }

  return router;
}
