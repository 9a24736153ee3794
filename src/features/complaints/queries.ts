import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { canSeePerson, isUuid } from '../../platform/permissions.ts';
import { notFound } from '../../platform/http/errors.ts';
import { deadlineState, type ComplaintStage, type DeadlineState, type Jurisdiction } from '../../domain/complaint-deadlines.ts';

type Db = Kysely<DB> | Transaction<DB>;

export const OUTCOMES = { upheld: 'Upheld', partly_upheld: 'Partly upheld', not_upheld: 'Not upheld', withdrawn: 'Withdrawn by the person' } as const;
export type Outcome = keyof typeof OUTCOMES;
export const RECEIVED_BY = { phone: 'By phone', letter: 'By letter', email: 'By email', in_person: 'In person', online: 'Online, by the person' } as const;
export const STAGE_NAMES: Record<ComplaintStage, string> = { stage_1: 'Stage 1', stage_2: 'Stage 2', ombudsman: 'With the Ombudsman' };
/** What moving a complaint on to a stage is called, for the button and the message after it. */
export const MOVE_TO: Record<ComplaintStage, { button: string; done: string }> = {
  stage_1: { button: 'Move back to stage 1', done: 'Moved back to stage 1' },
  stage_2: { button: 'Move to stage 2, formal investigation', done: 'Moved to stage 2, formal investigation' },
  ombudsman: { button: 'Record that it has gone to the Ombudsman', done: 'Recorded as gone to the Ombudsman' },
};

/**
 * A complaint with its person and council, or a 404 when the user may not see it: staff of the
 * person's council, the person, or a representative acting for them now.
 */
export async function complaintFor(db: Db, user: CurrentUser, complaintId: string, today: string) {
  if (!isUuid(complaintId)) notFound();
  const row = await db
    .selectFrom('complaints as k')
    .innerJoin('people as p', 'p.id', 'k.person_id')
    .innerJoin('councils as c', 'c.id', 'k.council_id')
    .selectAll('k')
    .select(['p.given_name', 'p.family_name', 'p.reference as person_reference', 'p.user_id as person_user_id', 'c.name as council_name', 'c.jurisdiction', 'c.contact_email', 'c.contact_phone'])
    .where('k.id', '=', complaintId)
    .executeTakeFirst();
  if (!row) notFound();
  if (!(await canSeePerson(db, user, row.person_id, today))) notFound();
  return { ...row, stage: row.stage as ComplaintStage, jurisdiction: row.jurisdiction as Jurisdiction, personName: `${row.given_name} ${row.family_name}` };
}

export type ComplaintRow = Awaited<ReturnType<typeof complaintFor>>;

export async function historyOf(db: Db, complaintId: string) {
  return db
    .selectFrom('complaint_events as e')
    .innerJoin('users as u', 'u.id', 'e.recorded_by')
    .select(['e.id', 'e.event', 'e.stage', 'e.happened_on', 'e.details', 'e.created_at', 'u.display_name'])
    .where('e.complaint_id', '=', complaintId)
    .orderBy('e.created_at')
    .orderBy('e.id')
    .execute();
}

/** A direct payment's complaints, newest first, for the person's own contact page. */
export async function complaintsForDirectPayment(db: Db, directPaymentId: string) {
  return db
    .selectFrom('complaints')
    .select(['id', 'reference', 'stage', 'received_on', 'closed_on', 'responded_on'])
    .where('direct_payment_id', '=', directPaymentId)
    .orderBy('received_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

export type NextStep = { what: 'acknowledge' | 'respond'; dueBy: string; state: DeadlineState };

/** What the council must do next on an open complaint, and by when. */
export function nextStepOf(c: { stage: string; acknowledge_by: string | null; acknowledged_on: string | null; respond_by: string | null; responded_on: string | null; closed_on: string | null }, today: string, holidays: ReadonlySet<string>): NextStep | null {
  if (c.closed_on || c.stage === 'ombudsman') return null;
  if (!c.acknowledged_on && c.acknowledge_by) return { what: 'acknowledge', dueBy: c.acknowledge_by, state: deadlineState(c.acknowledge_by, null, today, holidays)! };
  if (!c.responded_on && c.respond_by) return { what: 'respond', dueBy: c.respond_by, state: deadlineState(c.respond_by, null, today, holidays)! };
  return null;
}

const STATE_ORDER: Record<string, number> = { overdue: 0, due_soon: 1, on_track: 2 };

/**
 * The manager's list: every complaint of the council not yet closed, with its next step and how
 * that stands today; overdue first, then due soon, then by date.
 */
export async function openComplaints(db: Db, councilId: string, today: string, holidays: ReadonlySet<string>) {
  const rows = await db
    .selectFrom('complaints as k')
    .innerJoin('people as p', 'p.id', 'k.person_id')
    .select([
      'k.id', 'k.reference', 'k.stage', 'k.received_on', 'k.received_by', 'k.acknowledge_by', 'k.acknowledged_on', 'k.respond_by', 'k.responded_on', 'k.closed_on',
      'p.given_name', 'p.family_name', 'p.reference as person_reference',
    ])
    .where('k.council_id', '=', councilId)
    .where('k.closed_on', 'is', null)
    .orderBy('k.received_on')
    .limit(1000)
    .execute();
  const withSteps = rows.map((r) => ({ ...r, next: nextStepOf(r, today, holidays) }));
  withSteps.sort((a, b) => {
    const sa = a.next ? STATE_ORDER[a.next.state]! : 3;
    const sb = b.next ? STATE_ORDER[b.next.state]! : 3;
    if (sa !== sb) return sa - sb;
    return (a.next?.dueBy ?? a.received_on).localeCompare(b.next?.dueBy ?? b.received_on);
  });
  return withSteps;
}

/** The council's most recently closed complaints, for the manager's list. */
export async function recentlyClosed(db: Db, councilId: string, limit = 50) {
  return db
    .selectFrom('complaints as k')
    .innerJoin('people as p', 'p.id', 'k.person_id')
    .select(['k.id', 'k.reference', 'k.stage', 'k.received_on', 'k.closed_on', 'k.outcome', 'p.given_name', 'p.family_name', 'p.reference as person_reference'])
    .where('k.council_id', '=', councilId)
    .where('k.closed_on', 'is not', null)
    .orderBy('k.closed_on', 'desc')
    .orderBy('k.reference', 'desc')
    .limit(limit)
    .execute();
}
