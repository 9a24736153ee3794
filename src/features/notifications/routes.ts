import express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, requireSignIn, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { unreadCount } from '../../platform/notifications/index.ts';
import { inboxFor, lastJobRuns, markRead, outboxPage, OUTBOX_PAGE_SIZE } from './queries.ts';
import { registeredJobs } from '../../platform/jobs.ts';

const EMAIL_STATUS: Record<string, string> = { none: 'No email', recorded: 'Recorded, not sent', sent: 'Sent', failed: 'Failed' };

export function notificationsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db } = services;

  // Every signed-in page: a "Notifications" link in the service navigation, with how many are new.
  router.use(async (req, res, next) => {
    const nav = res.locals.navigation as Array<{ href: string; text: string; active?: boolean }> | undefined;
    if (!req.user || !Array.isArray(nav) || req.method !== 'GET') return next();
    const count = await unreadCount(db, req.user.id);
    const item = {
      href: '/notifications',
      text: count ? res.locals.t('notifications:nav.new', { count }) : res.locals.t('notifications:nav.none'),
      active: req.path === '/notifications',
    };
    const signOut = nav.findIndex((i) => i.href === '/sign-out');
    nav.splice(signOut < 0 ? nav.length : signOut, 0, item);
    next();
  });

  // The user's own messages. Showing them marks them read: the "New" tag shows once.
  router.get('/notifications', requireSignIn, async (req, res) => {
    const user = userOf(req);
    const items = await inboxFor(db, user.id);
    await markRead(db, user.id, items.filter((i) => !i.read_at).map((i) => i.id));
    res.render('notifications/views/inbox.njk', { pageTitle: res.locals.t('notifications:inbox.title'), items });
  });

  // Administrators: every message recorded for the council, as the default client keeps them.
  router.get('/admin/outbox', requireCapability('notifications:outbox'), async (req, res) => {
    const admin = userOf(req);
    const page = Math.max(1, Math.min(100_000, Number.parseInt(String(req.query.page ?? ''), 10) || 1));
    const template = typeof req.query.template === 'string' ? req.query.template.slice(0, 100) : '';
    const box = await outboxPage(db, admin.councilId, page, template);
    await audit(db, admin, { action: 'view', entityType: 'outbox', details: { page, template, found: box.total } }, req.ip);
    const jobs = await registeredJobs();
    const runs = await lastJobRuns(db, jobs.map((j) => j.name));
    const pages = Math.ceil(box.total / OUTBOX_PAGE_SIZE);
    const href = (n: number) => `/admin/outbox?${new URLSearchParams({ ...(template ? { template } : {}), page: String(n) })}`;
    res.render('notifications/views/outbox.njk', {
      pageTitle: 'Outbox',
      rows: box.rows.map((r) => ({ ...r, emailStatus: EMAIL_STATUS[r.email_status] ?? r.email_status })),
      templates: box.templates,
      jobs: runs.map((r) => ({ ...r, summary: jobs.find((j) => j.name === r.name)?.summary ?? '', cron: jobs.find((j) => j.name === r.name)?.cron ?? '' })),
      template,
      total: box.total,
      pagination:
        pages > 1
          ? {
              previous: page > 1 ? { href: href(page - 1) } : undefined,
              next: page < pages ? { href: href(page + 1) } : undefined,
              items: Array.from({ length: pages }, (_, i) => i + 1)
                .filter((n) => n === 1 || n === pages || Math.abs(n - page) <= 2)
                .map((n) => ({ number: n, href: href(n), current: n === page })),
            }
          : undefined,
    });
  });

  return router;
}
