export const ROLES = ['practitioner', 'manager', 'panel', 'finance', 'admin', 'recipient', 'representative'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: readonly Role[] = ['practitioner', 'manager', 'panel', 'finance', 'admin'];

export const ROLE_NAMES: Record<Role, string> = {
  practitioner: 'Practitioner (social worker)',
  manager: 'Team manager',
  panel: 'Funding panel member',
  finance: 'Finance officer',
  admin: 'Council administrator',
  recipient: 'Person receiving a direct payment',
  representative: 'Representative',
};

export function isStaff(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}
