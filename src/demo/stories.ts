import type { Transaction } from 'kysely';
import type { DB } from '../platform/db/schema.ts';
import { addDays } from '../domain/dates.ts';
import { accountFor, postTransaction } from '../features/payments/ledger.ts';
import type { DemoCouncil, DemoStaff } from './seed.ts';

export type StoryContext = {
  england: DemoCouncil;
  wales: DemoCouncil;
  staff: DemoStaff;
  passwordHash: string;
  today: string;
};

type Trx = Transaction<DB>;
type CouncilKey = 'england' | 'wales';

/**
 * The case studies of the guidance the project grew from, each at a real stage of its journey,
 * with dates counted back from today so that the stages stay true whenever the demo is seeded.
 */
export async function seedStories(trx: Trx, ctx: StoryContext): Promise<void> {
  const s = new StoryWriter(trx, ctx);

  // Peter: a cooker instead of a homecare package. Paid; the check-back is coming up.
  {
    const peter = await s.person({ username: 'peter', council: 'england', given: 'Peter', family: 'Walsh', dob: '1968-03-14', kind: 'adult', address: '4 Mill Court, Eastmoor', postcode: 'EM1 4MC', communication: 'Prefers letters in large print' });
    const conv = await s.conversation(peter, {
      heldOn: s.d(-120),
      whatMatters: 'Cooking fresh, healthy meals for myself so I can manage my diabetes. I have just moved from a care home into supported living and want to do more for myself.',
      wanted: 'Cook my own fresh meals every day. Keep my blood sugar steady.',
      strengths: 'Motivated to be independent. Used to cook before his illness. Good at planning meals.',
      informal: 'No family nearby who are able to help day to day.',
      community: 'Diabetes education group at the health centre; supported-living staff can show him the new cooker safely.',
      barriers: 'No working cooker: he relies on a microwave. In financial hardship, so cannot buy one.',
      unable: { nutrition: 'Cannot prepare nutritious meals without a cooker; relying on microwave meals is harming his diabetes control.', habitable_home: 'The flat has no working cooker and he cannot afford one.' },
      significantImpact: 'His physical health (diabetes) and his independence are significantly affected.',
    });
    const plan = await s.plan(peter, conv, 'one_off', [
      { outcome: 'Cook fresh, nutritious meals to manage my diabetes', metBy: 'direct_payment', how: 'A one-off direct payment to buy an electric cooker', cost: 45000, freq: 'one_off' },
      { outcome: 'Cook fresh, nutritious meals to manage my diabetes', metBy: 'strengths', how: 'Peter plans his own meals and used to cook', cost: 0, freq: 'none' },
      { outcome: 'Use the cooker safely', metBy: 'community', how: 'Supported-living staff show Peter how to use it; diabetes education group', cost: 0, freq: 'none' },
    ]);
    const dp = await s.directPayment(peter, plan, { kind: 'one_off', status: 'active', purpose: 'An electric cooker, so Peter can cook fresh meals and manage his diabetes', amount: 45000, method: 'bank_account', account: ['P WALSH', '309634', '48213302'], startsOn: s.d(-84) });
    await s.businessCase(dp, {
      proposal: 'A one-off direct payment of £450 for an electric cooker.',
      why: 'Without a cooker Peter relies on microwave meals, which is harming his diabetes control. He wants to cook for himself.',
      family: 'Peter lives alone and has no family nearby able to help day to day.',
      community: 'Supported-living staff will show him the cooker safely; he attends a diabetes education group.',
      agencies: 'His GP and diabetes nurse support the plan.',
      outcomes: 'Peter cooks fresh, nutritious meals himself and his blood sugar is better controlled, without paid carers.',
      options: [
        { description: 'Electric cooker (one-off direct payment)', proposed: true, oneOff: 45000, weekly: 0 },
        { description: 'Homecare package: carers prepare meals, 7 hours a week', proposed: false, oneOff: 0, weekly: 15610 },
      ],
      submittedOn: s.d(-100),
    }, { decision: 'approved', by: 'panel', reasons: 'A one-off cooker meets Peter’s nutrition outcome, builds his independence and costs far less than a homecare package.', on: s.d(-95) });
    await s.agreement(dp, { signedOn: s.d(-90), reviewOn: s.d(8), records: 'Keep the receipt for the cooker.' });
    await s.payment(dp, { periodStarts: s.d(-84), amount: 45000, paidOn: s.d(-84) });
    await s.spending(dp, { on: s.d(-80), amount: 43999, paidTo: 'Eastmoor Electricals', outcome: 'Cook fresh, nutritious meals to manage my diabetes', note: 'Electric cooker, fitted' });
    await s.review(dp, { kind: 'check_back', dueOn: s.d(8) });
  }

  // Jemima: a year's swimming membership. Checked back: it worked.
  {
    const jemima = await s.person({ username: 'jemima', council: 'england', given: 'Jemima', family: 'Okafor', dob: '1979-07-02', kind: 'adult', address: '12 Lark Rise, Eastmoor', postcode: 'EM3 2LR' });
    const conv = await s.conversation(jemima, {
      heldOn: s.d(-420),
      whatMatters: 'Still doing the things I enjoy, getting out in my local community and looking after my health with multiple sclerosis.',
      wanted: 'Stay active. Get out and about in the community.',
      strengths: 'Loves swimming; determined; good friends at the pool.',
      informal: 'Friends give her lifts when they can.',
      community: 'Local leisure centre with accessible changing and hoist.',
      barriers: 'Cannot afford a membership since reducing her working hours.',
      unable: { community: 'Fatigue and mobility make it hard to use local facilities without support.', relationships: 'Isolation is growing as she goes out less.' },
      significantImpact: 'Her physical and emotional well-being are significantly affected.',
    });
    const plan = await s.plan(jemima, conv, 'one_off', [
      { outcome: 'Stay active and independent doing what I enjoy', metBy: 'direct_payment', how: "A year's membership at the local swimming pool", cost: 38000, freq: 'one_off' },
    ]);
    const dp = await s.directPayment(jemima, plan, { kind: 'one_off', status: 'ended', purpose: "A year's swimming membership, so Jemima stays active", amount: 38000, method: 'bank_account', account: ['J OKAFOR', '400515', '71626509'], startsOn: s.d(-380) });
    await s.businessCase(dp, {
      proposal: "A one-off direct payment of £380 for a year's membership at the local pool.",
      why: 'Swimming keeps Jemima active and connected; without it her mobility and mood are declining.',
      family: 'Friends give lifts.', community: 'The leisure centre has accessible changing.', agencies: 'Her MS nurse recommends regular swimming.',
      outcomes: 'Jemima swims twice a week, stays active and sees friends.',
      options: [
        { description: "Swimming pool membership for a year", proposed: true, oneOff: 38000, weekly: 0 },
        { description: 'Day centre place, one day a week', proposed: false, oneOff: 0, weekly: 6500 },
      ],
      submittedOn: s.d(-400),
    }, { decision: 'approved', by: 'panel', reasons: 'Good value and what matters to Jemima.', on: s.d(-395) });
    await s.agreement(dp, { signedOn: s.d(-390), reviewOn: s.d(-290), records: 'Keep the membership receipt.' });
    await s.payment(dp, { periodStarts: s.d(-380), amount: 38000, paidOn: s.d(-380) });
    await s.spending(dp, { on: s.d(-375), amount: 38000, paidTo: 'Eastmoor Leisure', outcome: 'Stay active and independent doing what I enjoy', note: 'Annual membership' });
    await s.review(dp, { kind: 'check_back', dueOn: s.d(-290), completedOn: s.d(-285), outcomesMet: 'met', working: true, changes: 'none', notes: "Jemima used the money to buy a year's membership at her local pool. She swims twice a week, stays active and independent, and it is the thing she enjoys most." });
  }

  // Fatima, a carer: Wilmer the greyhound, for a break from caring. Agreed; paid this month.
  {
    const fatima = await s.person({ username: 'fatima', council: 'england', given: 'Fatima', family: 'Rahman', dob: '1990-11-20', kind: 'carer', address: '31 Station Road, Eastmoor', postcode: 'EM2 7SR' });
    await s.contact(fatima, { name: 'Yusuf Rahman', relationship: 'Grandfather (Fatima cares for him)', informal: false });
    const conv = await s.conversation(fatima, {
      heldOn: s.d(-60),
      whatMatters: 'A regular break from my caring role, getting out and meeting people, and helping my son, who is autistic, with his confidence.',
      wanted: 'Have a regular break from caring. Get out and meet new people.',
      strengths: 'Has kept a greyhound before and managed the monthly costs.',
      informal: 'Her son helps with walks.',
      community: 'Local greyhound rehoming charity.',
      barriers: 'Social isolation since losing their much-loved greyhound; no break from caring.',
      unable: { relationships: 'Caring leaves no time to keep up friendships; she is isolated.', community: 'She rarely gets out except for caring tasks.' },
      significantImpact: 'Her emotional well-being is significantly affected by the caring role.',
    });
    const plan = await s.plan(fatima, conv, 'one_off', [
      { outcome: 'A regular break from caring, and getting out to meet people', metBy: 'direct_payment', how: 'Adopting Wilmer, a retired greyhound, with his first equipment', cost: 52000, freq: 'one_off' },
    ]);
    const dp = await s.directPayment(fatima, plan, { kind: 'one_off', status: 'active', purpose: 'Adopting Wilmer, a greyhound, so Fatima gets out, meets people and has a break from caring', amount: 52000, method: 'prepaid_card', startsOn: s.d(-13) });
    await s.businessCase(dp, {
      proposal: 'A one-off direct payment of £520 to adopt a retired greyhound and buy his first equipment.',
      why: 'A dog gets Fatima out daily, meeting people, gives her a regular break from caring and helps her son’s confidence.',
      family: 'Her son will help walk the dog; she will take the dog to visit her grandfather.', community: 'A local rehoming charity.', agencies: 'None.',
      outcomes: 'Fatima and her son are less isolated and Fatima has a regular break from caring.',
      options: [
        { description: 'Adopt a greyhound (one-off)', proposed: true, oneOff: 52000, weekly: 0 },
        { description: 'Replacement care for a weekly break, 4 hours', proposed: false, oneOff: 0, weekly: 8800 },
      ],
      submittedOn: s.d(-40),
    }, { decision: 'approved', by: 'panel', reasons: 'Creative, meets the carer’s outcomes, and Fatima can manage the ongoing costs.', on: s.d(-35) });
    await s.agreement(dp, { signedOn: s.d(-20), reviewOn: s.d(78), records: 'Keep the adoption receipt and the receipts for equipment.' });
    await s.payment(dp, { periodStarts: s.d(-13), amount: 52000, paidOn: s.d(-13) });
    await s.review(dp, { kind: 'check_back', dueOn: s.d(78) });
  }

  // Anwen: an ongoing direct payment to employ a PA; her husband is her husband, not her carer.
  {
    const anwen = await s.person({ username: 'anwen', council: 'england', given: 'Anwen', family: 'Price', dob: '1985-05-09', kind: 'adult', address: '7 Heol Fach, Eastmoor', postcode: 'EM4 1HF' });
    await s.contact(anwen, { name: 'Rhodri Price', relationship: 'Husband', informal: false, notes: 'Anwen and Rhodri are clear he is her husband, not her carer. He can help in an emergency only.' });
    const conv = await s.conversation(anwen, {
      heldOn: s.d(-200),
      whatMatters: 'Getting washed, dressed and ready for work each morning without relying on my husband. I want him to be my husband, not my carer.',
      wanted: 'Be ready for work on time every weekday. Keep my marriage a marriage.',
      strengths: 'Works full time; organised; knows exactly the support she wants.',
      informal: 'Her husband is not willing to be her carer, and she does not want him to be: recorded as not available.',
      community: 'Accessible transport to work is already in place.',
      barriers: 'Needs help with personal care each morning.',
      unable: { hygiene: 'Needs help to wash each morning.', clothing: 'Needs help to dress.', work_learning: 'Cannot get to work on time without morning support.' },
      significantImpact: 'Her work, dignity and relationships would be significantly affected.',
    });
    const plan = await s.plan(anwen, conv, 'ongoing', [
      { outcome: 'Be washed, dressed and ready for work every weekday', metBy: 'direct_payment', how: 'A personal assistant, 2 hours each weekday morning (10 hours a week at £13.00)', cost: 13000, freq: 'weekly' },
      { outcome: 'Be washed, dressed and ready for work every weekday', metBy: 'direct_payment', how: "Employer's costs: payroll service, employer's liability insurance, holiday pay", cost: 2500, freq: 'weekly' },
      { outcome: 'Get to work', metBy: 'strengths', how: 'Anwen arranges her own accessible transport', cost: 0, freq: 'none' },
    ], { weeklyCost: 15500, contribution: 1500 });
    const dp = await s.directPayment(anwen, plan, { kind: 'ongoing', status: 'active', purpose: 'Employing a personal assistant for morning support on weekdays', weekly: 15500, contribution: 1500, method: 'bank_account', account: ['A PRICE DP ACCOUNT', '200000', '55779911'], startsOn: s.d(-168) });
    await s.businessCase(dp, {
      proposal: 'An ongoing direct payment of £155 a week (less Anwen’s £15 contribution) to employ a PA for weekday mornings.',
      why: 'Anwen needs help with personal care to be ready for work, and does not want her husband to be her carer.',
      family: 'Her husband can help in an emergency only, by choice.', community: 'Accessible transport in place.', agencies: 'Her employer supports flexible start times.',
      outcomes: 'Anwen is ready for work on time, with a PA she chooses.',
      options: [
        { description: 'Direct payment to employ a PA', proposed: true, oneOff: 0, weekly: 15500 },
        { description: 'Homecare agency visits, 10 hours a week', proposed: false, oneOff: 0, weekly: 22300 },
      ],
      submittedOn: s.d(-190),
    }, { decision: 'approved', by: 'panel', reasons: 'Meets the outcomes and respects what matters to Anwen; cheaper than an agency.', on: s.d(-185) });
    await s.agreement(dp, { signedOn: s.d(-175), reviewOn: s.d(12), records: 'Keep timesheets, payslips, bank statements and your insurance certificate.' });
    const net = (15500 - 1500) * 4;
    for (let start = -168; start <= 0; start += 28) {
      await s.payment(dp, { periodStarts: s.d(start), amount: net, paidOn: s.d(start) });
      await s.spending(dp, { on: s.d(start + 25), amount: 52000, paidTo: 'Bethan Lloyd (PA) via Eastmoor Payroll Services', outcome: 'Be washed, dressed and ready for work every weekday', note: 'PA wages for four weeks' });
    }
    await s.payment(dp, { periodStarts: s.d(28), amount: net });
    await s.review(dp, { kind: 'first', dueOn: s.d(12) });
  }

  // Kate: 24-hour support from a team of PAs employed through the Family First Co-operative.
  {
    const kate = await s.person({ username: 'kate', council: 'england', given: 'Kate', family: 'Fletcher', dob: '1996-01-30', kind: 'adult', address: '2 Orchard Close, Eastmoor', postcode: 'EM5 3OC' });
    await s.contact(kate, { name: 'Margaret Fletcher', relationship: 'Mother; chair of the Family First Co-operative', informal: true, notes: 'Willing and able to help organise cover; not a paid carer.' });
    const conv = await s.conversation(kate, {
      heldOn: s.d(-640),
      whatMatters: 'Choosing who supports me and how, around the clock, without relying on my parents, and knowing it is secure if they become ill.',
      wanted: 'Have the 24-hour support I choose. More voice and control.',
      strengths: 'A close family and a committed team of PAs who know her well.',
      informal: 'Her parents help organise but want the arrangement to be secure without them.',
      community: 'The Family First Co-operative: Kate, her family and her PAs.',
      barriers: 'Needs support with every daily activity, day and night.',
      unable: { nutrition: 'Needs support to eat and drink.', hygiene: 'Needs support with personal care.', toilet: 'Needs support day and night.', home_safety: 'Cannot be left alone safely.' },
      significantImpact: 'Every area of her well-being depends on this support.',
    });
    const plan = await s.plan(kate, conv, 'ongoing', [
      { outcome: 'Have the 24-hour support I choose, from people I know', metBy: 'direct_payment', how: 'A team of PAs employed through the Family First Co-operative', cost: 210000, freq: 'weekly' },
    ], { weeklyCost: 210000, contribution: 0 });
    const dp = await s.directPayment(kate, plan, { kind: 'ongoing', status: 'active', purpose: '24-hour support from a team of PAs employed through the Family First Co-operative', weekly: 210000, contribution: 0, method: 'managed_account', provider: 'Family First Co-operative', payee: 'provider', startsOn: s.d(-600) });
    await s.businessCase(dp, {
      proposal: 'An ongoing direct payment of £2,100 a week to the Family First Co-operative, which employs Kate’s PAs.',
      why: 'Kate needs 24-hour support and wants control over who provides it, secure if her parents become ill.',
      family: 'Her parents organise the co-operative’s committee.', community: 'The co-operative handles cover, recruitment and training.', agencies: 'None.',
      outcomes: 'Kate has the services she chooses with greater voice and control.',
      options: [
        { description: 'Direct payment to the Family First Co-operative', proposed: true, oneOff: 0, weekly: 210000 },
        { description: 'Residential care placement', proposed: false, oneOff: 0, weekly: 245000 },
      ],
      submittedOn: s.d(-630),
    }, { decision: 'approved', by: 'panel', reasons: 'Secures Kate’s support with more control and at lower cost.', on: s.d(-625) });
    await s.agreement(dp, { signedOn: s.d(-610), reviewOn: s.d(-420), records: 'The co-operative keeps payroll records, timesheets and bank statements.' });
    for (let start = -600; start <= 0; start += 28) await s.payment(dp, { periodStarts: s.d(start), amount: 210000 * 4, paidOn: s.d(start) });
    await s.review(dp, { kind: 'first', dueOn: s.d(-420), completedOn: s.d(-425), outcomesMet: 'met', working: true, changes: 'none', notes: 'Kate says she now has the services she chooses. The committee covers emergencies well.' });
    await s.review(dp, { kind: 'annual', dueOn: s.d(-60) });
  }

  // John: a dog walker, so he can have a dog and be less lonely. The business case is at the panel.
  {
    const john = await s.person({ username: 'john', council: 'england', given: 'John', family: 'Baker', dob: '1951-09-17', kind: 'adult', address: '19 Church Lane, Eastmoor', postcode: 'EM6 9CL' });
    const conv = await s.conversation(john, {
      heldOn: s.d(-30),
      whatMatters: 'The company of a dog, like when I was younger. I feel more and more lonely now I cannot get out.',
      wanted: 'Feel less lonely. Have a dog again.',
      strengths: 'Loves dogs and knows how to care for one at home.',
      informal: 'A relative has offered to give him a dog.',
      community: 'A local dog-walking service.',
      barriers: 'His mobility is restricted: he cannot walk a dog.',
      unable: { relationships: 'Growing isolation and loneliness.', community: 'He finds it increasingly difficult to leave the house.' },
      significantImpact: 'Risk of depression; his well-being is declining.',
    });
    const plan = await s.plan(john, conv, 'ongoing', [
      { outcome: 'Feel less lonely, with a dog for company', metBy: 'direct_payment', how: 'A dog walker, five walks a week', cost: 4500, freq: 'weekly' },
      { outcome: 'Feel less lonely, with a dog for company', metBy: 'informal_support', how: 'His relative gives him the dog', cost: 0, freq: 'none' },
    ], { weeklyCost: 4500, contribution: 0 });
    const dp = await s.directPayment(john, plan, { kind: 'ongoing', status: 'at_panel', purpose: 'A dog walker, so John can keep a dog for company', weekly: 4500, contribution: 0, method: 'prepaid_card' });
    await s.businessCase(dp, {
      proposal: 'An ongoing direct payment of £45 a week for a dog walker.',
      why: 'John’s loneliness is growing; a dog would be company and a reason to see people, and a walker overcomes his mobility.',
      family: 'A relative is giving him a dog.', community: 'A local dog-walking service.', agencies: 'His GP is concerned about low mood.',
      outcomes: 'John is less isolated and lonely; the onset of depression is prevented.',
      options: [
        { description: 'Dog walker, five walks a week', proposed: true, oneOff: 0, weekly: 4500 },
        { description: 'Day centre, two days a week with transport', proposed: false, oneOff: 0, weekly: 13000 },
        { description: 'Befriending service, one visit a week', proposed: false, oneOff: 0, weekly: 2500 },
      ],
      submittedOn: s.d(-5),
    });
  }

  // Trevor: runs his own business with the help of PAs he employs.
  {
    const trevor = await s.person({ username: 'trevor', council: 'england', given: 'Trevor', family: 'Mills', dob: '1972-12-05', kind: 'adult', address: 'Unit 3, Tannery Yard, Eastmoor', postcode: 'EM1 8TY' });
    const conv = await s.conversation(trevor, {
      heldOn: s.d(-800),
      whatMatters: 'Running my business and living my life on my terms, with PAs who fit around my work.',
      wanted: 'Keep running my business. Choose my own staff.',
      strengths: 'Experienced employer and businessman.',
      informal: 'None needed.',
      community: 'Local business network.',
      barriers: 'Needs physical support through the working day and at home.',
      unable: { hygiene: 'Needs support with personal care.', work_learning: 'Needs a PA to work.', home_safety: 'Needs support to move around safely.' },
      significantImpact: 'His work and independence depend on it.',
    });
    const plan = await s.plan(trevor, conv, 'ongoing', [
      { outcome: 'Keep running my business', metBy: 'direct_payment', how: 'Two PAs, 30 hours a week in all', cost: 42000, freq: 'weekly' },
    ], { weeklyCost: 42000, contribution: 3500 });
    const dp = await s.directPayment(trevor, plan, { kind: 'ongoing', status: 'active', purpose: 'Employing two personal assistants who support Trevor at work and at home', weekly: 42000, contribution: 3500, method: 'bank_account', account: ['T MILLS DP', '308087', '25337800'], startsOn: s.d(-760) });
    await s.agreement(dp, { signedOn: s.d(-765), reviewOn: s.d(-580), records: 'Keep payroll records, timesheets and bank statements.' });
    for (let start = -760; start <= 0; start += 28) await s.payment(dp, { periodStarts: s.d(start), amount: (42000 - 3500) * 4, paidOn: s.d(start) });
    await s.review(dp, { kind: 'first', dueOn: s.d(-580), completedOn: s.d(-590), outcomesMet: 'met', working: true, changes: 'none' });
    await s.review(dp, { kind: 'annual', dueOn: s.d(-225), completedOn: s.d(-250), outcomesMet: 'met', working: true, changes: 'more', notes: 'Trevor’s business has grown: hours increased.' });
    await s.review(dp, { kind: 'annual', dueOn: s.d(115) });
  }

  // Wales. Dewi pools his direct payment with other members of Gorwellion Newydd for re-ablement sessions.
  {
    const dewi = await s.person({ username: 'dewi', council: 'wales', given: 'Dewi', family: 'Jenkins', dob: '1958-04-22', kind: 'adult', language: 'cy', address: '5 Stryd y Bont, Dyffryn', postcode: 'DY1 5SB' });
    const conv = await s.conversation(dewi, {
      heldOn: s.d(-150),
      whatMatters: 'Getting my confidence back after my stroke and after losing my wife, and being with other people.',
      wanted: 'Feel confident going out again. Meet people.',
      strengths: 'Welsh speaker, sociable, a long-standing member of his chapel.',
      informal: 'His daughter visits at weekends.',
      community: 'Gorwellion Newydd, a co-operative offering re-ablement programmes in Welsh and English.',
      barriers: 'Low confidence and isolation since his stroke.',
      wales: 'Dewi can meet his need for confidence and company only with the council’s support to join the re-ablement programme.',
    });
    const plan = await s.plan(dewi, conv, 'ongoing', [
      { outcome: 'Feel confident going out again, and meet people', metBy: 'direct_payment', how: 'Re-ablement group sessions at Gorwellion Newydd, twice a week', cost: 6000, freq: 'weekly' },
    ], { weeklyCost: 6000, contribution: 0 });
    const dp = await s.directPayment(dewi, plan, { kind: 'ongoing', status: 'active', purpose: 'Re-ablement sessions at Gorwellion Newydd', weekly: 6000, contribution: 0, method: 'bank_account', account: ['D JENKINS', '309634', '10203009'], startsOn: s.d(-110) });
    await s.agreement(dp, { signedOn: s.d(-115), reviewOn: s.d(215), records: 'Keep receipts from Gorwellion Newydd and bank statements.' });
    for (let start = -110; start <= 0; start += 28) await s.payment(dp, { periodStarts: s.d(start), amount: 6000 * 4, paidOn: s.d(start) });
    await s.review(dp, { kind: 'first', dueOn: s.d(215) });
  }

  // Cerys, a disabled child: her mother Non, with parental responsibility, receives the payment.
  {
    const cerys = await s.person({ username: null, council: 'wales', given: 'Cerys', family: 'Morgan', dob: '2017-06-11', kind: 'child', language: 'cy', address: '9 Ffordd y Llan, Dyffryn', postcode: 'DY2 9FL' });
    const nonUser = await s.signIn('non', 'Non Morgan', 'representative', 'wales');
    await trx.insertInto('representatives').values({ person_id: cerys, user_id: nonUser, name: 'Non Morgan', relationship: 'Mother', kind: 'parental_responsibility', date_of_birth: '1986-02-14', receives_payment: true, starts_on: s.d(-100) }).execute();
    const conv = await s.conversation(cerys, {
      heldOn: s.d(-100),
      whatMatters: 'Cerys loves music and being with other children. Her family need regular short breaks.',
      wanted: 'Cerys goes to a music club with support. The family gets a short break each week.',
      strengths: 'A loving family; Cerys is sociable and loves singing.',
      informal: 'Her grandparents help at weekends.',
      community: 'A Saturday music club in Welsh.',
      barriers: 'Cerys needs one-to-one support to take part.',
      wales: 'The family can meet Cerys’s need for support at the club only with the council’s care and support.',
    });
    const plan = await s.plan(cerys, conv, 'ongoing', [
      { outcome: 'Cerys goes to music club with her friends', metBy: 'direct_payment', how: 'A support worker for three hours each Saturday', cost: 5400, freq: 'weekly' },
    ], { weeklyCost: 5400, contribution: 0 });
    const rep = await trx.selectFrom('representatives').select('id').where('person_id', '=', cerys).executeTakeFirstOrThrow();
    const dp = await s.directPayment(cerys, plan, { kind: 'ongoing', status: 'active', purpose: 'A support worker so Cerys can go to music club on Saturdays', weekly: 5400, contribution: 0, method: 'bank_account', account: ['N MORGAN', '200000', '66374956'], payee: 'representative', representativeId: rep.id, startsOn: s.d(-70) });
    await s.agreement(dp, { signedOn: s.d(-75), reviewOn: s.d(80), records: 'Keep receipts and bank statements.' });
    for (let start = -70; start <= 0; start += 28) await s.payment(dp, { periodStarts: s.d(start), amount: 5400 * 4, paidOn: s.d(start) });
    await s.review(dp, { kind: 'first', dueOn: s.d(80) });
  }
}

