import { z } from 'zod';
import { f } from '../../platform/http/validation.ts';

export const guidanceItemForm = z.object({
  title: f.text('Enter a title', 200, 'The title must be 200 characters or fewer'),
  body: f.text('Enter what the guidance says', 5000, 'The guidance must be 5,000 characters or fewer'),
  examples: f.optionalText(5000, 'The examples must be 5,000 characters or fewer'),
});
