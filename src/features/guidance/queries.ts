import type { Database } from '../../platform/db/database.ts';

/** The council's guidance on what direct payments can buy, in the order the council chose. */
export async function listGuidance(db: Database, councilId: string) {
  const rows = await db
    .selectFrom('guidance_items')
    .select(['id', 'position', 'title', 'body', 'examples', 'updated_at'])
    .where('council_id', '=', councilId)
    .orderBy('position')
    .orderBy('title')
    .execute();
  return rows.map((r) => ({ ...r, exampleList: r.examples.split('\n').map((e) => e.trim()).filter(Boolean) }));
}

export type GuidanceItem = Awaited<ReturnType<typeof listGuidance>>[number];
