import express from 'express';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import type { Database } from '../../platform/db/database.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { f, fieldError, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { isUuid } from '../../platform/permissions.ts';
import { describeShare } from '../../domain/pool-shares.ts';
import { directPaymentFor } from '../payments/direct-payment-access.ts';
import { addMember, createPool, leavePool, PoolRuleBroken, recordContributions, recordPurchase } from './money.ts';
import { membersOf, membersOn, poolById, poolsFor, poolsOfCouncil, purchasesOf, SERVICE_KINDS } from './queries.ts';

const KIND_NAMES: Record<string, string> = {
  purchase: 'A shared purchase',
  session_series: 'A series of sessions',
  shared_pas: 'Employing shared personal assistants',
};

const poolSchema = z.object({
  name: f.text('Enter the pool’s name', 200, 'The name must be 200 characters or fewer'),
  serviceKind: f.choice(SERVICE_KINDS, 'Select what the pool pays for'),
  description: f.text('Describe the shared service', 2000, 'The description must be 2,000 characters or fewer'),
  managedBy: f.text('Enter who manages the pool', 200, 'Who manages the pool must be 200 characters or fewer'),
  agreementSignedOn: f.optionalDate('The date the agreement was signed must be a real date, like 1 11 2026'),
});
const memberSchema = z.object({
  reference: f.text('Enter the direct payment’s reference, like DP-000004', 20, 'Enter the direct payment’s reference, like DP-000004'),
  shareParts: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().regex(/^\d{1,4}$/, { error: 'Enter their parts as a whole number from 1 to 1000' }))
    .transform(Number).refine((n) => n >= 1 && n <= 1000, { error: 'Enter their parts as a whole number from 1 to 1000' }),
  contribution: f.money('Enter what they put in each period', 'Enter what they put in each period in pounds, like 120.00', { min: 1, max: 100_000_00, tooSmall: 'What they put in must be more than £0', tooBig: 'What they put in must be £100,000 or less' }),
  joinedOn: f.date('Enter the date they joined', 'The date they joined must be a real date, like 1 11 2026'),
});
const contributionSchema = (today: string) => z.object({ periodStartsOn: f.date('Enter the date the period starts', 'The date the period starts must be a real date, like 30 11 2026').refine((v) => v <= today, { error: 'The period must have started already' }) });
const purchaseSchema = (today: string) => z.object({
  boughtOn: f.date('Enter the date it was bought', 'The date it was bought must be a real date, like 20 11 2026').refine((v) => v <= today, { error: 'The date it was bought must be today or in the past' }),
  description: f.text('Enter what the pool bought', 500, 'What the pool bought must be 500 characters or fewer'),
  supplier: f.text('Enter who was paid', 200, 'Who was paid must be 200 characters or fewer'),
  amount: f.money('Enter the amount', 'Enter the amount in pounds, like 240.00', { min: 1, max: 1_000_000_00, tooSmall: 'The amount must be more than £0', tooBig: 'The amount must be £1,000,000 or less' }),
});
const leaveSchema = (today: string) => z.object({ leftOn: f.date('Enter the date they leave', 'The date they leave must be a real date, like 23 11 2026').refine((v) => v <= today, { error: 'The date they leave must be today or in the past' }) });

async function poolFor(db: Database, user: CurrentUser, poolId: string) {
  if (!isUuid(poolId)) notFound();
  const pool = await poolById(db, poolId);
  if (!pool || pool.council_id !== user.councilId) notFound();
  return pool;
}

