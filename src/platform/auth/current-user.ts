import type { Role } from './roles.ts';

export type CurrentUser = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  councilId: string;
  councilName: string;
  jurisdiction: 'england' | 'wales';
  teamId: string | null;
};
