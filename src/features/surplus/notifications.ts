import { registerTemplates } from '../../platform/notifications/index.ts';

// The message that tells the person (and anyone acting for them) that written notice of a surplus
// is waiting for them. It carries the direct payment's reference, never a name: emails leave the
// service. The notice itself is the page and letter under /my.
registerTemplates({
  'surplus-notice': {
    subject: 'About money left in your direct payment account (((reference)))',
    body: [
      'We have written to you about money left unspent in your direct payment account (((reference))).',
      '',
      'We plan to take back ((amount)). You can tell us if you disagree until ((challenge_by)).',
      '',
      'Sign in to Manage direct payments to read the notice and what you can do.',
    ].join('\n'),
  },
  'surplus-notice.cy': {
    subject: 'Am arian sydd ar ôl yn eich cyfrif taliadau uniongyrchol (((reference)))',
    body: [
      'Rydym wedi ysgrifennu atoch am arian sydd heb ei wario yn eich cyfrif taliadau uniongyrchol (((reference))).',
      '',
      'Rydym yn bwriadu cymryd ((amount)) yn ôl. Gallwch ddweud wrthym os ydych yn anghytuno tan ((challenge_by)).',
      '',
      'Mewngofnodwch i Rheoli taliadau uniongyrchol i ddarllen yr hysbysiad a beth allwch chi ei wneud.',
    ].join('\n'),
  },
});
