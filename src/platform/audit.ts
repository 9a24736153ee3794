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
