import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { notify } from '../../platform/notifications/index.ts';
import { formatPounds } from '../../domain/money.ts';
import { formatDate } from '../../domain/dates.ts';
import {
  DEFAULT_CHALLENGE_DAYS, OPEN_STATUSES, SurplusStepRefused, assertMayRecover, challengeEndsOn, recoveryAmount,
  type CaseStatus, type Method, type Reason,
} from '../../domain/surplus.ts';
import { accountFor, postTransaction } from '../payments/ledger.ts';
import { lockCouncilPayments } from '../payments/locks.ts';
import { surplusNow } from './calculate.ts';
import './notifications.ts';

type Trx = Transaction<DB>;
type Db = Kysely<DB> | Trx;
type Actor = CurrentUser;

export { SurplusStepRefused };

export async function challengeDaysFor(db: Db, councilId: string): Promise<number> {
  const row = await db.selectFrom('surplus_settings').select('challenge_days').where('council_id', '=', councilId).executeTakeFirst();
  return row?.challenge_days ?? DEFAULT_CHALLENGE_DAYS;
}

/** The case open on a direct payment (at most one), else the latest closed one, else null. */
export async function currentCase(db: Db, directPaymentId: string) {
  return (
    (await db
      .selectFrom('surplus_cases')
      .selectAll()
      .where('direct_payment_id', '=', directPaymentId)
      .orderBy((eb) => eb.case().when('status', 'in', [...OPEN_STATUSES]).then(0).else(1).end())
      .orderBy('created_at', 'desc')
      .executeTakeFirst()) ?? null
  );
}

export type SurplusCase = NonNullable<Awaited<ReturnType<typeof currentCase>>>;

async function lockCase(trx: Trx, directPaymentId: string): Promise<SurplusCase> {
  const c = await trx
    .selectFrom('surplus_cases')
    .selectAll()
    .where('direct_payment_id', '=', directPaymentId)
    .where('status', 'in', [...OPEN_STATUSES])
    .forUpdate()
    .executeTakeFirst();
  if (!c) throw new SurplusStepRefused('There is no open surplus on this direct payment');
  return c;
}

function expect(c: SurplusCase, ...statuses: CaseStatus[]): void {
  if (!statuses.includes(c.status as CaseStatus)) {
    throw new SurplusStepRefused(
      c.status === 'conversation_due' ? 'Record the conversation with the person first'
        : c.status === 'notice_due' ? 'Send the person written notice first'
          : c.status === 'challenged' ? 'The person has challenged the notice: record a decision on the challenge first'
            : 'This step has already been done',
    );
  }
}

type DpRef = { id: string; council_id: string; person_id: string; reference: string };

/** Records money a practitioner knows is already committed (say a PA's next wages), used when payroll records do not say. */
export async function recordCommitment(trx: Trx, args: { dp: DpRef; amountPence: number; committedFor: string; user: Actor; today: string; ip?: string }): Promise<void> {
  await trx
    .insertInto('monitoring_commitments')
    .values({ direct_payment_id: args.dp.id, amount_pence: args.amountPence, committed_for: args.committedFor, recorded_on: args.today, recorded_by: args.user.id })
    .execute();
  await audit(trx, args.user, { action: 'create', entityType: 'surplus-commitment', entityId: args.dp.id, personId: args.dp.person_id, details: { amountPence: args.amountPence } }, args.ip);
}

