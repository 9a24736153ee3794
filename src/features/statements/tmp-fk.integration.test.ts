import { it } from 'vitest';
import { sql } from 'kysely';
import { freshServices } from '../../../test/support/database.ts';
it('pk cost', async () => {
  const s = await freshServices();
  const db = s.ownerDb;
  await sql`create function uuid_v7() returns uuid language sql volatile parallel safe as $$
  select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid $$`.execute(db);
  await sql`create table p1 (id uuid primary key)`.execute(db);
  for (const v of ['v7', 'nullfk', 'v7', 'nullfk']) {
    await sql`drop table if exists t1`.execute(db);
    await sql.raw(`create table t1 (id uuid primary key default uuid_v7(), a uuid not null, b uuid not null, p date, amt bigint, d text, f text, ${v === 'nullfk' ? 'x1 uuid references p1(id), x2 uuid references p1(id), x3 uuid references p1(id),' : ''} unique (a, f))`).execute(db);
    const pid = '00000000-0000-0000-0000-000000000001';
    const rows = Array.from({ length: 5000 }, (_v, i) => ({ p: '2026-01-01', a: i, d: `SHOP ${i}`, f: `2026-01-01|${i}|abc#1` }));
    const t0 = performance.now();
    for (let k = 0; k < 60; k++) {
      const json = JSON.stringify(rows.map((r) => ({ ...r, f: `${k}|` + r.f })));
      await sql`insert into t1 (a, b, p, amt, d, f) select ${pid}::uuid, ${pid}::uuid, x.p, x.a, x.d, x.f from json_to_recordset(${json}::json) as x(p date, a bigint, d text, f text) on conflict (a, f) do nothing`.execute(db);
    }
    console.log(v, Math.round(performance.now() - t0), 'ms for 300k');
  }
  await s.close();
}, 300000);
