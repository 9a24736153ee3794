import { defaultGuidance, type GuidanceSeed } from '../guidance/default-guidance.ts';
import type { GuidanceItem } from '../guidance/queries.ts';
import type { Lang } from '../../platform/i18n/index.ts';

/**
 * The suggested guidance (features/guidance/default-guidance.ts) in Welsh, in the same order. A
 * council's item is shown in Welsh only while its English still reads exactly as suggested: once
 * a council rewrites an item, its own words are shown as it wrote them (in whichever language)
 * rather than a translation of something it no longer says.
 */
const WELSH: GuidanceSeed[] = [
  {
    title: 'Offer sy’n cynyddu annibyniaeth',
    body: 'Offer sy’n helpu’r person i wneud mwy drosto’i hun, fel ei fod yn dibynnu llai ar gymorth cyflogedig.',
    examples: 'Cymorth cyfathrebu\nCymorth symudedd\nPopty, fel bod rhywun yn gallu coginio’i brydau ffres ei hun yn lle cael ymweliad gofal cartref',
  },
  {
    title: 'Cwrs i helpu rhywun i weithio neu wirfoddoli',
    body: 'Cwrs hyfforddi, neu gymorth tymor byr i ddysgu swydd newydd neu sgiliau newydd, lle mae’n helpu’r person i gyflawni canlyniad yn ei gynllun.',
    examples: 'Cwrs coleg neu gwrs ar-lein\nTystysgrif cymorth cyntaf neu hylendid bwyd ar gyfer rôl wirfoddol',
  },
  {
    title: 'Aelodaeth o glybiau, grwpiau a thanysgrifiadau',
    body: 'Aelodaeth sy’n helpu’r person i gadw’n heini, cwrdd â phobl neu ddilyn diddordeb. Gellir adnewyddu’r rhain bob blwyddyn os ydyn nhw’n dal i weithio i’r person.',
    examples: 'Aelodaeth blwyddyn o bwll nofio neu gampfa\nGrŵp cymdeithasol neu glwb chwaraeon\nTanysgrifiad ar-lein',
  },
  {
    title: 'Addasiad bach i’r cartref',
    body: 'Newid bach i gartref y person sy’n ei wneud yn fwy diogel neu’n haws ei ddefnyddio. Mae addasiadau mwy fel arfer yn mynd drwy Grant Cyfleusterau i’r Anabl.',
    examples: 'Rheiliau cydio\nTap lifer\nBlwch allweddi',
  },
  {
    title: 'Cynorthwyydd personol',
    body: 'Cyflogi cynorthwyydd personol, neu dalu asiantaeth, fel bod y person yn dewis pwy sy’n ei gefnogi, pryd a sut. Mae’r cyngor yn rhoi cymorth gyda bod yn gyflogwr: contractau, cyflogres, yswiriant a gwiriadau. Dim ond os yw’r cyngor yn cytuno bod angen gwneud hynny y gellir talu perthynas agos sy’n byw ar yr un aelwyd.',
    examples: 'Cynorthwyydd personol i helpu gyda chodi a mynd allan\nTîm o gynorthwywyr personol wedi’i drefnu drwy gwmni cydweithredol',
  },
  {
    title: 'Cymorth tymor byr',
    body: 'Cymorth am gyfnod byr sy’n magu sgiliau a hyder ac yn atal anghenion rhag tyfu.',
    examples: 'Hyfforddiant teithio, fel bod y person yn gallu defnyddio trafnidiaeth gyhoeddus ar ei ben ei hun\nRhywun i fynd â’r ci am dro, fel bod rhywun yn gallu cadw ci yn gwmni',
  },
  {
    title: 'Offer ar gyfer gweithgaredd neu ddiddordeb newydd, neu anifail anwes',
    body: 'Rhywbeth sy’n agor y drws i weithgaredd newydd, neu anifail anwes, lle mae’n diwallu canlyniad yng nghynllun y person, fel mynd allan, cwrdd â phobl neu gael seibiant o ofalu.',
    examples: 'Offeryn cerdd\nOffer ymarfer corff\nCyfrifiadur\nCi sy’n helpu gofalwr i fynd allan ac yn rhoi seibiant iddo',
  },
  {
    title: 'Beth na all taliad uniongyrchol ei brynu fel arfer',
    body: 'Mae taliad uniongyrchol ar gyfer diwallu anghenion sydd wedi’u hasesu. Fel arfer, ni all dalu am bethau y byddai’r person yn talu amdanyn nhw beth bynnag, nac am unrhyw beth a allai achosi niwed. Os nad ydych chi’n siŵr, gofynnwch: gall y panel cyllido edrych ar y rhesymau.',
    examples: 'Costau byw bob dydd, fel bwyd, rhent a biliau\nGamblo\nAlcohol\nTybaco\nTalu dyledion',
  },
];

const key = (g: { title: string; body: string; examples: string }) => `${g.title}\u0000${g.body}\u0000${g.examples}`;

export type ShownGuidance = { title: string; body: string; exampleList: string[] };

/** The council's guidance in the page's language where a faithful translation exists. */
export function guidanceIn(lang: Lang, items: GuidanceItem[]): ShownGuidance[] {
  const english = defaultGuidance();
  const welshFor = new Map(english.map((g, i) => [key(g), WELSH[i]!]));
  return items.map((item) => {
    const welsh = lang === 'cy' ? welshFor.get(key(item)) : undefined;
    if (welsh) return { title: welsh.title, body: welsh.body, exampleList: welsh.examples.split('\n') };
    return { title: item.title, body: item.body, exampleList: item.exampleList };
  });
}

export const WELSH_GUIDANCE_COUNT = WELSH.length;
