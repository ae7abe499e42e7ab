import { callHit } from './context.js';
import type { Rule } from './types.js';

export const marshalCodeLoad: Rule = {
  id: 'marshal-code-load',
  category: 'dynamic-code',
  severity: 'high',
  description:
    'Loads a compiled code object with marshal.loads (or types.CodeType / FunctionType built from data).',
  rationale: 'Shipping marshalled bytecode instead of source hides the code from reviewers and scanners.',
  check: (file) =>
    file.calls
      .filter(
        (c) => c.name === 'marshal.loads' || c.name === 'types.CodeType' || c.name === 'types.FunctionType',
      )
      .map((c) =>
        callHit(
          c,
          c.role === 'test' || c.role === 'runtime' ? 'medium' : 'high',
          `${c.name} builds code from data`,
        ),
      ),
};
