import type { Services } from '../../platform/services.ts';
import { notify, registerTemplates } from '../../platform/notifications/index.ts';
import { formatDate } from '../../domain/dates.ts';
import { loadHolidays } from '../payments/holidays.ts';
import { nextStepOf } from './queries.ts';

// Reminders about complaint deadlines, sent by the daily job `complaints.reminders` to every active
// manager of the council: once when the next step (acknowledge or respond) is due within 3 working
// days, once more when it is overdue. The reference `complaint-reminder:<complaint>:<stage>:<step>:<state>:<user>`
// is the idempotency key, so the job may run any number of times, or twice at once; an escalation
// starts a new stage and so new reminders. The words carry references, never names.

export const COMPLAINT_TEMPLATES = {
  'complaint-due-soon': {
    subject: 'Complaint ((complaint)): ((step)) by ((due date))',
    body: 'Complaint ((complaint)) (person ((person reference))) is at ((stage)). The council must ((step)) by ((due date)).\n\nRecord it in Manage direct payments, under Complaints.',
  },
  'complaint-overdue': {
    subject: 'Complaint ((complaint)) is overdue',
    body: 'Complaint ((complaint)) (person ((person reference))) is at ((stage)). The council had to ((step)) by ((due date)).\n\nPlease do it as soon as you can, tell the person when they will hear, and record it in Manage direct payments, under Complaints.',
  },
};
registerTemplates(COMPLAINT_TEMPLATES);

const STEP_WORDS = { acknowledge: 'acknowledge it', respond: 'respond' } as const;
const STAGE_WORDS: Record<string, string> = { stage_1: 'stage 1', stage_2: 'stage 2 (formal investigation)' };

export async function sendComplaintReminders(services: Services, today: string): Promise<{ processed: number }> {
  const { db } = services;
  const holidays = await loadHolidays(db);
  const open = await db
    .selectFrom('complaints as k')
    .innerJoin('people as p', 'p.id', 'k.person_id')
    .select(['k.id', 'k.council_id', 'k.reference', 'k.stage', 'k.acknowledge_by', 'k.acknowledged_on', 'k.respond_by', 'k.responded_on', 'k.closed_on', 'p.reference as person_reference'])
    .where('k.closed_on', 'is', null)
    .where('k.stage', '<>', 'ombudsman')
    .execute();
  const managers = new Map<string, string[]>();
  let processed = 0;
  for (const k of open) {
    const next = nextStepOf(k, today, holidays);
    if (!next || (next.state !== 'due_soon' && next.state !== 'overdue')) continue;
    if (!managers.has(k.council_id)) {
      const rows = await db.selectFrom('users').select('id').where('council_id', '=', k.council_id).where('role', '=', 'manager').where('active', '=', true).execute();
      managers.set(k.council_id, rows.map((r) => r.id));
    }
    for (const userId of managers.get(k.council_id)!) {
      const sent = await notify(db, {
        councilId: k.council_id,
        templateId: next.state === 'overdue' ? 'complaint-overdue' : 'complaint-due-soon',
        reference: `complaint-reminder:${k.id}:${k.stage}:${next.what}:${next.state}:${userId}`,
        toUserId: userId,
        link: `/complaints/${k.id}`,
        personalisation: { complaint: k.reference, 'person reference': k.person_reference, stage: STAGE_WORDS[k.stage] ?? k.stage, step: STEP_WORDS[next.what], 'due date': formatDate(next.dueBy) },
      });
      if (sent.created) processed++;
    }
  }
  return { processed };
}