/** Pools: staff set them up and move their money; each member reads their own share under /my. */
export function poolsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const read = requireCapability('pools:read');
  const write = requireCapability('pools:write');

  router.get('/pools', read, async (req, res) => {
    const user = userOf(req);
    const pools = await poolsOfCouncil(db, user.councilId, clock.today());
    res.render('pools/views/list.njk', { pageTitle: 'Pools', pools: pools.map((p) => ({ ...p, kindName: KIND_NAMES[p.service_kind] })) });
  });

  const renderNew = (res: express.Response, values: Record<string, unknown>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('pools/views/new.njk', { pageTitle: 'Set up a pool', values, errors, kindItems: Object.entries(KIND_NAMES), backLink: '/pools' });
  router.get('/pools/new', write, (_req, res) => renderNew(res, {}));
  router.post('/pools/new', write, async (req, res) => {
    const user = userOf(req);
    const parsed = parseForm(poolSchema, req.body, { dates: ['agreementSignedOn'] });
    if (!parsed.ok) return renderNew(res, req.body ?? {}, parsed.errors);
    const d = parsed.data;
    const id = await db.transaction().execute((trx) => createPool(trx, { councilId: user.councilId, name: d.name, serviceKind: d.serviceKind, description: d.description, managedBy: d.managedBy, agreementSignedOn: d.agreementSignedOn || null, user, ip: req.ip }));
    await flashThenRedirect(req, res, { title: 'Pool set up', text: 'Now add its members and their shares.' }, `/pools/${id}`);
  });

  const renderPool = async (req: express.Request, res: express.Response, poolId: string, form?: { which: string; values: Record<string, unknown>; errors: FormErrors }) => {
    const user = userOf(req);
    const today = clock.today();
    const page = await db.transaction().execute(async (trx) => {
      const pool = await poolFor(trx, user, poolId);
      const members = await membersOf(trx, pool.id);
      const purchases = await purchasesOf(trx, pool.id);
      for (const m of members) await audit(trx, user, { action: 'view', entityType: 'pool-member', entityId: m.id, personId: m.person_id, details: { poolId: pool.id } }, req.ip);
      return { pool, members, purchases };
    });
    const current = membersOn(page.members, today);
    const whole = current.reduce((s, m) => s + m.share_parts, 0);
    const nameOf = new Map(page.members.map((m) => [m.id, m.name]));
    res.status(form ? 400 : 200).render('pools/views/pool.njk', {
      pageTitle: page.pool.name,
      ...page,
      kindName: KIND_NAMES[page.pool.service_kind],
      current: current.map((m) => ({ ...m, shareText: describeShare(m.share_parts, whole) })),
      past: page.members.filter((m) => m.left_on && m.left_on <= today),
      purchases: page.purchases.map((p) => ({ ...p, parts: p.shares.map((s) => ({ name: nameOf.get(s.pool_member_id), amount: s.amount_pence })) })),
      totals: {
        contributed: page.members.reduce((s, m) => s + m.contributedPence, 0),
        spent: page.members.reduce((s, m) => s + m.spentPence, 0),
        held: page.members.reduce((s, m) => s + m.heldPence, 0),
      },
      which: form?.which, values: form?.values ?? {}, errors: form?.errors,
      backLink: '/pools',
    });
  };

  router.get('/pools/:poolId', read, (req, res) => renderPool(req, res, param(req, 'poolId')));

  const fail = (req: express.Request, res: express.Response, which: string, errors: FormErrors) => renderPool(req, res, param(req, 'poolId'), { which, values: req.body ?? {}, errors });

  router.post('/pools/:poolId/members', write, async (req, res) => {
    const user = userOf(req);
    const pool = await poolFor(db, user, param(req, 'poolId'));
    const parsed = parseForm(memberSchema, req.body, { dates: ['joinedOn'] });
    if (!parsed.ok) return fail(req, res, 'member', parsed.errors);
    const dp = await db.selectFrom('direct_payments').select(['id']).where('reference', '=', parsed.data.reference.toUpperCase()).where('council_id', '=', pool.council_id).executeTakeFirst();
    if (!dp) return fail(req, res, 'member', fieldError('reference', 'There is no direct payment with that reference in this council'));
    try {
      await db.transaction().execute((trx) => addMember(trx, { poolId: pool.id, directPaymentId: dp.id, shareParts: parsed.data.shareParts, contributionPence: parsed.data.contribution, joinedOn: parsed.data.joinedOn, user, ip: req.ip }));
    } catch (err) {
      if (err instanceof PoolRuleBroken) return fail(req, res, 'member', fieldError('reference', err.message));
      throw err;
    }
    await flashThenRedirect(req, res, { title: 'Member added' }, `/pools/${pool.id}`);
  });

  router.post('/pools/:poolId/contributions', write, async (req, res) => {
    const user = userOf(req);
    const pool = await poolFor(db, user, param(req, 'poolId'));
    const parsed = parseForm(contributionSchema(clock.today()), req.body, { dates: ['periodStartsOn'] });
    if (!parsed.ok) return fail(req, res, 'contributions', parsed.errors);
    const result = await db.transaction().execute((trx) => recordContributions(trx, { poolId: pool.id, periodStartsOn: parsed.data.periodStartsOn, user, ip: req.ip }));
    const text = result.shortOf.length ? `Not enough in the account of: ${result.shortOf.join(', ')}. Their contribution was not moved.` : undefined;
    await flashThenRedirect(req, res, { title: result.posted === 1 ? '1 contribution moved into the pool' : `${result.posted} contributions moved into the pool`, text }, `/pools/${pool.id}`);
  });

  router.post('/pools/:poolId/purchases', write, async (req, res) => {
    const user = userOf(req);
    const pool = await poolFor(db, user, param(req, 'poolId'));
    const parsed = parseForm(purchaseSchema(clock.today()), req.body, { dates: ['boughtOn'] });
    if (!parsed.ok) return fail(req, res, 'purchase', parsed.errors);
    try {
      await db.transaction().execute((trx) => recordPurchase(trx, { poolId: pool.id, boughtOn: parsed.data.boughtOn, description: parsed.data.description, supplier: parsed.data.supplier, amountPence: parsed.data.amount, user, ip: req.ip }));
    } catch (err) {
      if (err instanceof PoolRuleBroken) return fail(req, res, 'purchase', fieldError(err.field === 'boughtOn' ? 'boughtOn' : 'amount', err.message, err.field === 'boughtOn' ? '#boughtOn-day' : '#amount'));
      throw err;
    }
    await flashThenRedirect(req, res, { title: 'Purchase recorded', text: 'Each member’s part has been worked out from their share.' }, `/pools/${pool.id}`);
  });

  const memberFor = async (db: Database, user: CurrentUser, memberId: string) => {
    if (!isUuid(memberId)) notFound();
    const member = await db.selectFrom('pool_members').selectAll().where('id', '=', memberId).executeTakeFirst();
    if (!member) notFound();
    const pool = await poolFor(db, user, member.pool_id);
    const me = (await membersOf(db, pool.id)).find((m) => m.id === member.id)!;
    return { pool, member: me };
  };
  const renderLeave = (res: express.Response, found: Awaited<ReturnType<typeof memberFor>>, values: Record<string, unknown>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('pools/views/leave.njk', { pageTitle: 'A member leaves the pool', ...found, values, errors, backLink: `/pools/${found.pool.id}` });
  router.get('/pool-members/:memberId/leave', write, async (req, res) => {
    const user = userOf(req);
    const found = await db.transaction().execute(async (trx) => {
      const found = await memberFor(trx, user, param(req, 'memberId'));
      await audit(trx, user, { action: 'view', entityType: 'pool-member', entityId: found.member.id, personId: found.member.person_id }, req.ip);
      return found;
    });
    if (found.member.left_on) notFound();
    renderLeave(res, found, {});
  });
  router.post('/pool-members/:memberId/leave', write, async (req, res) => {
    const user = userOf(req);
    const found = await memberFor(db, user, param(req, 'memberId'));
    const parsed = parseForm(leaveSchema(clock.today()), req.body, { dates: ['leftOn'] });
    if (!parsed.ok) return renderLeave(res, found, req.body ?? {}, parsed.errors);
    let settled: number;
    try {
      settled = (await db.transaction().execute((trx) => leavePool(trx, { memberId: found.member.id, leftOn: parsed.data.leftOn, user, ip: req.ip }))).settledPence;
    } catch (err) {
      if (err instanceof PoolRuleBroken) return renderLeave(res, found, req.body ?? {}, fieldError('leftOn', err.message, '#leftOn-day'));
      throw err;
    }
    await flashThenRedirect(req, res, { title: `${found.member.name} has left the pool`, text: `£${(settled / 100).toFixed(2)} of their money has gone back to their direct payment.` }, `/pools/${found.pool.id}`);
  });

  // The member's own view: what the pool bought and their part of it.
  router.get('/my/direct-payments/:dpId/pools', requireCapability('own:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const page = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
      if (dp.status === 'draft') notFound();
      const pools = [];
      for (const p of await poolsFor(trx, dp.id)) {
        const members = await membersOf(trx, p.id);
        const me = members.find((m) => m.id === p.member_id)!;
        const whole = membersOn(members, today).reduce((s, m) => s + m.share_parts, 0) || me.share_parts;
        const purchases = (await purchasesOf(trx, p.id))
          .map((x) => ({ ...x, mine: x.shares.find((s) => s.pool_member_id === me.id)?.amount_pence ?? null }))
          .filter((x) => x.mine !== null);
        pools.push({ ...p, me, whole, percent: Math.round((me.share_parts * 1000) / whole) / 10, members: membersOn(members, today).length, purchases });
      }
      await audit(trx, user, { action: 'view', entityType: 'own-pools', entityId: dp.id, personId: dp.person_id }, req.ip);
      return { dp, pools };
    });
    res.render('pools/views/my-pools.njk', {
      pageTitle: res.locals.t('pools:title'),
      ...page,
      isRepresentative: user.role === 'representative',
      backLink: `/my/direct-payments/${page.dp.id}`,
    });
  });

  return router;
}
