import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';

export const PAGE_SIZE = 50;

export type AuditFilters = { username: string; action: string; entityType: string; personId: string | null };

/** The audit rows about the council: what its users did, and what anyone did to its people's records. */
function councilScope(councilId: string) {
  return (eb: ExpressionBuilder<DB, 'audit_log'>) =>
    eb.or([
      eb('audit_log.user_id', 'in', eb.selectFrom('users').select('users.id').where('users.council_id', '=', councilId)),
      eb('audit_log.person_id', 'in', eb.selectFrom('people').select('people.id').where('people.council_id', '=', councilId)),
    ]);
}

export async function readAuditLog(db: Database, admin: CurrentUser, filters: AuditFilters, page: number) {
  let q = db.selectFrom('audit_log').where(councilScope(admin.councilId));
  if (filters.username) q = q.where('audit_log.username', '=', filters.username);
  if (filters.action) q = q.where('audit_log.action', '=', filters.action);
  if (filters.entityType) q = q.where('audit_log.entity_type', '=', filters.entityType);
  if (filters.personId) q = q.where('audit_log.person_id', '=', filters.personId);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q
    .leftJoin('people', 'people.id', 'audit_log.person_id')
    .select(['audit_log.id', 'audit_log.at', 'audit_log.username', 'audit_log.role', 'audit_log.action', 'audit_log.entity_type', 'people.reference as person_reference'])
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return { total: Number(total), rows };
}

/** The actions and kinds of record that appear in the council's log, for the filter lists. */
export async function auditChoices(db: Database, admin: CurrentUser) {
  const [actions, entityTypes] = await Promise.all([
    db.selectFrom('audit_log').select('action').distinct().where(councilScope(admin.councilId)).orderBy('action').execute(),
    db.selectFrom('audit_log').select('entity_type').distinct().where(councilScope(admin.councilId)).orderBy('entity_type').execute(),
  ]);
  return { actions: actions.map((r) => r.action), entityTypes: entityTypes.map((r) => r.entity_type) };
}

/** A person reference (P-000001) in the council, as the person's id. */
export async function personByReference(db: Database, admin: CurrentUser, reference: string) {
  return db.selectFrom('people').select('id').where('reference', '=', reference).where('council_id', '=', admin.councilId).executeTakeFirst();
}

type PageItem = { number?: number; href?: string; current?: boolean; ellipsis?: boolean };

/** GOV.UK pagination: first, last, and the pages either side of this one, with gaps between. */
export function pagination(page: number, pages: number, hrefFor: (page: number) => string) {
  if (pages <= 1) return undefined;
  const items: PageItem[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 1) items.push({ number: n, href: hrefFor(n), current: n === page });
    else if (!items[items.length - 1]?.ellipsis) items.push({ ellipsis: true });
  }
  return {
    items,
    previous: page > 1 ? { href: hrefFor(page - 1) } : undefined,
    next: page < pages ? { href: hrefFor(page + 1) } : undefined,
  };
}