/** Opens a surplus case with the sum as it stands today. Refused when there is no surplus or one is already open. */
export async function openCase(trx: Trx, args: { dp: DpRef; user: Actor; today: string; ip?: string }): Promise<string> {
  // One at a time per direct payment: the row lock on the direct payment serialises openers.
  await trx.selectFrom('direct_payments').select('id').where('id', '=', args.dp.id).forUpdate().executeTakeFirstOrThrow();
  const open = await trx.selectFrom('surplus_cases').select('id').where('direct_payment_id', '=', args.dp.id).where('status', 'in', [...OPEN_STATUSES]).executeTakeFirst();
  if (open) throw new SurplusStepRefused('A surplus is already being looked at for this direct payment');
  const sum = await surplusNow(trx, args.dp.id, args.today);
  if (!sum || sum.surplusPence <= 0) throw new SurplusStepRefused('There is no surplus: the balance is within the contingency and money already committed');
  const row = await trx
    .insertInto('surplus_cases')
    .values({
      council_id: args.dp.council_id,
      direct_payment_id: args.dp.id,
      opened_on: args.today,
      opened_by: args.user.id,
      balance_pence: sum.balancePence,
      contingency_pence: sum.contingencyPence,
      contingency_weeks: sum.contingencyWeeks,
      committed_pence: sum.committedPence,
      committed_source: sum.committedSource,
      surplus_pence: sum.surplusPence,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(trx, args.user, { action: 'create', entityType: 'surplus-case', entityId: row.id, personId: args.dp.person_id, details: { surplusPence: sum.surplusPence } }, args.ip);
  return row.id;
}

export type ConversationInput = { heldOn: string; reason: Reason; notes: string; keep: boolean; recoverPence: number | null; method: Method | null };

/**
 * Step 1: the conversation about why the money is unspent. A good reason (a PA vacancy, saving for
 * something planned) closes the case with nothing recovered. Otherwise it sets how much (never more
 * than the surplus: the database refuses it too) and how.
 */
export async function recordConversation(trx: Trx, args: { dp: DpRef; input: ConversationInput; user: Actor; ip?: string }): Promise<SurplusCase> {
  const c = await lockCase(trx, args.dp.id);
  expect(c, 'conversation_due');
  const { input } = args;
  if (!input.keep && (input.recoverPence === null || input.recoverPence > c.surplus_pence || input.recoverPence <= 0 || !input.method)) {
    throw new SurplusStepRefused(`The amount to recover must be between £0.01 and the surplus of ${formatPounds(c.surplus_pence)}`);
  }
  const updated = await trx
    .updateTable('surplus_cases')
    .set({
      status: input.keep ? 'no_recovery' : 'notice_due',
      conversation_on: input.heldOn,
      conversation_by: args.user.id,
      conversation_reason: input.reason,
      conversation_notes: input.notes,
      keep_money: input.keep,
      recover_pence: input.keep ? null : input.recoverPence,
      method: input.keep ? null : input.method,
      updated_at: new Date(),
    })
    .where('id', '=', c.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, args.user, { action: 'update', entityType: 'surplus-case', entityId: c.id, personId: args.dp.person_id, details: { step: 'conversation', keep: input.keep, recoverPence: input.recoverPence } }, args.ip);
  return updated;
}

/**
 * Step 2: written notice. Fixes the end of the challenge period (the council's setting, at least 14
 * days), tells the person and anyone acting for them in the service, and shows them the notice page
 * and letter under /my.
 */
export async function sendNotice(trx: Trx, args: { dp: DpRef; user: Actor; today: string; ip?: string }): Promise<SurplusCase> {
  const c = await lockCase(trx, args.dp.id);
  expect(c, 'notice_due');
  const ends = challengeEndsOn(args.today, await challengeDaysFor(trx, args.dp.council_id));
  const updated = await trx
    .updateTable('surplus_cases')
    .set({ status: 'notice_sent', notice_sent_on: args.today, notice_by: args.user.id, challenge_ends_on: ends, updated_at: new Date() })
    .where('id', '=', c.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const recipients = await trx
    .selectFrom('people')
    .select('user_id')
    .where('id', '=', args.dp.person_id)
    .where('user_id', 'is not', null)
    .union(
      trx.selectFrom('representatives').select('user_id').where('person_id', '=', args.dp.person_id).where('user_id', 'is not', null)
        .where('starts_on', '<=', args.today).where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', args.today)])),
    )
    .execute();
  for (const r of recipients) {
    await notify(trx, {
      councilId: args.dp.council_id,
      templateId: 'surplus-notice',
      reference: `surplus-notice:${c.id}:${r.user_id}`,
      toUserId: r.user_id,
      link: `/my/direct-payments/${args.dp.id}/surplus`,
      personalisation: { reference: args.dp.reference, amount: formatPounds(c.recover_pence!), challenge_by: formatDate(ends) },
    });
  }
  await audit(trx, args.user, { action: 'update', entityType: 'surplus-case', entityId: c.id, personId: args.dp.person_id, details: { step: 'notice', challengeEndsOn: ends } }, args.ip);
  return updated;
}

/** The person (or their representative) challenges the notice before the period ends. Recovery waits for a decision. */
export async function recordChallenge(trx: Trx, args: { dp: DpRef; text: string; user: Actor; today: string; ip?: string }): Promise<SurplusCase> {
  const c = await lockCase(trx, args.dp.id);
  expect(c, 'notice_sent');
  if (args.today > c.challenge_ends_on! || c.challenge_decided_on) throw new SurplusStepRefused('The time to challenge this notice has ended');
  const updated = await trx
    .updateTable('surplus_cases')
    .set({ status: 'challenged', challenged_on: args.today, challenge_text: args.text, updated_at: new Date() })
    .where('id', '=', c.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, args.user, { action: 'update', entityType: 'surplus-case', entityId: c.id, personId: args.dp.person_id, details: { step: 'challenge' } }, args.ip);
  return updated;
}

/** A practitioner decides a challenge: upheld closes the case with nothing recovered; not upheld lets recovery go ahead after the period. */
export async function decideChallenge(trx: Trx, args: { dp: DpRef; upheld: boolean; decision: string; user: Actor; today: string; ip?: string }): Promise<SurplusCase> {
  const c = await lockCase(trx, args.dp.id);
  expect(c, 'challenged');
  const updated = await trx
    .updateTable('surplus_cases')
    .set({
      status: args.upheld ? 'no_recovery' : 'notice_sent',
      challenge_decided_on: args.today,
      challenge_decided_by: args.user.id,
      challenge_upheld: args.upheld,
      challenge_decision: args.decision,
      updated_at: new Date(),
    })
    .where('id', '=', c.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, args.user, { action: 'decide', entityType: 'surplus-case', entityId: c.id, personId: args.dp.person_id, details: { step: 'challenge-decision', upheld: args.upheld } }, args.ip);
  return updated;
}

/**
 * Step 3: recovery, posted to the ledger exactly once (the idempotency key names the case): the
 * direct payment's account → owed back. The amount is what the notice said, but never more than
 * the surplus is now, worked out while holding the council's payments lock so nothing moves
 * meanwhile. "Reduce future payments" becomes an offset that payment runs take off later payments (offsets.ts).
 */
export async function postRecovery(trx: Trx, args: { dp: DpRef; user: Actor; today: string; ip?: string }): Promise<{ recoveredPence: number; transactionId: string }> {
  await lockCouncilPayments(trx, args.dp.council_id);
  const c = await lockCase(trx, args.dp.id);
  assertMayRecover({ status: c.status as CaseStatus, challenge_ends_on: c.challenge_ends_on, challenged_on: c.challenged_on, challenge_upheld: c.challenge_upheld }, args.today);
  const now = await surplusNow(trx, args.dp.id, args.today);
  const amount = recoveryAmount(c.recover_pence!, now?.surplusPence ?? 0);
  if (amount <= 0) throw new SurplusStepRefused('There is no surplus now: the money has been spent or committed since the notice, so nothing can be recovered');
  const posted = await postTransaction(trx, {
    idempotencyKey: `surplus:${c.id}:recovery`,
    councilId: args.dp.council_id,
    kind: 'surplus_recovery',
    description: `${args.dp.reference}: surplus recovered (${c.method === 'refund' ? 'to be paid back' : 'from future payments'})`,
    effectiveOn: args.today,
    directPaymentId: args.dp.id,
    createdBy: args.user.id,
    postings: [
      { accountId: await accountFor(trx, args.dp.council_id, 'direct_payment', args.dp.id), amountPence: -amount },
      { accountId: await accountFor(trx, args.dp.council_id, 'owed_back'), amountPence: amount },
    ],
  });
  await trx
    .updateTable('surplus_cases')
    .set({
      status: c.method === 'refund' ? 'recovered' : 'offsetting',
      recovered_on: args.today,
      recovered_by: args.user.id,
      recovered_pence: amount,
      recovery_transaction_id: posted.id,
      updated_at: new Date(),
    })
    .where('id', '=', c.id)
    .execute();
  if (c.method === 'reduce_payments') {
    await trx.insertInto('surplus_offsets').values({ case_id: c.id, direct_payment_id: args.dp.id, council_id: args.dp.council_id, amount_pence: amount }).execute();
  }
  await audit(trx, args.user, { action: 'update', entityType: 'surplus-case', entityId: c.id, personId: args.dp.person_id, details: { step: 'recovery', amountPence: amount, ledgerTransactionId: posted.id } }, args.ip);
  return { recoveredPence: amount, transactionId: posted.id };
}

/** Finance records the person's refund as received: owed back → the budget, once. */
export async function recordRefund(trx: Trx, args: { dp: DpRef; user: Actor; today: string; ip?: string }): Promise<void> {
  const c = await lockCase(trx, args.dp.id);
  expect(c, 'recovered');
  const posted = await postTransaction(trx, {
    idempotencyKey: `surplus:${c.id}:refund`,
    councilId: args.dp.council_id,
    kind: 'surplus_refund',
    description: `${args.dp.reference}: surplus refund received`,
    effectiveOn: args.today,
    directPaymentId: args.dp.id,
    createdBy: args.user.id,
    postings: [
      { accountId: await accountFor(trx, args.dp.council_id, 'owed_back'), amountPence: -c.recovered_pence! },
      { accountId: await accountFor(trx, args.dp.council_id, 'budget'), amountPence: c.recovered_pence! },
    ],
  });
  await trx
    .updateTable('surplus_cases')
    .set({ status: 'refunded', refund_received_on: args.today, refund_by: args.user.id, refund_transaction_id: posted.id, updated_at: new Date() })
    .where('id', '=', c.id)
    .execute();
  await audit(trx, args.user, { action: 'update', entityType: 'surplus-case', entityId: c.id, personId: args.dp.person_id, details: { step: 'refund', amountPence: c.recovered_pence, ledgerTransactionId: posted.id } }, args.ip);
}
