import { sql, type Kysely } from 'kysely';

// A receipt (photo or PDF) kept with a spending record. The file itself is in receipt storage
// (src/platform/storage, outside the web root); this row says where, what it is (checked by
// content) and who added it. One receipt per spending record; receipts are never changed, so the
// app's role may add and read them only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table receipts (
  id uuid primary key default gen_random_uuid(),
  spending_record_id uuid not null unique references spending_records(id),
  storage_key text not null unique check (storage_key ~ '^[0-9a-f-]{36}$'),
  media_type text not null check (media_type in ('image/jpeg', 'image/png', 'image/heic', 'image/heif', 'image/webp', 'application/pdf')),
  size_bytes integer not null check (size_bytes between 1 and 10485760),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  original_name text not null check (length(original_name) between 1 and 255),
  uploaded_by uuid not null references users(id),
  created_at timestamptz not null default now()
);
`.execute(db);
  const appRole = await sql<{ ok: boolean }>`select exists (select 1 from pg_roles where rolname = 'dp_app') as ok`.execute(db);
  if (appRole.rows[0]?.ok) {
    await sql`revoke update, delete, truncate on receipts from dp_app`.execute(db);
    await sql`grant select, insert on receipts to dp_app`.execute(db);
  }
}
