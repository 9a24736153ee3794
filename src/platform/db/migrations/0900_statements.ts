import { sql, type Kysely } from 'kysely';

// Bank statements of the direct payment's own account (or prepaid card), imported by the person,
// their representative or a finance officer, and reconciled against the council's payments and
// the person's recorded spending (features/statements).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table statement_imports (
  id uuid primary key default gen_random_uuid(),
  direct_payment_id uuid not null references direct_payments(id),
  -- Who uploaded it; null when an operator ran dp statements import.
  uploaded_by uuid references users(id),
  via text not null check (via in ('web', 'cli')),
  format text not null check (format in ('csv', 'ofx', 'qif', 'camt053')),
  preset text,
  file_name text not null check (length(file_name) between 1 and 200),
  lines_read integer not null default 0 check (lines_read >= 0),
  lines_added integer not null default 0 check (lines_added >= 0 and lines_added <= lines_read),
  first_posted_on date,
  last_posted_on date,
  created_at timestamptz not null default now()
);
create index statement_imports_direct_payment on statement_imports(direct_payment_id, created_at);

-- Time-ordered UUIDs (the layout of UUID version 7): a million-line statement appends to the
-- primary key's index instead of writing all over it.
create function statement_line_id() returns uuid language sql volatile parallel safe as $$
  select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid
$$;

create table statement_lines (
  id uuid primary key default statement_line_id(),
  -- Both checked once per INSERT statement by statement_lines_belong below, not row by row: a line
  -- belongs to an import of the same direct payment (and imports are never deleted).
  direct_payment_id uuid not null,
  import_id uuid not null,
  posted_on date not null,
  -- Signed: + money in, − money out.
  amount_pence bigint not null,
  description text not null,
  counterparty text,
  bank_id text,
  -- "id:<the bank's id>", or date|amount|hash(description)#occurrence-in-the-file (domain/statements/fingerprint.ts).
  fingerprint text not null,
  match_kind text check (match_kind in ('council_payment', 'spending', 'explained')),
  payment_id uuid references payments(id),
  spending_record_id uuid references spending_records(id),
  explanation text check (length(explanation) <= 500),
  matched_by uuid references users(id),
  matched_at timestamptz,
  -- Automatic matches are the service's suggestion; the person's own choices are theirs.
  matched_automatically boolean not null default false,
  unique (direct_payment_id, fingerprint),
  check ((match_kind = 'council_payment') = (payment_id is not null)),
  check ((match_kind = 'spending') = (spending_record_id is not null)),
  check ((match_kind = 'explained') = (explanation is not null))
);
-- A payment or a spending record explains one line at most.
create unique index statement_lines_payment on statement_lines(payment_id) where payment_id is not null;
create unique index statement_lines_spending on statement_lines(spending_record_id) where spending_record_id is not null;
create index statement_lines_unmatched on statement_lines(direct_payment_id, posted_on) where match_kind is null;

create function statement_lines_belong() returns trigger language plpgsql as $$
begin
  if exists (select 1 from new_lines n where not exists (
    select 1 from statement_imports i where i.id = n.import_id and i.direct_payment_id = n.direct_payment_id)) then
    raise exception 'a statement line must belong to an import of the same direct payment' using errcode = 'foreign_key_violation';
  end if;
  return null;
end $$;
create trigger statement_lines_belong after insert on statement_lines
  referencing new table as new_lines for each statement execute function statement_lines_belong();

-- A file on its way in: kept only until it is imported or refused (the bytes are then cleared),
-- so a column mapping or a QIF date order can be asked for, and a long import can show progress.
create table statement_uploads (
  id uuid primary key default gen_random_uuid(),
  direct_payment_id uuid not null references direct_payments(id),
  uploaded_by uuid not null references users(id),
  file_name text not null check (length(file_name) between 1 and 200),
  size_bytes integer not null check (size_bytes >= 0),
  bytes bytea,
  status text not null check (status in ('needs_mapping', 'needs_date_order', 'importing', 'done', 'failed')),
  date_order text check (date_order in ('dmy', 'mdy')),
  mapping jsonb,
  lines_done integer not null default 0,
  problem text,
  import_id uuid references statement_imports(id),
  lines_read integer,
  lines_added integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index statement_uploads_direct_payment on statement_uploads(direct_payment_id, created_at);

-- Column mappings for CSV layouts that are not a preset, saved for the account they were made
-- for: the next statement from the same bank or card (same heading row) is read without asking.
create table statement_mappings (
  direct_payment_id uuid not null references direct_payments(id),
  signature text not null check (length(signature) <= 2000),
  mapping jsonb not null,
  saved_by uuid not null references users(id),
  saved_at timestamptz not null default now(),
  primary key (direct_payment_id, signature)
);
`.execute(db);
  // The app may add and read imports and lines, and record matches and explanations; it never
  // changes what a line says nor deletes a line (lines are the bank's record) or an import.
  const role = await sql<{ ok: boolean }>`select exists (select 1 from pg_roles where rolname = 'dp_app') as ok`.execute(db);
  if (role.rows[0]?.ok) {
    await sql`revoke update, delete, truncate on statement_imports, statement_lines from dp_app`.execute(db);
    // What the bank said stays as it said it: only the counts of an import, and how a line is
    // matched or explained, may change.
    await sql`grant update (lines_read, lines_added, first_posted_on, last_posted_on) on statement_imports to dp_app`.execute(db);
    await sql`grant update (match_kind, payment_id, spending_record_id, explanation, matched_by, matched_at, matched_automatically) on statement_lines to dp_app`.execute(db);
  }
}