type ConversationSeed = {
  heldOn: string;
  whatMatters: string;
  wanted: string;
  strengths: string;
  informal: string;
  community: string;
  barriers: string;
  unable?: Record<string, string>;
  significantImpact?: string;
  wales?: string;
};

type DirectPaymentSeed = {
  kind: 'one_off' | 'ongoing';
  status: string;
  purpose: string;
  amount?: number;
  weekly?: number;
  contribution?: number;
  method: 'bank_account' | 'prepaid_card' | 'managed_account';
  account?: [string, string, string];
  provider?: string;
  payee?: 'person' | 'representative' | 'provider';
  representativeId?: string;
  startsOn?: string;
};

type Dp = { id: string; councilId: string; personId: string };

/** Writes one story's rows; keeps the ids that link them. */
class StoryWriter {
  private readonly trx: Trx;
  private readonly ctx: StoryContext;
  private readonly councilOf = new Map<string, CouncilKey>();
  constructor(trx: Trx, ctx: StoryContext) {
    this.trx = trx;
    this.ctx = ctx;
  }

  /** A date this many days from today. */
  d(days: number): string {
    return addDays(this.ctx.today, days);
  }

  private practitioner(personId: string): string {
    return this.councilOf.get(personId) === 'wales' ? this.ctx.staff.rhys! : this.ctx.staff.practitioner!;
  }

