// Poetry's version constraints (^1.2, ~1.2, 1.2.*, 1.2.3, >=1,<2, a || b) as PEP 440 specifiers.
// Hand-written: pep440 does not know poetry's caret/tilde syntax and no maintained npm library converts it.

/** PEP 440 specifier ('' = any), or undefined when the constraint cannot be read ('||' alternatives). */
export function poetryConstraintToPep440(constraint: string): string | undefined {
  const c = constraint.trim();
  if (c === '' || c === '*') return '';
  if (c.includes('||') || c.includes('|')) return undefined;
  const parts = c.split(/\s*,\s*|\s+(?=[<>=!~^])/).filter(Boolean);
  const out: string[] = [];
  for (const part of parts) {
    const p = part.replace(/\s+/g, '');
    const caret = /^\^(\d+(?:\.\d+)*)(.*)$/.exec(p);
    const tilde = /^~(?!=)(\d+(?:\.\d+)*)(.*)$/.exec(p);
    if (caret) {
      const nums = caret[1]!.split('.').map(Number);
      const idx = nums.findIndex((n) => n !== 0);
      const bumpAt = idx === -1 ? nums.length - 1 : Math.min(idx, nums.length - 1);
      out.push(`>=${caret[1]}${caret[2]}`, `<${bump(nums, bumpAt)}`);
    } else if (tilde) {
      const nums = tilde[1]!.split('.').map(Number);
      const bumpAt = nums.length === 1 ? 0 : 1;
      out.push(`>=${tilde[1]}${tilde[2]}`, `<${bump(nums, bumpAt)}`);
    } else if (/^\d/.test(p)) {
      out.push(`==${p}`);
    } else if (/^=\d/.test(p)) {
      out.push(`=${p}`);
    } else {
      out.push(p);
    }
  }
  return out.join(',');
}

function bump(nums: number[], at: number): string {
  const head = nums.slice(0, at + 1);
  head[at] = head[at]! + 1;
  return head.join('.');
}
