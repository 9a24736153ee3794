import type { Kysely, Transaction } from 'kysely';
import type { DB } from './db/schema.ts';
import type { CurrentUser } from './auth/current-user.ts';

export type AuditAction = 'view' | 'create' | 'update' | 'delete' | 'sign_in' | 'sign_in_failed' | 'sign_out' | 'download' | 'decide' | 'approve' | 'export';

export type AuditEntry = {
  action: AuditAction;
  entityType: string;
  entityId?: string | null;
  personId?: string | null;
  details?: Record<string, unknown>;
};

/**
 * Writes one audit row. Call it with the same transaction as the change it records, so that a
 * change is never saved without its audit row (nor the other way round).
 */
export async function audit(
  db: Kysely<DB> | Transaction<DB>,
  actor: Pick<CurrentUser, 'id' | 'username' | 'role'> | null,
  entry: AuditEntry,
  ip?: string,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      user_id: actor?.id ?? null,
      username: actor?.username ?? null,
      role: actor?.role ?? null,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId ?? null,
      person_id: entry.personId ?? null,
      details: JSON.stringify(entry.details ?? {}),
      ip: ip ?? null,
    })
    .execute();
}

/**
 * One audit row per person for a page that shows several people's records at once (a payment
 * run's page of lines): a search of the audit log by person finds every page that showed them.
 * `details.shownWith` names the page's own entity, so the rows read as one view.
 */
export async function auditEach(
  db: Kysely<DB> | Transaction<DB>,
  actor: Pick<CurrentUser, 'id' | 'username' | 'role'> | null,
  entry: AuditEntry,
  personIds: readonly string[],
  ip?: string,
): Promise<void> {
  const people = [...new Set(personIds)];
  if (people.length === 0) return audit(db, actor, entry, ip);
  await db
    .insertInto('audit_log')
    .values(
      people.map((personId) => ({
        user_id: actor?.id ?? null,
        username: actor?.username ?? null,
        role: actor?.role ?? null,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entry.entityId ?? null,
        person_id: personId,
        details: JSON.stringify(entry.details ?? {}),
        ip: ip ?? null,
      })),
    )
    .execute();
}
