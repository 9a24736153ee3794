import type { Database } from '../../platform/db/database.ts';

export const OUTBOX_PAGE_SIZE = 50;

/** The user's own in-app notifications, newest first. */
export function inboxFor(db: Database, userId: string, limit = 100) {
  return db
    .selectFrom('notifications')
    .select(['id', 'subject', 'body', 'link', 'created_at', 'read_at'])
    .where('to_user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Marks these of the user's own notifications read (never anyone else's). */
export async function markRead(db: Database, userId: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await db.updateTable('notifications').set({ read_at: new Date() }).where('to_user_id', '=', userId).where('id', 'in', ids).where('read_at', 'is', null).execute();
}

/** Every message the council's service has recorded, newest first, a page at a time. */
export async function outboxPage(db: Database, councilId: string, page: number, templateId: string) {
  let q = db.selectFrom('notifications as n').where('n.council_id', '=', councilId);
  if (templateId) q = q.where('n.template_id', '=', templateId);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q
    .leftJoin('users as u', 'u.id', 'n.to_user_id')
    .select(['n.id', 'n.created_at', 'n.template_id', 'n.reference', 'n.subject', 'n.body', 'n.email_address', 'n.email_status', 'n.read_at', 'u.display_name as to_name', 'u.username as to_username'])
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(OUTBOX_PAGE_SIZE)
    .offset((page - 1) * OUTBOX_PAGE_SIZE)
    .execute();
  const templates = await db.selectFrom('notifications').select('template_id').distinct().where('council_id', '=', councilId).orderBy('template_id').execute();
  return { total: Number(total), rows, templates: templates.map((t) => t.template_id) };
}

/** The latest run of each background job (not about anyone: counts and times only). */
export async function lastJobRuns(db: Database, names: string[]) {
  if (!names.length) return [];
  const rows = await db
    .selectFrom('job_runs')
    .select(['name', 'trigger', 'run_for', 'started_at', 'finished_at', 'processed', 'error'])
    .distinctOn('name')
    .where('name', 'in', names)
    .orderBy('name')
    .orderBy('started_at', 'desc')
    .execute();
  return names.map((name) => ({ name, last: rows.find((r) => r.name === name) ?? null }));
}
