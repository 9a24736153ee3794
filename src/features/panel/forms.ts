import { z } from 'zod';
import { f, parseForm, type FormResult } from '../../platform/http/validation.ts';
import { DECISION_VALUES, type Decision } from './decisions.ts';

const decisionForm = z.object({
  decision: f.choice(DECISION_VALUES, 'Choose the panel’s decision'),
  conditions: f.optionalText(5000, 'The conditions must be 5000 characters or fewer'),
  reasons: f.text('Give the reasons for the decision', 5000, 'The reasons must be 5000 characters or fewer'),
});

export type DecisionInput = { decision: Decision; reasons: string; conditions: string | null };

const CONDITIONS_MISSING = 'Say what the conditions are';

/**
 * Reads the decision form. Conditions are required with "approve with conditions" and dropped
 * otherwise; that check runs even when other answers are missing, so every error shows at once.
 */
export function readDecision(body: unknown): FormResult<DecisionInput> {
  const result = parseForm(decisionForm, body);
  const raw = (body ?? {}) as Record<string, unknown>;
  const wantsConditions = raw.decision === 'approved_with_conditions';
  const conditionsMissing = wantsConditions && (typeof raw.conditions !== 'string' || raw.conditions.trim() === '');
  if (!result.ok) {
    if (conditionsMissing && !result.errors.fields.conditions) {
      result.errors.fields.conditions = { text: CONDITIONS_MISSING };
      const at = result.errors.list.findIndex((e) => e.href === '#reasons');
      result.errors.list.splice(at === -1 ? result.errors.list.length : at, 0, { text: CONDITIONS_MISSING, href: '#conditions' });
    }
    return result;
  }
  if (conditionsMissing) {
    return { ok: false, errors: { list: [{ text: CONDITIONS_MISSING, href: '#conditions' }], fields: { conditions: { text: CONDITIONS_MISSING } } } };
  }
  const { decision, reasons, conditions } = result.data;
  return { ok: true, data: { decision, reasons, conditions: decision === 'approved_with_conditions' ? conditions : null } };
}
