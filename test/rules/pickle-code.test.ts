// The pickle / torch opcode scanner: callables named and called on load are found without unpickling.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanModelFile, scanPickle } from '../../src/rules/index.js';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
// Written by hand from the pickle format (protocol 0, 2 and 4), not produced by running anything.
const PROTO0 = bytes("cposix\nsystem\n(S'id'\ntR.");
const PROTO2 = bytes(
  '\x80\x02csubprocess\ncheck_output\nq\x00]q\x01X\x02\x00\x00\x00idq\x02a\x85q\x03Rq\x04.',
);
const PROTO4 = bytes(
  '\x80\x04\x95\x20\x00\x00\x00\x00\x00\x00\x00\x8c\x08builtins\x94\x8c\x04exec\x94\x93\x94\x8c\x05print\x94\x85\x94R\x94.',
);
const SAFE = bytes(
  '\x80\x04\x95\x20\x00\x00\x00\x00\x00\x00\x00\x8c\x0bcollections\x94\x8c\x0bOrderedDict\x94\x93\x94)R\x94.',
);

/** A stored (or deflated) zip with one member, as torch.save writes archive/data.pkl. */
function zip(name: string, data: Uint8Array, deflate = false): Uint8Array {
  const body = deflate ? new Uint8Array(deflateRawSync(data)) : data;
  const header = new Uint8Array(30 + name.length);
  const v = new DataView(header.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(8, deflate ? 8 : 0, true);
  v.setUint32(18, body.length, true);
  v.setUint32(22, data.length, true);
  v.setUint16(26, name.length, true);
  header.set(bytes(name), 30);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

describe('pickle opcode scanner', () => {
  it.each([
    ['protocol 0 GLOBAL + REDUCE', PROTO0, 'posix', 'system'],
    ['protocol 2 GLOBAL + REDUCE', PROTO2, 'subprocess', 'check_output'],
    ['protocol 4 STACK_GLOBAL + REDUCE', PROTO4, 'builtins', 'exec'],
  ])('finds %s', (_, data, module, name) => {
    const found = scanPickle(data);
    expect(found).toContainEqual(expect.objectContaining({ module, name, called: true }));
    const evidence = scanModelFile('pkg/model.pkl', data);
    expect(evidence[0]).toMatchObject({ rule: 'pickle-code', severity: 'critical', path: 'pkg/model.pkl' });
    expect(evidence[0]?.message).toContain(`${module}.${name}`);
  });

  it('finds the payload in a torch zip (stored and deflated data.pkl)', () => {
    expect(scanModelFile('m.pt', zip('archive/data.pkl', PROTO4))[0]?.snippet).toBe('builtins.exec');
    expect(scanModelFile('m.pth', zip('archive/data.pkl', PROTO2, true))[0]?.snippet).toBe(
      'subprocess.check_output',
    );
  });

  it('stays quiet on ordinary pickles and on bytes that are not pickles', () => {
    expect(scanModelFile('state.pkl', SAFE)).toEqual([]);
    expect(scanModelFile('x.bin', bytes('\x80\xff\xff\xffgarbage'))).toEqual([]);
    expect(scanModelFile('x.pkl', new Uint8Array(0))).toEqual([]);
  });

  it('stops on truncated or hostile lengths without reading past the end', () => {
    expect(() => scanPickle(bytes('\x80\x04\x8d\xff\xff\xff\xff\xff\xff\xff\x7f'))).not.toThrow();
    expect(() => scanPickle(PROTO4.subarray(0, 20))).not.toThrow();
  });
});

describe('pickles inside a package', () => {
  it('reach the evidence through the extractor (a torch .pt in a wheel)', async () => {
    const { extractFeatures, initFeatures } = await import('../../src/features/index.js');
    const { viewOf } = await import('../features/view.js');
    await initFeatures();
    const analysis = extractFeatures(
      viewOf({ 'pkg/__init__.py': 'x = 1\n', 'pkg/weights.pt': zip('weights/data.pkl', PROTO4) }, 'wheel'),
    );
    expect(analysis.evidence).toContainEqual(
      expect.objectContaining({ rule: 'pickle-code', path: 'pkg/weights.pt', severity: 'critical' }),
    );
  });
});
