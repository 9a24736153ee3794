import { sql } from 'kysely';
import { registerJob } from '../../platform/jobs.ts';
import { notify, registerTemplates } from '../../platform/notifications/index.ts';
import type { Services } from '../../platform/services.ts';
import { addDays, formatDate } from '../../domain/dates.ts';
import { formatPounds } from '../../domain/money.ts';
import { formatDateIn } from '../../platform/i18n/index.ts';
import { assistantsFor, RENEWAL_NOTICE_DAYS, wageCheckFor } from './queries.ts';

// Reminders for an employer's renewals, before they lapse: employer's liability insurance and DBS
// checks (to the person, whoever manages the payment for them, and their practitioner), and a PA's
// pay that a new minimum wage rate or a birthday will make unlawful (to the practitioner, who can
// arrange the uplift). Each reminder's reference names the thing and its date, so running the job
// again, or twice at once, never sends one twice; a new renewal date is a new reminder.
registerTemplates({
  'employers.insurance-renewal': {
    subject: 'Your employer’s liability insurance runs out on ((renews_on))',
    body: 'The employer’s liability insurance for the people you employ with your direct payment (((reference))) runs out on ((renews_on)). Renew it before then: you must be insured while you employ anyone. When you have renewed, update your employer’s checklist.',
  },
  'employers.insurance-renewal.cy': {
    subject: 'Mae eich yswiriant atebolrwydd cyflogwr yn dod i ben ar ((renews_on))',
    body: 'Mae’r yswiriant atebolrwydd cyflogwr ar gyfer y bobl rydych chi’n eu cyflogi â’ch taliad uniongyrchol (((reference))) yn dod i ben ar ((renews_on)). Adnewyddwch ef cyn hynny: rhaid i chi fod wedi’ch yswirio tra byddwch chi’n cyflogi unrhyw un. Ar ôl adnewyddu, diweddarwch eich rhestr wirio cyflogwr.',
  },
  'employers.insurance-renewal-staff': {
    subject: 'Employer’s liability insurance for ((reference)) runs out on ((renews_on))',
    body: '((person))’s employer’s liability insurance (direct payment ((reference))) runs out on ((renews_on)). They have been reminded. Check it is renewed.',
  },
  'employers.dbs-renewal': {
    subject: 'A DBS check is due for renewal by ((renew_by))',
    body: 'The DBS check for ((assistant)), who works for you through your direct payment (((reference))), is due for renewal by ((renew_by)).',
  },
  'employers.dbs-renewal.cy': {
    subject: 'Mae angen adnewyddu gwiriad DBS erbyn ((renew_by))',
    body: 'Mae angen adnewyddu’r gwiriad DBS ar gyfer ((assistant)), sy’n gweithio i chi drwy’ch taliad uniongyrchol (((reference))), erbyn ((renew_by)).',
  },
  'employers.wage-below-minimum': {
    subject: 'A PA’s pay will be below the legal minimum from ((from))',
    body: '((assistant))’s pay on direct payment ((reference)) (((person))) is ((rate)) an hour. From the pay period starting ((from)) the rate required is ((required)) an hour. Paying it adds about ((weekly)) a week to the direct payment.',
  },
});

type Recipient = { userId: string; language: 'en' | 'cy' | null };

/** The person and whoever acts for them now, as users who can be told. */
async function peopleToTell(services: Services, personId: string, today: string): Promise<Recipient[]> {
  const person = await services.db.selectFrom('people').select(['user_id']).where('id', '=', personId).executeTakeFirstOrThrow();
  const reps = await services.db
    .selectFrom('representatives')
    .select('user_id')
    .where('person_id', '=', personId)
    .where('user_id', 'is not', null)
    .where('starts_on', '<=', today)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)]))
    .execute();
  return [person.user_id, ...reps.map((r) => r.user_id)].filter((id): id is string => !!id).map((userId) => ({ userId, language: null }));
}

