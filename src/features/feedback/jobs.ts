import { registerJob } from '../../platform/jobs.ts';
import { sendFeedbackInvitations } from './invitations.ts';

// Every morning: invite people to the 4-question survey after their first payment and each review.
registerJob({
  name: 'feedback.invitations',
  summary: 'Invite people to the 4-question survey after their first payment and after each review',
  cron: '0 10 * * *',
  run: sendFeedbackInvitations,
});
