// PEP 503 name normalization, shared by every signal that compares names.
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
