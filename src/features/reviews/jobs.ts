import { registerJob } from '../../platform/jobs.ts';
import { sendReviewReminders } from './reminders.ts';

// Every morning: remind practitioners of reviews coming up and overdue (see reminders.ts).
registerJob({
  name: 'reviews.reminders',
  summary: 'Remind practitioners of reviews due in the next 4 weeks and of overdue reviews',
  cron: '0 7 * * *',
  run: sendReviewReminders,
});