export async function sendEmployerReminders(services: Services, today: string): Promise<{ processed: number }> {
  const { db } = services;
  const soon = addDays(today, RENEWAL_NOTICE_DAYS);
  let processed = 0;
  const live = ['agreed', 'active', 'suspended'];

  const insurance = await db
    .selectFrom('employer_checklists')
    .innerJoin('direct_payments', 'direct_payments.id', 'employer_checklists.direct_payment_id')
    .innerJoin('people', 'people.id', 'direct_payments.person_id')
    .select(['direct_payments.id', 'direct_payments.council_id', 'direct_payments.reference', 'direct_payments.person_id', 'people.practitioner_id', 'people.given_name', 'people.family_name', 'employer_checklists.insurance_renews_on'])
    .where('employer_checklists.insurance_renews_on', '<=', soon)
    .where('employer_checklists.insurance_renews_on', '>=', addDays(today, -RENEWAL_NOTICE_DAYS))
    .where('direct_payments.status', 'in', live)
    .execute();
  for (const row of insurance) {
    await db.transaction().execute(async (trx) => {
      for (const r of await peopleToTell(services, row.person_id, today)) {
        const user = await trx.selectFrom('users').innerJoin('councils', 'councils.id', 'users.council_id').select(['users.preferred_language', 'councils.first_language']).where('users.id', '=', r.userId).executeTakeFirstOrThrow();
        const lang = (user.preferred_language ?? user.first_language) === 'cy' ? 'cy' : 'en';
        const sent = await notify(trx, {
          councilId: row.council_id, templateId: 'employers.insurance-renewal', reference: `employers:insurance:${row.id}:${row.insurance_renews_on}:${r.userId}`,
          toUserId: r.userId, link: `/my/direct-payments/${row.id}/employer`,
          personalisation: { renews_on: formatDateIn(lang, row.insurance_renews_on), reference: row.reference },
        });
        if (sent.created) processed++;
      }
      if (row.practitioner_id) {
        const sent = await notify(trx, {
          councilId: row.council_id, templateId: 'employers.insurance-renewal-staff', reference: `employers:insurance:${row.id}:${row.insurance_renews_on}:${row.practitioner_id}`,
          toUserId: row.practitioner_id, link: `/direct-payments/${row.id}/employer`,
          personalisation: { renews_on: formatDate(row.insurance_renews_on), reference: row.reference, person: `${row.given_name} ${row.family_name}` },
        });
        if (sent.created) processed++;
      }
    });
  }

  const dbs = await db
    .selectFrom('personal_assistants')
    .innerJoin('direct_payments', 'direct_payments.id', 'personal_assistants.direct_payment_id')
    .select(['personal_assistants.id', 'personal_assistants.name', 'personal_assistants.dbs_renew_by', 'direct_payments.id as dp_id', 'direct_payments.council_id', 'direct_payments.reference', 'direct_payments.person_id'])
    .where('personal_assistants.dbs_renew_by', '<=', soon)
    .where('personal_assistants.dbs_renew_by', '>=', addDays(today, -RENEWAL_NOTICE_DAYS))
    .where((eb) => eb.or([eb('personal_assistants.ends_on', 'is', null), eb('personal_assistants.ends_on', '>=', today)]))
    .where('direct_payments.status', 'in', live)
    .execute();
  for (const row of dbs) {
    await db.transaction().execute(async (trx) => {
      for (const r of await peopleToTell(services, row.person_id, today)) {
        const user = await trx.selectFrom('users').innerJoin('councils', 'councils.id', 'users.council_id').select(['users.preferred_language', 'councils.first_language']).where('users.id', '=', r.userId).executeTakeFirstOrThrow();
        const lang = (user.preferred_language ?? user.first_language) === 'cy' ? 'cy' : 'en';
        const sent = await notify(trx, {
          councilId: row.council_id, templateId: 'employers.dbs-renewal', reference: `employers:dbs:${row.id}:${row.dbs_renew_by}:${r.userId}`,
          toUserId: r.userId, link: `/my/direct-payments/${row.dp_id}/employer`,
          personalisation: { assistant: row.name, renew_by: formatDateIn(lang, row.dbs_renew_by), reference: row.reference },
        });
        if (sent.created) processed++;
      }
    });
  }

  // Wages: every direct payment with a current PA, checked a year ahead.
  const employing = await db
    .selectFrom('personal_assistants')
    .innerJoin('direct_payments', 'direct_payments.id', 'personal_assistants.direct_payment_id')
    .innerJoin('people', 'people.id', 'direct_payments.person_id')
    .select(['direct_payments.id', 'direct_payments.council_id', 'direct_payments.reference', 'people.practitioner_id', 'people.given_name', 'people.family_name'])
    .where((eb) => eb.or([eb('personal_assistants.ends_on', 'is', null), eb('personal_assistants.ends_on', '>=', today)]))
    .where('direct_payments.status', 'in', live)
    .where('people.practitioner_id', 'is not', null)
    .groupBy(['direct_payments.id', 'direct_payments.council_id', 'direct_payments.reference', 'people.practitioner_id', 'people.given_name', 'people.family_name'])
    .orderBy(sql`direct_payments.reference`)
    .execute();
  for (const dp of employing) {
    const check = await wageCheckFor(db, dp.council_id, await assistantsFor(db, dp.id), today);
    for (const { assistant, finding } of check.findings) {
      const sent = await notify(db, {
        councilId: dp.council_id, templateId: 'employers.wage-below-minimum',
        reference: `employers:wage:${assistant.id}:${finding.periodStartsOn}:${finding.requiredPence}:${assistant.hourly_rate_pence}`,
        toUserId: dp.practitioner_id!, link: `/direct-payments/${dp.id}/employer`,
        personalisation: {
          assistant: assistant.name, reference: dp.reference, person: `${dp.given_name} ${dp.family_name}`,
          rate: formatPounds(assistant.hourly_rate_pence), required: formatPounds(finding.requiredPence),
          from: formatDate(finding.periodStartsOn), weekly: formatPounds(finding.weeklyUpliftPence),
        },
      });
      if (sent.created) processed++;
    }
  }
  return { processed };
}

registerJob({
  name: 'employers.reminders',
  summary: 'Remind employers of insurance and DBS renewals due in the next 6 weeks, and practitioners of PA pay a new minimum wage will make unlawful',
  cron: '15 7 * * *',
  run: sendEmployerReminders,
});
