// Where lockfiles and the config are read from: the checkout (no symlink out of it, nothing under .git/)
// and a commit's git objects (never checked out, symlinks not listed).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitCli } from '../../src/engine/git.js';
import { checkoutTree, commitTree, decodeFileText, insidePath } from '../../src/engine/tree.js';
import { git } from '../action/harness.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

describe('insidePath', () => {
  it('keeps workspace-relative paths and refuses what leaves the root or enters .git', () => {
    expect(insidePath('./a/./b.txt')).toBe('a/b.txt');
    expect(insidePath('a\\b.txt')).toBe('a/b.txt');
    for (const bad of [
      '../x',
      'a/../../x',
      '/etc/passwd',
      'C:/x',
      '.git/config',
      '.GIT/config',
      '',
      'a\0b',
      'a/..',
    ])
      expect(insidePath(bad), bad).toBeUndefined();
    expect(insidePath('a/../b')).toBeUndefined();
  });
});

describe('decodeFileText', () => {
  it('honours a UTF-16 or UTF-8 byte-order mark as pip does', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('requests==2.32.3\n', 'utf16le')]);
    expect(decodeFileText(utf16)).toBe('requests==2.32.3\n');
    expect(decodeFileText(Buffer.from('\ufeffsix==1.0\n'))).toBe('six==1.0\n');
  });
});

describe('checkoutTree', () => {
  const root = temp('pmg-tree-');
  const outside = temp('pmg-outside-');
  writeFileSync(join(outside, 'secret.txt'), 'token');
  writeFileSync(join(root, 'requirements.txt'), 'six==1.16.0\n');
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'base.txt'), 'idna==3.7\n');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'escape.txt'));
  symlinkSync('sub/base.txt', join(root, 'inner.txt'));
  symlinkSync(outside, join(root, 'outdir'));
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.git', 'config'), '[http] extraheader = AUTHORIZATION: basic xyz');
  const tree = checkoutTree(root);

  it('reads inside, follows a symlink that stays inside, and refuses one that leaves', () => {
    expect(tree.read('requirements.txt')).toBe('six==1.16.0\n');
    expect(tree.read('inner.txt')).toBe('idna==3.7\n');
    expect(tree.read('escape.txt')).toBeUndefined();
    expect(tree.read('outdir/secret.txt')).toBeUndefined();
    expect(tree.read('../' + outside.split('/').pop() + '/secret.txt')).toBeUndefined();
    expect(tree.read(join(outside, 'secret.txt'))).toBeUndefined();
    expect(tree.read('.git/config')).toBeUndefined();
  });

  it('globs regular files only, never through a symlink', async () => {
    expect(await tree.glob(['**/*.txt'])).toEqual(['requirements.txt', 'sub/base.txt']);
    expect(await tree.glob(['../**/*.txt'])).toEqual([]);
  });
});

describe('commitTree', () => {
  it('lists and reads a commit from git objects, without symlinks', async () => {
    const dir = temp('pmg-git-');
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.email', 't@example.com');
    git(dir, 'config', 'user.name', 't');
    writeFileSync(join(dir, 'requirements.txt'), 'six==1.16.0\n');
    symlinkSync('/etc/passwd', join(dir, 'link.txt'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'c');
    const sha = git(dir, 'rev-parse', 'HEAD');
    writeFileSync(join(dir, 'requirements.txt'), 'changed on disk\n');
    const objects = gitCli(dir);
    expect(objects.commit('HEAD')).toBe(sha);
    expect(objects.commit('--output=/tmp/x')).toBeUndefined();
    expect(objects.commit('no-such-ref')).toBeUndefined();
    const tree = commitTree(objects, sha);
    expect(tree.read('requirements.txt')).toBe('six==1.16.0\n');
    expect(tree.read('link.txt')).toBeUndefined();
    expect(tree.read('../requirements.txt')).toBeUndefined();
    expect(await tree.glob(['**/*.txt'])).toEqual(['requirements.txt']);
  });
});
