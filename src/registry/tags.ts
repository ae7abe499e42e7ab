// Wheel compatibility as pip computes it: the ordered list of tags an interpreter supports (the order of
// packaging.tags.sys_tags for CPython: cpXY-cpXY-platform, then abi3, then cpXY-none-platform, then older
// abi3, then pyXY-none-platform, cpXY-none-any, pyXY-none-any), for target platforms the gate does not run
// on. Hand-written: no maintained npm library computes Python wheel tags; the order follows
// pypa/packaging src/packaging/tags.py (cpython_tags, compatible_tags, mac_platforms, _linux_platforms).

/** A place the project may run: an OS/architecture and the platform tags pip accepts there, best first. */
export interface TargetPlatform {
  id: string;
  /**
   * Platform tag orders to consider. Linux has two: pip's vendored packaging up to 26.2 puts manylinux
   * before the native linux_<arch> tag, 26.3 puts linux_<arch> first; the gate analyses both picks.
   */
  orders: string[][];
}

/** CPython minor versions (3.X) considered when the lockfile does not say which ones it runs on. */
export const DEFAULT_PYTHON_MINORS = [9, 10, 11, 12, 13, 14];

/** The default targets: the Linux x86_64 runner, Windows amd64 and macOS arm64. */
export const DEFAULT_PLATFORMS = ['linux-x86_64', 'windows-amd64', 'macos-arm64'];

/** The newest glibc of a GitHub-hosted Ubuntu runner (24.04) and the newest macOS major version. */
const GLIBC_MINOR = 39;
const MACOS_MAJOR = 26;

function manylinux(arch: string): string[] {
  const legacy: Record<number, string> = { 17: 'manylinux2014', 12: 'manylinux2010', 5: 'manylinux1' };
  const tags: string[] = [];
  // x86_64 and i686 go down to glibc 2.5 (manylinux1); other architectures start at 2.17.
  const lowest = arch === 'x86_64' || arch === 'i686' ? 5 : 17;
  for (let minor = GLIBC_MINOR; minor >= lowest; minor--) {
    tags.push(`manylinux_2_${minor}_${arch}`);
    if (legacy[minor]) tags.push(`${legacy[minor]}_${arch}`);
  }
  return tags;
}

function musllinux(arch: string): string[] {
  const tags: string[] = [];
  for (let minor = 2; minor >= 1; minor--) tags.push(`musllinux_1_${minor}_${arch}`);
  return tags;
}

function macos(arch: 'arm64' | 'x86_64'): string[] {
  const tags: string[] = [];
  const formats = (major: number, minor: number) =>
    arch === 'arm64'
      ? ['arm64', 'universal2']
      : major === 10 && minor < 4
        ? []
        : ['x86_64', 'intel', 'fat64', 'fat32', 'universal2', 'universal'];
  for (let major = MACOS_MAJOR; major > 10; major--) {
    for (const format of formats(major, 0)) tags.push(`macosx_${major}_0_${format}`);
  }
  for (let minor = 16; minor > 3; minor--) {
    if (arch === 'arm64') tags.push(`macosx_10_${minor}_universal2`);
    else for (const format of formats(10, minor)) tags.push(`macosx_10_${minor}_${format}`);
  }
  return tags;
}

/** The two Linux orders (TargetPlatform.orders): the portable tags before the native linux_<arch> tag, and after. */
function linuxOrders(portable: string[], arch: string): string[][] {
  const native = `linux_${arch}`;
  return [
    [...portable, native],
    [native, ...portable],
  ];
}

const PLATFORMS: Record<string, () => string[][]> = {
  'linux-x86_64': () => linuxOrders(manylinux('x86_64'), 'x86_64'),
  'linux-aarch64': () => linuxOrders(manylinux('aarch64'), 'aarch64'),
  'musllinux-x86_64': () => linuxOrders(musllinux('x86_64'), 'x86_64'),
  'musllinux-aarch64': () => linuxOrders(musllinux('aarch64'), 'aarch64'),
  'windows-amd64': () => [['win_amd64']],
  'windows-x86': () => [['win32']],
  'windows-arm64': () => [['win_arm64']],
  'macos-arm64': () => [macos('arm64')],
  'macos-x86_64': () => [macos('x86_64')],
};

export const KNOWN_PLATFORMS = Object.keys(PLATFORMS);

/** The target for a platform id (see KNOWN_PLATFORMS); throws on an unknown id. */
export function targetPlatform(id: string): TargetPlatform {
  const make = PLATFORMS[id];
  if (!make) throw new Error(`unknown platform "${id}" (known: ${KNOWN_PLATFORMS.join(', ')})`);
  return { id, orders: make() };
}

/** CPython 3.<minor>'s supported tags on these platforms, best first (packaging.tags.sys_tags order). */
export function cpythonTags(minor: number, platforms: string[]): string[] {
  const cp = `cp3${minor}`;
  const tags: string[] = [];
  for (const p of platforms) tags.push(`${cp}-${cp}-${p}`);
  for (const p of platforms) tags.push(`${cp}-abi3-${p}`);
  for (const p of platforms) tags.push(`${cp}-none-${p}`);
  for (let older = minor - 1; older >= 2; older--)
    for (const p of platforms) tags.push(`cp3${older}-abi3-${p}`);
  const pys = [`py3${minor}`, 'py3', ...Array.from({ length: minor }, (_, i) => `py3${minor - 1 - i}`)];
  for (const py of pys) for (const p of platforms) tags.push(`${py}-none-${p}`);
  tags.push(`${cp}-none-any`);
  for (const py of pys) tags.push(`${py}-none-any`);
  return tags;
}

/** Most tags one wheel name may expand to before the gate stops ranking it (real wheels name a few). */
export const MAX_WHEEL_TAGS = 256;

/**
 * The tags a wheel filename declares (compressed tag sets expanded); null when it is not a wheel name,
 * 'too-many' past MAX_WHEEL_TAGS (pip would still read it, so the caller analyses it wherever it might fit).
 */
export function wheelTags(filename: string): string[] | null | 'too-many' {
  if (!filename.toLowerCase().endsWith('.whl')) return null;
  const parts = filename.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) return null;
  const [pythons, abis, platforms] = parts.slice(-3).map((p) => p.toLowerCase().split('.')) as [
    string[],
    string[],
    string[],
  ];
  // A hostile name could declare millions of combinations: never expand them.
  if (pythons.length * abis.length * platforms.length > MAX_WHEEL_TAGS) return 'too-many';
  const tags: string[] = [];
  for (const py of pythons) for (const abi of abis) for (const p of platforms) tags.push(`${py}-${abi}-${p}`);
  return tags;
}

/** The wheel's build tag (PEP 427: a number then an optional string), for pip's tie-break; null when absent. */
export function buildTag(filename: string): [number, string] | null {
  const parts = filename.slice(0, -4).split('-');
  if (parts.length !== 6) return null;
  const match = /^(\d+)(.*)$/.exec(parts[2] ?? '');
  return match ? [Number(match[1]), match[2] ?? ''] : null;
}
