import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The council a report is for: the one named by its code, or, when none is named, the only
 * English council in the database. Client Level Data is England's return, so a Welsh council is refused.
 */
export async function reportCouncil(db: Db, code: string | undefined): Promise<{ ok: true; id: string; name: string } | { ok: false; problem: string }> {
  const councils = await db.selectFrom('councils').select(['id', 'code', 'name', 'jurisdiction']).orderBy('code').execute();
  if (code) {
    const c = councils.find((x) => x.code.toLowerCase() === code.toLowerCase());
    if (!c) return { ok: false, problem: `There is no council with the code ${code}` };
    if (c.jurisdiction !== 'england') return { ok: false, problem: `${c.name} is in Wales: Client Level Data is England's return` };
    return { ok: true, id: c.id, name: c.name };
  }
  const english = councils.filter((c) => c.jurisdiction === 'england');
  if (english.length === 1) return { ok: true, id: english[0]!.id, name: english[0]!.name };
  if (!english.length) return { ok: false, problem: 'There is no English council in this database: Client Level Data is England’s return' };
  return { ok: false, problem: `There are ${english.length} English councils: say which with --council <code> (${english.map((c) => c.code).join(', ')})` };
}
