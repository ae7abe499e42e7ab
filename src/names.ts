// Project names as pip compares them: every stage that matches names (lockfiles, registry, signals,
// policy, reports) uses this one, so a package is the same package everywhere.

/** PEP 503 normalization: lowercased, runs of -, _ and . become one '-'. */
export const normalizeName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');
