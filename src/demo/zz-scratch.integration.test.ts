import { afterAll, beforeAll, it } from 'vitest';
import { freshServices, type TestServices } from '../../test/support/database.ts';
import { seedDemo } from './seed.ts';
import { currentFlags } from '../features/monitoring/queries.ts';
import { surplusNow } from '../features/surplus/calculate.ts';

let t: TestServices;
beforeAll(async () => { t = await freshServices(); await seedDemo(t); });
afterAll(async () => t?.close());
it('prints', async () => {
  for (const c of await t.db.selectFrom('councils').select(['id', 'code']).execute()) {
    const flags = await currentFlags(t.db, c.id, { today: t.clock.today() });
    console.log(c.code, JSON.stringify(flags.map((f) => [f.personName, f.rule, f.level, f.reason]), null, 1));
  }
  const dps = await t.db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id').select(['direct_payments.id', 'given_name', 'status']).execute();
  for (const d of dps) { const s = await surplusNow(t.db, d.id, t.clock.today()); console.log(d.given_name, d.status, JSON.stringify(s)); }
});
