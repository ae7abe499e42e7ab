// The registry answers with a value or a finding (OrFinding); these read the side a test expects and fail
// loudly, naming the other side, when the answer is the wrong one.
import type { OrFinding, Signal } from '../../src/types.js';

export async function expectValue<T>(pending: Promise<OrFinding<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok)
    throw new Error(`expected a value, got finding ${result.finding.id}: ${result.finding.message}`);
  return result.value;
}

export async function expectFinding(pending: Promise<OrFinding<unknown>>): Promise<Signal> {
  const result = await pending;
  if (result.ok) throw new Error('expected a finding, got a value');
  return result.finding;
}
