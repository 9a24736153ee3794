import express from 'express';
import type { Services } from '../../platform/services.ts';
import type { FormErrors } from '../../platform/http/validation.ts';
import { fieldError } from '../../platform/http/validation.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { ROLE_NAMES, type Role } from '../../platform/auth/roles.ts';
import { PAGE_SIZE, auditChoices, pagination, personByReference, readAuditLog } from './audit-log.ts';

const REFERENCE = /^P-\d{6}$/;

function text(value: unknown, max: number): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

export function auditRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db } = services;

  router.get('/admin/audit', requireCapability('audit:read'), async (req, res) => {
    const admin = userOf(req);
    const values = {
      username: text(req.query.username, 64).toLowerCase(),
      action: text(req.query.action, 40),
      entityType: text(req.query.entityType, 60),
      person: text(req.query.person, 20).toUpperCase(),
    };
    const page = Math.max(1, Math.min(100_000, Number.parseInt(text(req.query.page, 6), 10) || 1));
    const choices = await auditChoices(db, admin);
    let errors: FormErrors | undefined;
    let personId: string | null = null;
    if (values.person) {
      const person = REFERENCE.test(values.person) ? await personByReference(db, admin, values.person) : undefined;
      if (!REFERENCE.test(values.person)) errors = fieldError('person', 'Enter a person reference in the correct format, like P-000001');
      else if (!person) errors = fieldError('person', `No one in ${admin.councilName} has the reference ${values.person}`);
      else personId = person.id;
    }
    const log = errors ? { total: 0, rows: [] } : await readAuditLog(db, admin, { ...values, personId }, page);
    // Reading the audit log is itself recorded, with what was looked for.
    await audit(db, admin, { action: 'view', entityType: 'audit-log', personId, details: { ...values, page, found: log.total } }, req.ip);
    const pages = Math.ceil(log.total / PAGE_SIZE);
    const query = (n: number) => {
      const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v));
      if (n > 1) params.set('page', String(n));
      const qs = params.toString();
      return `/admin/audit${qs ? `?${qs}` : ''}`;
    };
    res.status(errors ? 400 : 200).render('admin/views/audit.njk', {
      pageTitle: 'Audit log',
      values,
      errors,
      choices,
      rows: log.rows.map((r) => ({ ...r, roleName: r.role ? ROLE_NAMES[r.role as Role] ?? r.role : '' })),
      total: log.total,
      page,
      pages,
      first: (page - 1) * PAGE_SIZE + 1,
      pagination: pagination(page, pages, query),
      filtered: Object.values(values).some(Boolean),
    });
  });

  return router;
}
