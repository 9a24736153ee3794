import type { Database } from '../../platform/db/database.ts';

const lines = (text: string | null) => (text ?? '').split('\n').map((e) => e.trim()).filter(Boolean);

/**
 * The council's guidance on what direct payments can buy, in the order the council chose, with
 * its Welsh where the council wrote it (`title_cy` and `body_cy` both set, or both null).
 */
export async function listGuidance(db: Database, councilId: string) {
  const rows = await db
    .selectFrom('guidance_items')
    .select(['id', 'position', 'title', 'body', 'examples', 'title_cy', 'body_cy', 'examples_cy', 'updated_at'])
    .where('council_id', '=', councilId)
    .orderBy('position')
    .orderBy('title')
    .execute();
  return rows.map((r) => ({ ...r, exampleList: lines(r.examples), exampleListCy: lines(r.examples_cy), hasWelsh: !!(r.title_cy && r.body_cy) }));
}

export type GuidanceRow = Awaited<ReturnType<typeof listGuidance>>[number];
/** The English of an item: what pages that show only the English need. */
export type GuidanceItem = Pick<GuidanceRow, 'id' | 'position' | 'title' | 'body' | 'examples' | 'updated_at' | 'exampleList'>;
