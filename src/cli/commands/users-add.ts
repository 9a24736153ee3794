import crypto from 'node:crypto';
import type { z } from 'zod';
import { ROLE_NAMES, STAFF_ROLES } from '../../platform/auth/roles.ts';
import { addUser } from '../../features/admin/add-user.ts';
import { displayNameField, emailField, passwordField, roleField, usernameField } from '../../features/admin/user-form.ts';
import { CommandFailed, UsageError, type Command } from '../command.ts';

/** Checks one argument with the same rules as the web form, turning a refusal into a usage error. */
function check<S extends z.ZodType>(field: S, value: unknown, what: string): z.infer<S> {
  const result = field.safeParse(value);
  if (!result.success) throw new UsageError(`${what}: ${result.error.issues[0]?.message ?? 'not valid'}`);
  return result.data;
}

export const usersAdd: Command = {
  name: ['users', 'add'],
  summary: 'Add a council staff account',
  usage: '<username> --role <role> --name "<display name>" --council <code> [--email <address>] [--password-stdin]',
  help: [
    `Roles: ${STAFF_ROLES.join(', ')}.`,
    'The password is read from standard input with --password-stdin (at least 12 characters);',
    'otherwise one is made up and printed once.',
    'Example: printf "%s" "$PASSWORD" | dp users add j.smith --role practitioner --name "Jo Smith" --council EASTMOOR --password-stdin',
  ].join('\n'),
  options: {
    role: { type: 'string' },
    name: { type: 'string' },
    council: { type: 'string' },
    email: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run({ positionals, values }, ctx) {
    for (const required of ['role', 'name', 'council'] as const) {
      if (typeof values[required] !== 'string') throw new UsageError(`--${required} is missing`);
    }
    const username = check(usernameField, positionals[0], 'Username');
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
