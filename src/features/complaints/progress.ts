import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { RedirectError } from '../../platform/http/errors.ts';
import { loadHolidays } from '../payments/holidays.ts';
import { nextStage, stageDeadlines, type ComplaintStage, type Jurisdiction } from '../../domain/complaint-deadlines.ts';
import type { Outcome } from './queries.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type ReceivedBy = 'online' | 'phone' | 'letter' | 'email' | 'in_person';

async function event(trx: Db, user: CurrentUser, complaintId: string, ev: string, stage: ComplaintStage, on: string, details: Record<string, unknown>) {
  await trx
    .insertInto('complaint_events')
    .values({ complaint_id: complaintId, event: ev, stage, happened_on: on, details: JSON.stringify(details), recorded_by: user.id })
    .execute();
}

/** A new complaint at stage 1, its deadlines worked out from the day it was received. */
export async function makeComplaint(
  trx: Db,
  args: {
    user: CurrentUser;
    councilId: string;
    jurisdiction: Jurisdiction;
    personId: string;
    directPaymentId: string | null;
    receivedOn: string;
    receivedBy: ReceivedBy;
    summary: string;
    wantedOutcome: string;
    ip?: string;
  },
): Promise<{ id: string; reference: string; acknowledgeBy: string; respondBy: string }> {
  const holidays = await loadHolidays(trx);
  const d = stageDeadlines(args.jurisdiction, 'stage_1', args.receivedOn, holidays)!;
  const row = await trx
    .insertInto('complaints')
    .values({
      council_id: args.councilId,
      person_id: args.personId,
      direct_payment_id: args.directPaymentId,
      received_on: args.receivedOn,
      received_by: args.receivedBy,
      summary: args.summary,
      wanted_outcome: args.wantedOutcome,
      stage: 'stage_1',
      stage_started_on: args.receivedOn,
      acknowledge_by: d.acknowledgeBy,
      respond_by: d.respondBy,
      logged_by: args.user.id,
    })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();
  await event(trx, args.user, row.id, 'received', 'stage_1', args.receivedOn, { receivedBy: args.receivedBy, acknowledgeBy: d.acknowledgeBy, respondBy: d.respondBy });
  await audit(trx, args.user, { action: 'create', entityType: 'complaint', entityId: row.id, personId: args.personId, details: { receivedBy: args.receivedBy, stage: 'stage_1' } }, args.ip);
  return { id: row.id, reference: row.reference, ...d };
}

/** Locks the complaint and reads it again, so two people recording at once take turns. */
async function lock(trx: Db, id: string) {
  return trx
    .selectFrom('complaints as k')
    .innerJoin('councils as c', 'c.id', 'k.council_id')
    .selectAll('k')
    .select('c.jurisdiction')
    .where('k.id', '=', id)
    .forUpdate('k')
    .executeTakeFirstOrThrow();
}

/**
 * Records the acknowledgement. Where the response runs from the acknowledgement (Wales stage 1), an
 * early acknowledgement brings the response date forward. In England the council and the person
 * may agree the response date (2009 Regulations reg 13(3)).
 */
export async function acknowledge(trx: Db, args: { user: CurrentUser; complaintId: string; on: string; agreedRespondBy?: string | null; ip?: string }) {
  const k = await lock(trx, args.complaintId);
  if (k.closed_on || k.acknowledged_on || k.stage === 'ombudsman') throw new RedirectError(`/complaints/${k.id}`);
  const holidays = await loadHolidays(trx);
  const d = stageDeadlines(k.jurisdiction as Jurisdiction, k.stage as ComplaintStage, k.stage_started_on, holidays, args.on)!;
  const agreed = k.jurisdiction === 'england' && args.agreedRespondBy ? args.agreedRespondBy : null;
  const respondBy = agreed ?? d.respondBy;
  await trx
    .updateTable('complaints')
    .set({ acknowledged_on: args.on, respond_by: respondBy, respond_by_agreed: agreed !== null, updated_at: sql`now()` })
    .where('id', '=', k.id)
    .execute();
  await event(trx, args.user, k.id, 'acknowledged', k.stage as ComplaintStage, args.on, { respondBy, agreed: agreed !== null, late: args.on > (k.acknowledge_by ?? args.on) });
  await audit(trx, args.user, { action: 'update', entityType: 'complaint', entityId: k.id, personId: k.person_id, details: { acknowledged: args.on, respondBy } }, args.ip);
  return { respondBy };
}

