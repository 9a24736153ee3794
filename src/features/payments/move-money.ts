import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { transition } from '../../domain/direct-payment-status.ts';
import { formatDate } from '../../domain/dates.ts';
import { scheduleFirstReview } from '../reviews/schedule-review.ts';
import { accountFor, postTransaction } from './ledger.ts';
import { lockCouncilPayments } from './locks.ts';

type Trx = Transaction<DB>;
type Step = 'sent' | 'paid';

// A payment goes scheduled → in_transit (sent to the bank) → paid (arrived in the person's account).
const FROM: Record<Step, string> = { sent: 'scheduled', paid: 'in_transit' };
const TO: Record<Step, string> = { sent: 'in_transit', paid: 'paid' };

export type MoveResult = 'moved' | 'already' | 'not_yet' | 'on_run';

/**
 * Records one step of a payment, and posts the money for it to the ledger in the same database
 * transaction: sent moves it from the council's budget to "in transit", paid from "in transit" into
 * the direct payment's account. The idempotency key names the payment and the step, so a double
 * click, a retry or a second finance officer can never post it twice. The first payment that
 * arrives makes the direct payment active and puts its first review on the list.
 *
 * Surplus owed back ("reduce future payments") is not taken here: a payment moved by hand is paid
 * in full, and the offset waits for the next payment run, which decides and takes it with the line
 * (surplus/offsets.ts). A payment on a live run line is refused here ('on_run'), so no period can
 * have its surplus taken twice, or be paid both ways.
 */
export async function movePayment(
  trx: Trx,
  args: { paymentId: string; directPaymentId: string; step: Step; user: CurrentUser; today: string; ip?: string },
): Promise<MoveResult> {
  const council = await trx.selectFrom('direct_payments').select('council_id').where('id', '=', args.directPaymentId).executeTakeFirstOrThrow();
  await lockCouncilPayments(trx, council.council_id);
  const payment = await trx
    .selectFrom('payments')
    .innerJoin('direct_payments', 'direct_payments.id', 'payments.direct_payment_id')
    .selectAll('payments')
    .select(['direct_payments.council_id', 'direct_payments.person_id', 'direct_payments.reference'])
    .where('payments.id', '=', args.paymentId)
    .where('payments.direct_payment_id', '=', args.directPaymentId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (payment.status !== FROM[args.step]) {
    const order = ['scheduled', 'in_transit', 'paid'];
    return order.indexOf(payment.status) > order.indexOf(FROM[args.step]) ? 'already' : 'not_yet';
  }
  // A payment on a payment run moves with its run, never by hand as well.
  const onRun = await trx.selectFrom('payment_run_lines').select('id').where('payment_id', '=', payment.id).where('status', '<>', 'returned').executeTakeFirst();
  if (onRun) return 'on_run';
  const period = payment.period_starts_on === payment.period_ends_on
    ? formatDate(payment.period_starts_on)
    : `${formatDate(payment.period_starts_on)} to ${formatDate(payment.period_ends_on)}`;
  const [from, to] = args.step === 'sent'
    ? [await accountFor(trx, payment.council_id, 'budget'), await accountFor(trx, payment.council_id, 'in_transit')]
    : [await accountFor(trx, payment.council_id, 'in_transit'), await accountFor(trx, payment.council_id, 'direct_payment', payment.direct_payment_id)];
  const posted = await postTransaction(trx, {
    idempotencyKey: `payment:${payment.id}:${args.step}`,
    councilId: payment.council_id,
    kind: `payment_${args.step}`,
    description: `${payment.reference}: payment for ${period} ${args.step === 'sent' ? 'sent to the bank' : 'arrived'}`,
    effectiveOn: args.today,
    directPaymentId: payment.direct_payment_id,
    createdBy: args.user.id,
    postings: [
      { accountId: from, amountPence: -payment.amount_pence },
      { accountId: to, amountPence: payment.amount_pence },
    ],
  });
  await trx.updateTable('payments').set({ status: TO[args.step], ledger_transaction_id: posted.id }).where('id', '=', payment.id).execute();
  if (args.step === 'paid') await afterPaymentArrived(trx, payment.direct_payment_id, args.today);
  await audit(trx, args.user, {
    action: 'update',
    entityType: 'payment',
    entityId: payment.id,
    personId: payment.person_id,
    details: { step: args.step, amountPence: payment.amount_pence, ledgerTransactionId: posted.id },
  }, args.ip);
  return 'moved';
}

/**
 * What the first payment to arrive sets going, whether it was marked paid by hand or with its
 * payment run: the direct payment becomes active, and the clock starts for the first review (a
 * one-off's check-back). Harmless for later payments: both only ever happen once.
 */
export async function afterPaymentArrived(trx: Trx, directPaymentId: string, today: string): Promise<void> {
  await scheduleFirstReview(trx, directPaymentId, today);
  await trx
    .updateTable('direct_payments')
    .set({ status: transition('agreed', 'active'), updated_at: new Date() })
    .where('id', '=', directPaymentId)
    .where('status', '=', 'agreed')
    .execute();
}
