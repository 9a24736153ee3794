import { it } from 'vitest';
import { freshServices, TEST_TODAY } from '../../../test/support/database.ts';
import { generateCouncil } from '../../demo/generate.ts';
import { cldData, loadLists } from './cld-records.ts';
import { validateRow, cldLine } from '../../domain/cld.ts';

it('profile', async () => {
  const s = await freshServices();
  const r = await generateCouncil(s.db, { people: 20000, today: TEST_TODAY, code: 'PERF', paymentMonths: 1 });
  for (let k = 0; k < 2; k++) {
    let t = performance.now();
    const data = await cldData(s.db, r.councilId, { from: '2026-07-01', to: '2026-09-30' });
    const tData = performance.now() - t; t = performance.now();
    const lists = await loadLists(s.db, r.councilId);
    let n = 0;
    for (const x of data.records) n += validateRow(x.row, lists).length;
    const tVal = performance.now() - t; t = performance.now();
    let out = '';
    for (const x of data.records) out += cldLine(x.row);
    const tCsv = performance.now() - t;
    console.log(`rows ${data.records.length} data ${tData.toFixed(0)} validate ${tVal.toFixed(0)} csv ${tCsv.toFixed(0)} problems ${n} bytes ${out.length}`);
  }
  await s.close();
}, 300_000);
