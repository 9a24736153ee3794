import { defaultGuidance } from '../features/guidance/default-guidance.ts';
import { guidanceIn } from '../features/recipient-home/guidance-cy.ts';

type GuidanceRow = { title: string; body: string; examples: string; title_cy: string | null; body_cy: string | null; examples_cy: string | null };

/**
 * Dyffryn's guidance, written by the council in English and Welsh: the suggested guidance with its
 * published Welsh, one item of its own in both languages, and one added last week that is not in
 * Welsh yet (so a Welsh reader sees the English, marked "Dim ond yn Saesneg mae hwn ar gael").
 */
export function welshCouncilGuidance(): GuidanceRow[] {
  const english = defaultGuidance();
  const asItems = english.map((g, i) => ({ ...g, id: String(i), position: i + 1, updated_at: new Date(0), exampleList: g.examples.split('\n') }));
  const welsh = guidanceIn('cy', asItems);
  const suggested = english.map((g, i) => ({ ...g, title_cy: welsh[i]!.title, body_cy: welsh[i]!.body, examples_cy: welsh[i]!.exampleList.join('\n') }));
  return [
    ...suggested,
    {
      title: 'Activities and support in Welsh',
      body: 'You can choose support and activities in Welsh. If the only service in Welsh costs a little more, tell your social worker: we will look at it with you.',
      examples: 'A Welsh-speaking personal assistant\nA Welsh-language choir or chapel social group\nRe-ablement sessions at Gorwellion Newydd, in Welsh',
      title_cy: 'Gweithgareddau a chymorth yn Gymraeg',
      body_cy: 'Gallwch chi ddewis cymorth a gweithgareddau yn Gymraeg. Os yw’r unig wasanaeth yn Gymraeg yn costio ychydig yn fwy, dywedwch wrth eich gweithiwr cymdeithasol: byddwn ni’n edrych arno gyda chi.',
      examples_cy: 'Cynorthwyydd personol sy’n siarad Cymraeg\nCôr Cymraeg neu grŵp cymdeithasol y capel\nSesiynau ail-alluogi yn Gorwellion Newydd, yn Gymraeg',
    },
    {
      title: 'Technology that keeps you in touch',
      body: 'A tablet, a simple phone or a video doorbell, where it helps you stay in touch with family and friends or feel safe at home.',
      examples: 'A tablet set up for video calls\nA video doorbell',
      title_cy: null,
      body_cy: null,
      examples_cy: null,
    },
  ];
}
