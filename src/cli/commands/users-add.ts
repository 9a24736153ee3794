import crypto from 'node:crypto';
import type { z } from 'zod';
import { ROLE_NAMES, STAFF_ROLES, type Role } from '../../platform/auth/roles.ts';
import { isUuid } from '../../platform/permissions.ts';
import { addUser } from '../../features/admin/add-user.ts';
import { displayNameField, emailField, passwordField, roleField, usernameField } from '../../features/admin/user-form.ts';
import { giveSignIn, signInHolders, type SignInHolder } from '../../features/people/sign-ins.ts';
import type { Jurisdiction } from '../../domain/who-can-receive.ts';
import type { Services } from '../../platform/services.ts';
import { CommandFailed, UsageError, type Command } from '../command.ts';

/** Checks one argument with the same rules as the web form, turning a refusal into a usage error. */
function check<S extends z.ZodType>(field: S, value: unknown, what: string): z.infer<S> {
  const result = field.safeParse(value);
  if (!result.success) throw new UsageError(`${what}: ${result.error.issues[0]?.message ?? 'not valid'}`);
  return result.data;
}

const PEOPLE_ROLES = ['recipient', 'representative'] as const;
const PERSON_REFERENCE = /^P-\d{6}$/;

export const usersAdd: Command = {
  name: ['users', 'add'],
  summary: 'Add a council staff account, or a sign-in for a person or their representative',
  usage: '<username> --role <role> --name "<display name>" --council <code> [--email <address>] [--password-stdin]',
  help: [
    `Roles: ${STAFF_ROLES.join(', ')}.`,
    'The password is read from standard input with --password-stdin (at least 12 characters);',
    'otherwise one is made up and printed once.',
    'Example: printf "%s" "$PASSWORD" | dp users add j.smith --role practitioner --name "Jo Smith" --council EASTMOOR --password-stdin',
    '',
    'A sign-in for a person who receives their direct payment themselves, or for one of their representatives:',
    '  dp users add --role recipient --person <P-000123> --username <username> [--email <address>]',
    '  dp users add --role representative --representative <id> --username <username> [--email <address>]',
    '  dp users add --role representative --person <P-000123> --representative "<name>" --username <username>',
    'The name and council come from the person\'s record. A temporary password is printed once;',
    'they choose their own the first time they sign in.',
  ].join('\n'),
  options: {
    role: { type: 'string' },
    name: { type: 'string' },
    council: { type: 'string' },
    email: { type: 'string' },
    username: { type: 'string' },
    person: { type: 'string' },
    representative: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  },
  positionals: { min: 0, max: 1 },
  async run({ positionals, values }, ctx) {
    if (positionals[0] !== undefined && typeof values.username === 'string' && values.username.toLowerCase() !== positionals[0].toLowerCase()) {
      throw new UsageError('Give the username once: as the first word or with --username');
    }
    const rawUsername = positionals[0] ?? values.username;
    if (rawUsername === undefined) throw new UsageError('Something is missing: the username');
    if (typeof values.role !== 'string') throw new UsageError('--role is missing');
    if ((PEOPLE_ROLES as readonly string[]).includes(values.role.trim().toLowerCase())) {
      return addPersonSignIn(values, check(usernameField, rawUsername, 'Username'), values.role.trim().toLowerCase() as Role, ctx);
    }
    for (const forPeople of ['person', 'representative'] as const) {
      if (values[forPeople] !== undefined) throw new UsageError(`--${forPeople} is only for --role recipient or representative`);
    }
    for (const required of ['name', 'council'] as const) {
      if (typeof values[required] !== 'string') throw new UsageError(`--${required} is missing`);
    }
    const username = check(usernameField, rawUsername, 'Username');
    const role = check(roleField, values.role, `Role (one of ${STAFF_ROLES.join(', ')})`);
    const displayName = check(displayNameField, values.name, 'Name');
    const email = typeof values.email === 'string' ? check(emailField, values.email, 'Email') : null;
    const fromStdin = values['password-stdin'] === true;
    const password = fromStdin
      ? check(passwordField, (await ctx.readStdin()).replace(/\r?\n$/, ''), 'Password')
      : crypto.randomBytes(18).toString('base64url');

    await ctx.withServices(async (services) => {
      const code = String(values.council).trim().toUpperCase();
      const council = await services.db.selectFrom('councils').select(['id', 'name']).where('code', '=', code).executeTakeFirst();
      if (!council) {
        const codes = await services.db.selectFrom('councils').select('code').orderBy('code').execute();
        throw new CommandFailed(`No council has the code ${code}.${codes.length ? ` Councils: ${codes.map((c) => c.code).join(', ')}.` : ' There are no councils yet.'}`);
      }
      const added = await addUser(services.db, { username, displayName, role, email, password, councilId: council.id, teamId: null }, null, { via: 'dp users add' });
      if (!added.ok) throw new CommandFailed(`The username ${username} is already taken. Choose another.`);
      ctx.out(`Added ${displayName} (${username}), ${ROLE_NAMES[role]}, to ${council.name}.`);
      if (!fromStdin) ctx.out(`Their password is: ${password}\nIt is shown only this once: give it to them safely.`);
    });
  },
};

type Ctx = Parameters<Command['run']>[1];

