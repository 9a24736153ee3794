import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { loadUser } from '../../platform/http/auth.ts';
import { can, isUuid, type Capability } from '../../platform/permissions.ts';
import { formatPounds } from '../../domain/money.ts';
import { formatDate } from '../../domain/dates.ts';
import { CommandFailed, UsageError } from '../command.ts';

/** The staff member named by --as, who must be allowed the work. */
export async function actingAs(services: Services, username: unknown, capability: Capability, work: string): Promise<CurrentUser> {
  if (typeof username !== 'string' || !username.trim()) throw new UsageError('--as <username> is missing');
  const row = await services.db.selectFrom('users').select('id').where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
  const user = row ? await loadUser(services, row.id) : undefined;
  if (!user) throw new CommandFailed(`There is no active user called ${username}.`);
  if (!can(user, capability)) throw new CommandFailed(`${user.displayName} (${user.username}) cannot ${work}.`);
  return user;
}

/** A run by its id, as `dp payments run` printed it. */
export async function runById(services: Services, id: string) {
  if (!isUuid(id)) throw new UsageError(`"${id}" is not a payment run id: use the id \`dp payments run\` printed`);
  const run = await services.db.selectFrom('payment_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!run) throw new CommandFailed(`There is no payment run ${id}.`);
  return run;
}

export function describeRun(run: { id: string; payment_date: string; line_count: number; total_pence: number; exception_count: number }): string {
  return `Payment run ${run.id} for ${formatDate(run.payment_date)}: ${run.line_count} payment${run.line_count === 1 ? '' : 's'}, total ${formatPounds(run.total_pence)}, ${run.exception_count} not paid (exceptions).`;
}
