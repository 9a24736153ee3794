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
  /** The language the person chose with the English / Cymraeg switch; null until they choose. */
  preferredLanguage?: 'en' | 'cy' | null;
  /** The council's first language (councils.first_language): the default until the person chooses. */
  councilFirstLanguage?: 'en' | 'cy';
};