/** Records the council's response (or, at the Ombudsman stage, the Ombudsman's decision): outcome and any remedy. */
export async function respond(trx: Db, args: { user: CurrentUser; complaintId: string; on: string; outcome: Outcome; summary: string; remedy: string; ip?: string }) {
  const k = await lock(trx, args.complaintId);
  if (k.closed_on || k.responded_on || (!k.acknowledged_on && k.stage !== 'ombudsman')) throw new RedirectError(`/complaints/${k.id}`);
  await trx
    .updateTable('complaints')
    .set({ responded_on: args.on, outcome: args.outcome, response_summary: args.summary, remedy: args.remedy || null, updated_at: sql`now()` })
    .where('id', '=', k.id)
    .execute();
  await event(trx, args.user, k.id, 'responded', k.stage as ComplaintStage, args.on, { outcome: args.outcome, remedy: args.remedy || null, late: k.respond_by ? args.on > k.respond_by : false });
  await audit(trx, args.user, { action: 'update', entityType: 'complaint', entityId: k.id, personId: k.person_id, details: { responded: args.on, outcome: args.outcome } }, args.ip);
  return { personId: k.person_id, councilId: k.council_id, reference: k.reference, stage: k.stage as ComplaintStage };
}

/**
 * Moves the complaint to the next stage on the day the person asked: in Wales stage 1 → stage 2
 * (formal investigation, new deadlines), and from the council's last stage to the Ombudsman. The
 * previous stage's dates stay in the history. Allowed once the stage has been answered, or when
 * its response is overdue (the person need not wait for ever).
 */
export async function escalate(trx: Db, args: { user: CurrentUser; complaintId: string; on: string; ip?: string }): Promise<ComplaintStage> {
  const k = await lock(trx, args.complaintId);
  const jurisdiction = k.jurisdiction as Jurisdiction;
  const to = nextStage(jurisdiction, k.stage as ComplaintStage);
  const overdue = !!k.respond_by && !k.responded_on && args.on > k.respond_by;
  if (!to || !(k.responded_on || overdue) || args.on < k.stage_started_on) throw new RedirectError(`/complaints/${k.id}`);
  const holidays = await loadHolidays(trx);
  const d = stageDeadlines(jurisdiction, to, args.on, holidays);
  await trx
    .updateTable('complaints')
    .set({
      stage: to,
      stage_started_on: args.on,
      acknowledge_by: d?.acknowledgeBy ?? null,
      respond_by: d?.respondBy ?? null,
      respond_by_agreed: false,
      acknowledged_on: null,
      responded_on: null,
      outcome: null,
      response_summary: null,
      remedy: null,
      closed_on: null,
      updated_at: sql`now()`,
    })
    .where('id', '=', k.id)
    .execute();
  await event(trx, args.user, k.id, 'escalated', to, args.on, {
    from: k.stage,
    previous: { acknowledgeBy: k.acknowledge_by, acknowledgedOn: k.acknowledged_on, respondBy: k.respond_by, respondedOn: k.responded_on, outcome: k.outcome, remedy: k.remedy, summary: k.response_summary },
    acknowledgeBy: d?.acknowledgeBy ?? null,
    respondBy: d?.respondBy ?? null,
  });
  await audit(trx, args.user, { action: 'update', entityType: 'complaint', entityId: k.id, personId: k.person_id, details: { escalatedTo: to } }, args.ip);
  return to;
}

export async function close(trx: Db, args: { user: CurrentUser; complaintId: string; on: string; ip?: string }) {
  const k = await lock(trx, args.complaintId);
  if (k.closed_on || !k.responded_on || args.on < k.responded_on) throw new RedirectError(`/complaints/${k.id}`);
  await trx.updateTable('complaints').set({ closed_on: args.on, updated_at: sql`now()` }).where('id', '=', k.id).execute();
  await event(trx, args.user, k.id, 'closed', k.stage as ComplaintStage, args.on, {});
  await audit(trx, args.user, { action: 'update', entityType: 'complaint', entityId: k.id, personId: k.person_id, details: { closed: args.on } }, args.ip);
}
