import { describe, expect, it } from 'vitest';
import { bundledPopularNames, popularNamesFrom } from '../../src/signals/popular.js';
import { findTyposquat, findTyposquatMatches, homoglyphSkeleton } from '../../src/signals/typosquat.js';

const popular = bundledPopularNames();

// name -> [imitated package, technique]
const mustMatch: [string, string, string][] = [
  ['reqeusts', 'requests', 'swapped'],
  ['requestss', 'requests', 'doubled'],
  ['requets', 'requests', 'dropped'],
  ['requezts', 'requests', 'one-edit'],
  ['urlib3', 'urllib3', 'dropped'],
  ['setup-tools', 'setuptools', 'separator'],
  ['Setup_Tools', 'setuptools', 'separator'],
  ['typingextensions', 'typing-extensions', 'separator'],
  ['nurnpy', 'numpy', 'homoglyph'],
  ['djang0', 'django', 'homoglyph'],
  ['b0to3', 'boto3', 'homoglyph'],
  ['jeIlyfish', 'jellyfish', 'homoglyph'],
  ['pyrequests', 'requests', 'py-affix'],
  ['requestspy', 'requests', 'py-affix'],
  ['pythonrequests', 'requests', 'py-affix'],
  ['dateutil', 'python-dateutil', 'py-affix'],
  ['pyreqeusts', 'requests', 'py-affix'],
  ['colourama', 'colorama', 'one-edit'],
  ['matplotib', 'matplotlib', 'dropped'],
];

// Popular names themselves, honest "python-" bindings, short names, and unrelated names.
const mustNotMatch = [
  'requests',
  'Requests',
  'typing_extensions',
  'python-dateutil',
  'boto3',
  'botocore',
  'numpy',
  'python-requests-oauth-something-long',
  'python-foobarbaz',
  'abc',
  'flit',
  'xyzzy-quux-frobnicator',
  'my-internal-billing-service',
];

describe('findTyposquat', () => {
  it.each(mustMatch)('%s imitates %s (%s)', (name, imitates, technique) => {
    const [best] = findTyposquatMatches(name, popular);
    expect(best).toMatchObject({ imitates, technique });
    const signal = findTyposquat(name, popular)!;
    expect(signal.id).toBe('typosquat');
    expect(signal.decisive).toBeFalsy();
    expect(signal.message).toContain(
      `popular package ${imitates} (download rank ${popular.rank.get(imitates)})`,
    );
  });

  it.each(mustNotMatch)('%s does not match', (name) => {
    expect(findTyposquatMatches(name, popular)).toEqual([]);
    expect(findTyposquat(name, popular)).toBeNull();
  });

  it('never flags a name of the list, even where two popular names are one edit apart', () => {
    expect(popular.rank.has('botocore') && popular.rank.has('boto3')).toBe(true);
    const flagged = popular.names.filter((name) => findTyposquatMatches(name, popular).length > 0);
    expect(flagged).toEqual([]);
  });

  it('ranks the targets: high for the top 1000, medium below', () => {
    const list = popularNamesFrom({
      source: 'test',
      names: [
        'alpha-package',
        ...Array(1500)
          .fill(0)
          .map((_, i) => `filler${i}x`),
        'omega-package',
      ],
    });
    expect(findTyposquat('alpha-pakage', list)!.severity).toBe('high');
    expect(findTyposquat('omegapackage', list)!.severity).toBe('medium');
  });

  it('keeps one-character edits to the top names and to names of five or more characters', () => {
    const list = popularNamesFrom({
      source: 'test',
      names: [
        'tqdm',
        'toolz',
        ...Array(6000)
          .fill(0)
          .map((_, i) => `n${i}q`),
        'rarepackage',
      ],
    });
    expect(findTyposquatMatches('tqdn', list)).toEqual([]);
    expect(findTyposquatMatches('toolzz', list)[0]?.imitates).toBe('toolz');
    expect(findTyposquatMatches('rarepackagee', list)).toEqual([]);
    expect(findTyposquatMatches('rare-package', list)[0]?.imitates).toBe('rarepackage');
  });

  it('collapses look-alike characters', () => {
    expect(homoglyphSkeleton('rn0d1fied')).toBe(homoglyphSkeleton('modified'));
  });
});
