import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { can } from '../../platform/permissions.ts';

type Status = { text: string; classes?: string } | { tag: { text: string; classes?: string } };
type Step = { title: { text: string }; href?: string; status: Status };

const CANNOT_START: Status = { text: 'Cannot start yet', classes: 'govuk-task-list__status--cannot-start-yet' };
const toDo = (text = 'To do'): Status => ({ tag: { text, classes: 'govuk-tag--blue' } });
const attention = (text: string): Status => ({ tag: { text, classes: 'govuk-tag--yellow' } });
const done = (text: string): Status => ({ text });

// The main line of the lifecycle; more_information and declined are off it, so reach nothing further.
const ORDER = ['draft', 'at_panel', 'approved', 'agreed', 'active', 'suspended', 'ended'];
const reached = (status: string, step: string) => ORDER.indexOf(status) >= ORDER.indexOf(step);

/**
 * The steps after the direct payment is set up, each owned by another part of the service, as a
 * GOV.UK task list: where it has got to, and a link to the next thing to do where the user may do it.
 */
export function nextSteps(dp: { id: string; status: string; kind: string }, user: CurrentUser): Step[] {
  const { status } = dp;
  const base = `/direct-payments/${dp.id}`;
  const oneOff = dp.kind === 'one_off';
  const link = (allowed: boolean, href: string) => (allowed ? { href } : {});

  const caseStatus: Status =
    status === 'draft' ? toDo('Not started or not sent') : status === 'more_information' ? attention('More information needed') : status === 'declined' ? done('Declined') : done(status === 'at_panel' ? 'Sent to the panel' : 'Completed');
  const panelStatus: Status =
    status === 'draft' ? CANNOT_START : status === 'at_panel' ? attention('Waiting for a decision') : status === 'more_information' ? done('More information asked for') : status === 'declined' ? done('Declined') : done('Approved');
  const agreementStatus: Status = !reached(status, 'approved') ? CANNOT_START : status === 'approved' ? toDo() : done('Signed');
  const paymentStatus: Status = !reached(status, 'agreed')
    ? CANNOT_START
    : status === 'agreed' ? toDo(oneOff ? 'Not paid yet' : 'Not started') : status === 'suspended' ? attention('Paused') : done(status === 'ended' ? 'Ended' : oneOff ? 'Paid' : 'Being paid');
  const reviewOpen = status === 'active' || status === 'suspended';
  const reviewStatus: Status = reviewOpen ? toDo(oneOff ? 'Check back with the person' : 'Review when due') : status === 'ended' ? done('Ended') : CANNOT_START;
  const open = (s: Status) => s !== CANNOT_START;

  return [
    { title: { text: 'Business case' }, status: caseStatus, ...link(can(user, 'business-cases:write'), `${base}/business-case`) },
    { title: { text: 'Funding panel decision' }, status: panelStatus, ...link(can(user, 'panel:decide') && status === 'at_panel', '/panel') },
    { title: { text: 'Direct payment agreement' }, status: agreementStatus, ...link(open(agreementStatus) && can(user, 'people:read'), `${base}/agreement`) },
    { title: { text: oneOff ? 'Payment' : 'Payments' }, status: paymentStatus, ...link(open(paymentStatus) && can(user, 'people:read'), `${base}/payments`) },
    { title: { text: oneOff ? 'Check back' : 'Reviews' }, status: reviewStatus, ...link(reviewOpen && can(user, 'reviews:write'), `${base}/reviews/new`) },
  ];
}