  async signIn(username: string, displayName: string, role: 'recipient' | 'representative', council: CouncilKey): Promise<string> {
    const user = await this.trx
      .insertInto('users')
      .values({ username, display_name: displayName, role, council_id: this.ctx[council].id, password_hash: this.ctx.passwordHash })
      .returning('id')
      .executeTakeFirstOrThrow();
    return user.id;
  }

  async person(p: { username: string | null; council: CouncilKey; given: string; family: string; dob: string; kind: 'adult' | 'carer' | 'child'; language?: 'en' | 'cy'; address?: string; postcode?: string; communication?: string }): Promise<string> {
    const council = this.ctx[p.council];
    const userId = p.username ? await this.signIn(p.username, `${p.given} ${p.family}`, 'recipient', p.council) : null;
    const person = await this.trx
      .insertInto('people')
      .values({
        council_id: council.id,
        team_id: council.teamId,
        practitioner_id: p.council === 'wales' ? this.ctx.staff.rhys! : this.ctx.staff.practitioner!,
        given_name: p.given,
        family_name: p.family,
        date_of_birth: p.dob,
        kind: p.kind,
        preferred_language: p.language ?? 'en',
        address: p.address ?? null,
        postcode: p.postcode ?? null,
        communication_needs: p.communication ?? null,
        // Ofcom's range for drama: numbers that belong to nobody.
        phone: `07700 900${String(100 + this.councilOf.size).padStart(3, '0')}`,
        user_id: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.councilOf.set(person.id, p.council);
    await this.trx.insertInto('information_given').values({ person_id: person.id, given_on: this.d(-700), format: 'Printed leaflet and a conversation', recorded_by: this.practitioner(person.id) }).execute();
    return person.id;
  }

  async contact(personId: string, c: { name: string; relationship: string; informal: boolean; notes?: string }): Promise<void> {
    await this.trx.insertInto('contacts').values({ person_id: personId, name: c.name, relationship: c.relationship, gives_informal_support: c.informal, willing_and_able: c.informal ? true : null, notes: c.notes ?? null }).execute();
  }

  async conversation(personId: string, c: ConversationSeed): Promise<string> {
    const unable = Object.entries(c.unable ?? {});
    const england = !c.wales;
    const row = await this.trx
      .insertInto('conversations')
      .values({
        person_id: personId,
        practitioner_id: this.practitioner(personId),
        held_on: c.heldOn,
        status: 'completed',
        what_matters: c.whatMatters,
        wanted_outcomes: c.wanted,
        strengths: c.strengths,
        informal_support: c.informal,
        community_resources: c.community,
        barriers: c.barriers,
        dp_offered: true,
        dp_offered_on: c.heldOn,
        dp_response: 'Interested: wants to talk it through with family first.',
        significant_impact: england ? true : null,
        can_and_can_only: england ? null : true,
        eligible: true,
        eligibility_reasons: england ? `${c.significantImpact} Unable to achieve ${unable.length} outcomes.` : c.wales!,
        completed_at: new Date(`${c.heldOn}T15:00:00Z`),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (unable.length) {
      await this.trx.insertInto('conversation_outcomes').values(unable.map(([outcome, reason]) => ({ conversation_id: row.id, outcome, unable: true, reason }))).execute();
    }
    return row.id;
  }

  async plan(
    personId: string,
    conversationId: string,
    kind: 'one_off' | 'ongoing',
    items: { outcome: string; metBy: string; how: string; cost: number; freq: 'none' | 'one_off' | 'weekly' }[],
    budget?: { weeklyCost: number; contribution: number },
  ): Promise<string> {
    const conv = await this.trx.selectFrom('conversations').select('held_on').where('id', '=', conversationId).executeTakeFirstOrThrow();
    const plan = await this.trx
      .insertInto('care_plans')
      .values({
        person_id: personId,
        conversation_id: conversationId,
        status: 'agreed',
        kind,
        weekly_cost_pence: budget?.weeklyCost ?? null,
        weekly_contribution_pence: budget?.contribution ?? null,
        co_produced_with: 'The person, with their practitioner',
        agreed_on: addDays(conv.held_on, 7),
        created_by: this.practitioner(personId),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.trx
      .insertInto('plan_items')
      .values(items.map((item, i) => ({ plan_id: plan.id, position: i + 1, outcome: item.outcome, met_by: item.metBy, how: item.how, cost_pence: item.cost, cost_frequency: item.freq })))
      .execute();
    return plan.id;
  }

  async directPayment(personId: string, planId: string, dp: DirectPaymentSeed): Promise<Dp> {
    const councilId = this.ctx[this.councilOf.get(personId)!].id;
    const row = await this.trx
      .insertInto('direct_payments')
      .values({
        council_id: councilId,
        person_id: personId,
        plan_id: planId,
        kind: dp.kind,
        status: dp.status,
        purpose: dp.purpose,
        meets_needs: 'all',
        amount_pence: dp.amount ?? null,
        weekly_amount_pence: dp.weekly ?? null,
        weekly_contribution_pence: dp.contribution ?? 0,
        frequency: dp.kind === 'one_off' ? 'once' : 'four_weekly',
        payment_method: dp.method,
        payee: dp.payee ?? 'person',
        representative_id: dp.representativeId ?? null,
        provider_name: dp.provider ?? null,
        account_name: dp.account?.[0] ?? null,
        sort_code: dp.account?.[1] ?? null,
        account_number: dp.account?.[2] ?? null,
        starts_on: dp.startsOn ?? null,
        first_payment_on: dp.startsOn ?? null,
        created_by: this.practitioner(personId),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (dp.kind === 'ongoing' && dp.startsOn) {
      await this.trx
        .insertInto('payment_schedules')
        .values({ direct_payment_id: row.id, frequency: 'four_weekly', starts_on: dp.startsOn, weekly_amount_pence: dp.weekly!, weekly_contribution_pence: dp.contribution ?? 0, created_by: this.ctx.staff.finance! })
        .execute();
    }
    return { id: row.id, councilId, personId };
  }

  async businessCase(
    dp: Dp,
    c: { proposal: string; why: string; family: string; community: string; agencies: string; outcomes: string; options: { description: string; proposed: boolean; oneOff: number; weekly: number }[]; submittedOn: string },
    decision?: { decision: 'approved' | 'approved_with_conditions' | 'declined'; by: string; reasons: string; on: string },
  ): Promise<void> {
    const row = await this.trx
      .insertInto('business_cases')
      .values({
        direct_payment_id: dp.id,
        author_id: this.practitioner(dp.personId),
        proposal: c.proposal,
        why_necessary: c.why,
        context_family: c.family,
        context_community: c.community,
        context_agencies: c.agencies,
        outcomes_expected: c.outcomes,
        horizon_months: 12,
        status: decision ? 'decided' : 'submitted',
        submitted_at: new Date(`${c.submittedOn}T10:00:00Z`),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.trx
      .insertInto('business_case_options')
      .values(c.options.map((o, i) => ({ business_case_id: row.id, position: i + 1, description: o.description, proposed: o.proposed, one_off_cost_pence: o.oneOff, weekly_cost_pence: o.weekly })))
      .execute();
    if (decision) {
      await this.trx
        .insertInto('panel_decisions')
        .values({ business_case_id: row.id, decided_by: this.ctx.staff[decision.by]!, decision: decision.decision, reasons: decision.reasons, decided_at: new Date(`${decision.on}T14:00:00Z`) })
        .execute();
    }
  }

  async agreement(dp: Dp, a: { signedOn: string; reviewOn: string; records: string }): Promise<void> {
    const d = await this.trx.selectFrom('direct_payments').selectAll().where('id', '=', dp.id).executeTakeFirstOrThrow();
    const signer = d.representative_id
      ? (await this.trx.selectFrom('representatives').select('name').where('id', '=', d.representative_id).executeTakeFirstOrThrow()).name
      : await this.trx.selectFrom('people').select(['given_name', 'family_name']).where('id', '=', dp.personId).executeTakeFirstOrThrow().then((p) => `${p.given_name} ${p.family_name}`);
    const net = d.kind === 'one_off' ? d.amount_pence! : (d.weekly_amount_pence! - d.weekly_contribution_pence) * 4;
    const account =
      d.payment_method === 'bank_account'
        ? `Dedicated bank account ending ${d.account_number!.slice(-4)}`
        : d.payment_method === 'prepaid_card'
          ? 'Prepaid card'
          : `Managed account with ${d.provider_name}`;
    await this.trx
      .insertInto('agreements')
      .values({
        direct_payment_id: dp.id,
        version: 1,
        amount_pence: net,
        frequency: d.kind === 'one_off' ? 'once' : 'four_weekly',
        account_summary: account,
        purpose: d.purpose,
        records_to_keep: a.records,
        review_on: a.reviewOn,
        created_by: this.practitioner(dp.personId),
        signed_on: a.signedOn,
        signed_by_name: signer,
        signed_recorded_by: this.practitioner(dp.personId),
      })
      .execute();
  }

  /** A payment for one period; when paidOn is given it is sent and paid through the ledger. */
  async payment(dp: Dp, p: { periodStarts: string; amount: number; paidOn?: string }): Promise<void> {
    const d = await this.trx.selectFrom('direct_payments').select(['kind']).where('id', '=', dp.id).executeTakeFirstOrThrow();
    const schedule = await this.trx.selectFrom('payment_schedules').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirst();
    const ends = d.kind === 'one_off' ? p.periodStarts : addDays(p.periodStarts, 27);
    const payment = await this.trx
      .insertInto('payments')
      .values({ direct_payment_id: dp.id, schedule_id: schedule?.id ?? null, period_starts_on: p.periodStarts, period_ends_on: ends, due_on: p.periodStarts, amount_pence: p.amount, status: p.paidOn ? 'paid' : 'scheduled' })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (!p.paidOn) return;
    const budget = await accountFor(this.trx, dp.councilId, 'budget');
    const transit = await accountFor(this.trx, dp.councilId, 'in_transit');
    const holder = await accountFor(this.trx, dp.councilId, 'direct_payment', dp.id);
    await postTransaction(this.trx, {
      idempotencyKey: `payment:${payment.id}:sent`, councilId: dp.councilId, kind: 'payment_sent', description: 'Payment sent to the bank',
      effectiveOn: addDays(p.paidOn, -2), directPaymentId: dp.id, createdBy: this.ctx.staff.finance!,
      postings: [{ accountId: budget, amountPence: -p.amount }, { accountId: transit, amountPence: p.amount }],
    });
    const paid = await postTransaction(this.trx, {
      idempotencyKey: `payment:${payment.id}:paid`, councilId: dp.councilId, kind: 'payment_paid', description: 'Payment arrived',
      effectiveOn: p.paidOn, directPaymentId: dp.id, createdBy: this.ctx.staff.finance!,
      postings: [{ accountId: transit, amountPence: -p.amount }, { accountId: holder, amountPence: p.amount }],
    });
    await this.trx.updateTable('payments').set({ ledger_transaction_id: paid.id }).where('id', '=', payment.id).execute();
  }

  async spending(dp: Dp, s: { on: string; amount: number; paidTo: string; outcome: string; note: string }): Promise<void> {
    if (s.on > this.ctx.today) return;
    const person = await this.trx.selectFrom('people').select('user_id').where('id', '=', dp.personId).executeTakeFirstOrThrow();
    await this.trx
      .insertInto('spending_records')
      .values({ direct_payment_id: dp.id, spent_on: s.on, amount_pence: s.amount, paid_to: s.paidTo, outcome: s.outcome, note: s.note, recorded_by: person.user_id ?? this.practitioner(dp.personId) })
      .execute();
  }

  async review(dp: Dp, r: { kind: string; dueOn: string; completedOn?: string; outcomesMet?: 'met' | 'partly' | 'not_met'; working?: boolean; changes?: 'none' | 'more' | 'less' | 'different'; notes?: string }): Promise<void> {
    await this.trx
      .insertInto('reviews')
      .values({
        direct_payment_id: dp.id,
        kind: r.kind,
        due_on: r.dueOn,
        completed_on: r.completedOn ?? null,
        reviewer_id: r.completedOn ? this.practitioner(dp.personId) : null,
        outcomes_met: r.outcomesMet ?? null,
        working: r.working ?? null,
        changes: r.changes ?? null,
        notes: r.notes ?? null,
      })
      .execute();
  }
}
