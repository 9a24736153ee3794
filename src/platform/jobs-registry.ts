// Every feature's background jobs, one import per feature (each file calls registerJob when loaded).
// Loaded by registeredJobs() in jobs.ts; add one line here for a new feature's jobs.ts.
import '../features/reviews/jobs.ts';
import '../features/employers/jobs.ts';
import '../features/feedback/jobs.ts';
import '../features/complaints/jobs.ts';
import '../features/statements/jobs.ts';
import '../features/monitoring/jobs.ts';
import '../features/insight/jobs.ts';
