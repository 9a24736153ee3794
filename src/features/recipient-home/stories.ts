/**
 * Real stories behind the demo (the case studies in ../shared/seeds and src/demo/stories.ts),
 * told on "What can I spend it on?" as ideas from other people. Their words are in the home
 * catalogue (home:stories.<key>.title / .text), in English and Welsh.
 */
export const STORIES = ['peter', 'jemima', 'fatima', 'john', 'anwen', 'kate', 'trevor', 'dewi', 'cerys'] as const;
