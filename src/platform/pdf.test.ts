import { describe, expect, it } from 'vitest';
import { taggedPdf } from './pdf.ts';

describe('taggedPdf', () => {
  it('writes a tagged PDF 1.7 with its language, its title shown, and headings, paragraphs and a list in the structure tree', async () => {
    const pdf = taggedPdf({ title: 'Llythyr prawf', lang: 'cy-GB', author: 'Cyngor Dyffryn', subject: 'Prawf' });
    pdf.heading('Llythyr prawf', 1);
    pdf.heading('Adran', 2);
    pdf.para('Paragraff.');
    pdf.list(['un', 'dau']);
    pdf.list([]);
    const text = (await pdf.end()).toString('latin1');
    expect(text.startsWith('%PDF-1.7')).toBe(true);
    expect(text).toContain('/StructTreeRoot');
    expect(text).toMatch(/\/Marked true/);
    expect(text).toContain('/Lang (cy-GB)');
    expect(text).toContain('/DisplayDocTitle true');
    for (const type of ['/Document', '/H1', '/H2', '/P', '/L', '/LI']) expect(text).toContain(`/S ${type}`);
    // One list only: the empty one draws nothing.
    expect(text.match(/\/S \/L\b/g)).toHaveLength(1);
  });
});
