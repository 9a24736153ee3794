import { registerJob } from '../../platform/jobs.ts';
import { sendComplaintReminders } from './reminders.ts';

// Every morning: tell managers of complaints due within 3 working days and of overdue ones (reminders.ts).
registerJob({
  name: 'complaints.reminders',
  summary: 'Remind managers of complaints to acknowledge or answer within 3 working days, and of overdue ones',
  cron: '15 7 * * *',
  run: sendComplaintReminders,
});
