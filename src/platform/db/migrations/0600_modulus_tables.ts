import { sql, type Kysely } from 'kysely';

// Vocalink's modulus-checking tables, imported by the council from the files Vocalink publishes
// (`dp bank tables import <dir>`). One set is current at a time: an import replaces the rows and
// the record of what was imported together, in one transaction, so a check never sees half of each.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table modulus_table_sets (
  id uuid primary key default gen_random_uuid(),
  version text not null,
  -- sha256 of valacdos.txt and scsubtab.txt as imported, so anyone can tell which files these were.
  checksum text not null check (checksum ~ '^[0-9a-f]{64}$'),
  weight_rows integer not null check (weight_rows > 0),
  substitution_rows integer not null check (substitution_rows >= 0),
  imported_by text not null,
  imported_at timestamptz not null default now()
);

create table modulus_weights (
  set_id uuid not null references modulus_table_sets(id) on delete cascade,
  -- The line's place in valacdos.txt: where two rows cover a sort code, the first is checked first.
  position integer not null,
  range_start text not null check (range_start ~ '^[0-9]{6}$'),
  range_end text not null check (range_end ~ '^[0-9]{6}$' and range_end >= range_start),
  algorithm text not null check (algorithm in ('MOD10', 'MOD11', 'DBLAL')),
  weights smallint[] not null check (cardinality(weights) = 14),
  exception smallint check (exception between 1 and 14),
  primary key (set_id, position)
);

create table modulus_substitutions (
  set_id uuid not null references modulus_table_sets(id) on delete cascade,
  sort_code text not null check (sort_code ~ '^[0-9]{6}$'),
  substitute text not null check (substitute ~ '^[0-9]{6}$'),
  primary key (set_id, sort_code)
);
`.execute(db);
}
