import type express from 'express';
import type { Role } from '../auth/roles.ts';

type NavItem = { href: string; text: string };

const NAV: Record<Role, NavItem[]> = {
  practitioner: [
    { href: '/people', text: 'People' },
    { href: '/reviews', text: 'Reviews due' },
    { href: '/guidance', text: 'What direct payments can buy' },
  ],
  manager: [
    { href: '/people', text: 'People' },
    { href: '/panel', text: 'Funding panel' },
    { href: '/reviews', text: 'Reviews due' },
    { href: '/payment-runs', text: 'Payment runs' },
    { href: '/guidance', text: 'What direct payments can buy' },
  ],
  panel: [{ href: '/panel', text: 'Funding panel' }],
  finance: [
    { href: '/direct-payments', text: 'Direct payments' },
    { href: '/payment-runs', text: 'Payment runs' },
    { href: '/people', text: 'People' },
  ],
  admin: [
    { href: '/admin/users', text: 'Users' },
    { href: '/admin/guidance', text: 'Guidance' },
    { href: '/admin/audit', text: 'Audit log' },
    { href: '/admin/bank-holidays', text: 'Bank holidays' },
  ],
  recipient: [
    { href: '/my', text: 'Your direct payment' },
    { href: '/my/guidance', text: 'What you can spend it on' },
  ],
  representative: [
    { href: '/my', text: 'Direct payments you manage' },
    { href: '/my/guidance', text: 'What you can spend it on' },
  ],
};

/** The service navigation for the signed-in user's role, with the current section marked. */
export const setUpNavigation: express.RequestHandler = (req, res, next) => {
  const role = req.user?.role;
  const items = role ? NAV[role] : [];
  res.locals.navigation = [
    ...items.map((item) => ({
      ...item,
      active: req.path === item.href || req.path.startsWith(`${item.href}/`),
    })),
    ...(role ? [{ href: '/sign-out', text: 'Sign out' }] : []),
  ];
  next();
};

export function homeFor(role: Role): string {
  return NAV[role][0]!.href;
}