/** `--role recipient|representative`: the same sign-in as "Give <name> a sign-in" on the person's record. */
async function addPersonSignIn(values: Record<string, string | boolean | undefined>, username: string, role: Role, ctx: Ctx): Promise<void> {
  for (const staffOnly of ['name', 'council', 'password-stdin'] as const) {
    if (values[staffOnly] !== undefined) {
      throw new UsageError(`--${staffOnly} is not used with --role ${role}: the name and council come from the person's record, and a temporary password is made up`);
    }
  }
  const person = typeof values.person === 'string' ? values.person.trim().toUpperCase() : undefined;
  const representative = typeof values.representative === 'string' ? values.representative.trim() : undefined;
  if (person !== undefined && !PERSON_REFERENCE.test(person)) throw new UsageError(`--person must be a person reference, like P-000123`);
  if (role === 'recipient') {
    if (!person) throw new UsageError('--person is missing (their reference, like P-000123)');
    if (representative !== undefined) throw new UsageError('--representative is for --role representative');
  } else {
    if (!representative) throw new UsageError('--representative is missing (its id, or their name with --person)');
    if (!isUuid(representative) && !person) throw new UsageError('--representative needs --person when it is a name rather than an id');
  }
  const email = typeof values.email === 'string' ? check(emailField, values.email, 'Email') : null;

  await ctx.withServices(async (services) => {
    const today = services.clock.today();
    const found = await findHolder(services, { role, person, representative }, today);
    const given = await giveSignIn(
      services.db,
      { holder: found.holder, username, email, councilId: found.councilId, preferredLanguage: role === 'recipient' ? found.language : null },
      null,
      { via: 'dp users add' },
    );
    if (!given.ok) {
      if (given.reason === 'username_taken') throw new CommandFailed(`The username ${username} is already taken. Choose another.`);
      if (given.reason === 'already_has_one') throw new CommandFailed(`${found.holder.name} already has a sign-in${found.holder.signIn ? `, with the username ${found.holder.signIn.username}` : ''}.`);
      throw new CommandFailed(`${found.holder.name} cannot have a sign-in.`);
    }
    const who = role === 'recipient' ? `${found.holder.name} (${found.reference})` : `${found.holder.name}, representative of ${found.personName} (${found.reference})`;
    ctx.out(`Gave ${who} a sign-in: ${username}, ${found.councilName}.`);
    ctx.out(`Their temporary password is: ${given.temporaryPassword}\nIt is shown only this once: give it to them safely. They will choose their own password the first time they sign in.`);
  });
}

async function findHolder(
  services: Services,
  want: { role: Role; person: string | undefined; representative: string | undefined },
  today: string,
): Promise<{ holder: SignInHolder; councilId: string; councilName: string; reference: string; personName: string; language: 'en' | 'cy' }> {
  const db = services.db;
  let personQuery = db
    .selectFrom('people')
    .innerJoin('councils', 'councils.id', 'people.council_id')
    .select(['people.id', 'people.reference', 'people.given_name', 'people.family_name', 'people.kind', 'people.date_of_birth', 'people.has_capacity', 'people.user_id', 'people.council_id', 'people.preferred_language', 'councils.jurisdiction', 'councils.name as council_name']);
  if (want.person) personQuery = personQuery.where('people.reference', '=', want.person);
  else personQuery = personQuery.where('people.id', '=', db.selectFrom('representatives').select('person_id').where('id', '=', want.representative!));
  const person = await personQuery.executeTakeFirst();
  if (!person) throw new CommandFailed(want.person ? `No one has the reference ${want.person}.` : `No representative has the id ${want.representative}.`);
  const holders = await signInHolders(db, { ...person, jurisdiction: person.jurisdiction as Jurisdiction }, today);
  const base = { councilId: person.council_id, councilName: person.council_name, reference: person.reference, personName: `${person.given_name} ${person.family_name}`, language: person.preferred_language === 'cy' ? ('cy' as const) : ('en' as const) };
  if (want.role === 'recipient') {
    const holder = holders.person;
    if (!holder.mayHaveOne && !holder.signIn) {
      throw new CommandFailed(`${holder.name} (${person.reference}) does not receive the direct payment themselves, so cannot have their own sign-in. Give their representative one instead (--role representative).`);
    }
    return { ...base, holder };
  }
  const wanted: string = want.representative!;
  const byId: boolean = isUuid(wanted);
  const matches = byId
    ? holders.representatives.filter((r) => r.representativeId === wanted)
    : holders.representatives.filter((r) => r.name.trim().toLowerCase() === wanted.toLowerCase());
  if (!matches.length) {
    const names = holders.representatives.map((r) => r.name);
    throw new CommandFailed(`${base.personName} (${person.reference}) has no representative ${byId ? `with the id ${wanted}` : `called ${wanted}`}.${names.length ? ` Their representatives: ${names.join(', ')}.` : ' They have no representatives.'}`);
  }
  const current = matches.filter((r) => r.mayHaveOne || r.signIn);
  if (current.length > 1) throw new CommandFailed(`${base.personName} has more than one representative called ${wanted}: give the representative's id instead.`);
  const holder = current[0] ?? matches[0]!;
  if (!holder.mayHaveOne && !holder.signIn) throw new CommandFailed(`${holder.name} is no longer ${base.personName}'s representative, so cannot have a sign-in.`);
  return { ...base, holder };
}
