import type express from 'express';
import type { Role } from '../auth/roles.ts';

/** `key`, where given, is the item's text in the person's language (recipient and representative pages). */
type NavItem = { href: string; text: string; key?: string };

const NAV: Record<Role, NavItem[]> = {
  practitioner: [
    { href: '/people', text: 'People' },
    { href: '/reviews', text: 'Reviews due' },
    { href: '/contact', text: 'Contact requests' },
    { href: '/monitoring', text: 'Monitoring' },
    { href: '/pools', text: 'Pools' },
    { href: '/guidance', text: 'What direct payments can buy' },
  ],
  manager: [
    { href: '/people', text: 'People' },
    { href: '/panel', text: 'Funding panel' },
    { href: '/reviews', text: 'Reviews due' },
    { href: '/contact', text: 'Contact requests' },
    { href: '/complaints', text: 'Complaints' },
    { href: '/monitoring', text: 'Monitoring' },
    { href: '/payment-runs', text: 'Payment runs' },
    { href: '/insight', text: 'Insight' },
    { href: '/feedback', text: 'Feedback' },
    { href: '/reports/client-level-data', text: 'Client Level Data' },
    { href: '/pools', text: 'Pools' },
    { href: '/guidance', text: 'What direct payments can buy' },
  ],
  panel: [{ href: '/panel', text: 'Funding panel' }],
  finance: [
    { href: '/direct-payments', text: 'Direct payments' },
    { href: '/payment-runs', text: 'Payment runs' },
    { href: '/monitoring', text: 'Monitoring' },
    { href: '/insight', text: 'Insight' },
    { href: '/pools', text: 'Pools' },
    { href: '/people', text: 'People' },
  ],
  admin: [
    { href: '/admin/users', text: 'Users' },
    { href: '/admin/guidance', text: 'Guidance' },
    { href: '/admin/audit', text: 'Audit log' },
    { href: '/admin/bank-holidays', text: 'Bank holidays' },
    { href: '/admin/language', text: 'Language' },
    { href: '/admin/minimum-wage', text: 'Minimum wage' },
    { href: '/admin/client-level-data', text: 'Client Level Data lists' },
    { href: '/admin/outbox', text: 'Outbox' },
    { href: '/monitoring/settings', text: 'Monitoring rules' },
  ],
  recipient: [
    { href: '/my', text: 'Your direct payment', key: 'layout:nav.yourDirectPayment' },
    { href: '/my/guidance', text: 'What you can spend it on', key: 'layout:nav.whatYouCanSpendItOn' },
  ],
  representative: [
    { href: '/my', text: 'Direct payments you manage', key: 'layout:nav.directPaymentsYouManage' },
    { href: '/my/guidance', text: 'What you can spend it on', key: 'layout:nav.whatYouCanSpendItOn' },
  ],
};

/** The service navigation for the signed-in user's role, with the current section marked. */
export const setUpNavigation: express.RequestHandler = (req, res, next) => {
  const role = req.user?.role;
  const items = role ? NAV[role] : [];
  const t = res.locals.t as ((key: string) => string) | undefined;
  res.locals.navigation = [
    ...items.map(({ key, ...item }) => ({
      ...item,
      text: key && t ? t(key) : item.text,
      active: req.path === item.href || req.path.startsWith(`${item.href}/`),
    })),
    ...(role ? [{ href: '/sign-out', text: t ? t('layout:signOut') : 'Sign out' }] : []),
  ];
  next();
};

export function homeFor(role: Role): string {
  return NAV[role][0]!.href;
}
