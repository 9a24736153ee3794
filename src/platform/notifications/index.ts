import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

// Notifications shaped like GOV.UK Notify: a template (subject and body with ((placeholders))), the
// personalisation that fills them, and a reference the caller chooses. The reference is the
// idempotency key: asking twice with the same reference records one message, so a job that runs
// again, or twice at once, never sends a reminder twice.
//
// Every message is recorded in the `notifications` outbox in the caller's transaction. What a
// message does next depends on the client: the default one sends nothing out and marks the email
// as `recorded` (tests read the outbox; administrators see it at /admin/outbox). A real email
// client (GOV.UK Notify) would be a background job that sends `recorded` rows after they commit
// and marks them `sent` or `failed`: sending from inside a transaction that might roll back would
// email about something that never happened.

export type NotificationTemplate = { subject: string; body: string };

export type NotificationRequest = {
  councilId: string;
  templateId: string;
  /** Idempotency key: the same reference is recorded once per council. */
  reference: string;
  /** In-app notification for this user at /notifications (and email, if they have an address). */
  toUserId?: string | null;
  emailAddress?: string | null;
  personalisation: Record<string, string>;
  /** In-app only: a path in the service the message leads to, e.g. `/reviews/<id>` (no personal data). */
  link?: string | null;
  /**
   * 'cy' picks the template `<templateId>.cy` when one is registered. Left out, a message to a
   * recipient or representative follows their language (their choice, else their council's first
   * language); staff messages are in English.
   */
  language?: 'en' | 'cy';
};

export class NotificationError extends Error {}

const templates = new Map<string, NotificationTemplate>();

/** Adds templates by id. Registering the same id again with different words is a mistake and throws. */
export function registerTemplates(t: Record<string, NotificationTemplate>): void {
  for (const [id, template] of Object.entries(t)) {
    const existing = templates.get(id);
    if (existing && (existing.subject !== template.subject || existing.body !== template.body)) {
      throw new NotificationError(`The notification template "${id}" is already registered with different words`);
    }
    templates.set(id, { subject: template.subject, body: template.body });
  }
}

export function templateFor(id: string): NotificationTemplate | undefined {
  return templates.get(id);
}

const PLACEHOLDER = /\(\(([A-Za-z0-9_ -]+)\)\)/g;

/** The placeholders a text uses, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!.trim()))];
}

/**
 * Fills ((placeholders)) from the personalisation, as Notify does: a missing value is an error
 * (Notify answers 400 "Missing personalisation"), never an empty gap in a letter to someone.
 */
export function renderTemplate(template: NotificationTemplate, personalisation: Record<string, string>): NotificationTemplate {
  const missing = placeholdersIn(`${template.subject}\n${template.body}`).filter((name) => typeof personalisation[name] !== 'string');
  if (missing.length) throw new NotificationError(`Missing personalisation: ${missing.join(', ')}`);
  const fill = (text: string) => text.replace(PLACEHOLDER, (_all, name: string) => personalisation[name.trim()]!);
  return { subject: fill(template.subject), body: fill(template.body) };
}

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Records one notification (in-app for `toUserId`, email to `emailAddress` or else the user's own
 * address). Returns the existing message, `created: false`, when the reference was used before.
 */
export async function notify(db: Db, req: NotificationRequest): Promise<{ id: string; created: boolean }> {
  if (!templates.has(req.templateId)) throw new NotificationError(`There is no notification template "${req.templateId}"`);
  if (!req.reference || req.reference.length > 200) throw new NotificationError('A notification needs a reference of 1 to 200 characters');
  if (req.link != null && !/^\/[A-Za-z0-9/_?=&.-]*$/.test(req.link)) throw new NotificationError('A notification link must be a path in the service');

  let email = req.emailAddress?.trim() || null;
  let language = req.language ?? 'en';
  if (req.toUserId) {
    const user = await db
      .selectFrom('users')
      .innerJoin('councils', 'councils.id', 'users.council_id')
      .select(['users.email', 'users.council_id', 'users.active', 'users.role', 'users.preferred_language', 'councils.first_language'])
      .where('users.id', '=', req.toUserId)
      .executeTakeFirst();
    if (!user) throw new NotificationError('A notification was addressed to a user who does not exist');
    if (user.council_id !== req.councilId) throw new NotificationError("A notification was addressed to another council's user");
    if (!email && user.active) email = user.email?.trim() || null;
    if (!req.language && (user.role === 'recipient' || user.role === 'representative')) {
      language = (user.preferred_language ?? user.first_language) === 'cy' ? 'cy' : 'en';
    }
  }
  const template = (language === 'cy' && templates.get(`${req.templateId}.cy`)) || templates.get(req.templateId)!;
  const { subject, body } = renderTemplate(template, req.personalisation);
  if (!req.toUserId && !email) throw new NotificationError('A notification needs a user or an email address');

  const inserted = await db
    .insertInto('notifications')
    .values({
      council_id: req.councilId,
      template_id: req.templateId,
      reference: req.reference,
      to_user_id: req.toUserId ?? null,
      email_address: email,
      subject,
      body,
      personalisation: JSON.stringify(req.personalisation),
      link: req.link ?? null,
      email_status: email ? 'recorded' : 'none',
    })
    .onConflict((oc) => oc.columns(['council_id', 'reference']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('notifications')
    .select('id')
    .where('council_id', '=', req.councilId)
    .where('reference', '=', req.reference)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** How many in-app notifications this user has not read yet (for the header link). */
export async function unreadCount(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('to_user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
