// File features: what the archive holds, by kind. Only what the package ships counts, never how the archive
// was built: entry order, timestamps, WHEEL/RECORD contents, PKG-INFO presence and folders such as .github/
// or debian/ tell an upload from a repackaged tarball and are kept out on purpose.
import { TEST_OR_DOC_DIR_NAMES } from '../archive/names.js';
import type { ArchiveEntry } from '../types.js';

const SCRIPT = /\.(sh|bash|bat|cmd|ps1|psm1|vbs|vbe|js|jse|wsf|hta)$/i;
const WINDOWS_BINARY_EXT = /\.(exe|dll|scr|com|msi|sys|cpl)$/i;
const NESTED_ARCHIVE = /\.(zip|rar|7z|tar|tgz|gz|bz2|xz|whl|egg|jar|apk|cab)$/i;
const METADATA_DIR = /(^|\/)[^/]+\.(dist-info|egg-info)\//;

// Tests, docs, examples, CI and packaging folders: upstream tarballs carry them and many uploads do not,
// so counting them would describe how the archive was made, not what the package installs. The test and
// doc names are archive/names.ts's; 'benchmark', 'debian', 'ci' and hidden folders are added here only
// (adding them there would move code between roles, and the model is trained on these values).
const AUXILIARY_DIR = new RegExp(
  `^(${[...TEST_OR_DOC_DIR_NAMES, 'benchmark', 'debian', 'ci'].join('|')}|\\..+)$`,
  'i',
);

/** True for files under a test, doc, example, CI or hidden folder (not counted in the size features). */
export function isAuxiliary(inner: string): boolean {
  const dirs = inner.split('/').slice(0, -1);
  return dirs.some((d) => AUXILIARY_DIR.test(d));
}

export type BinaryKind = 'elf' | 'pe' | 'macho' | undefined;

/** Executable formats by magic bytes (names lie). */
export function binaryKind(data: Uint8Array | undefined): BinaryKind {
  if (!data || data.length < 4) return undefined;
  const [a, b, c, d] = data as unknown as [number, number, number, number];
  if (a === 0x7f && b === 0x45 && c === 0x4c && d === 0x46) return 'elf';
  if (a === 0x4d && b === 0x5a) return 'pe';
  const magic = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)) return 'macho';
  return undefined;
}

/** The path without the sdist's top folder ("name-1.0/"), for depth and role checks. */
/** Forward slashes, no leading "./": entry names as tar and zip writers differ on them. */
export const cleanPath = (path: string): string => path.replace(/\\/g, '/').replace(/^\.\//, '');

export function innerPath(path: string, sdistRoot: string | undefined): string {
  const clean = cleanPath(path);
  return sdistRoot && clean.startsWith(`${sdistRoot}/`) ? clean.slice(sdistRoot.length + 1) : clean;
}

export class FileStats {
  files = 0;
  bytes = 0;
  pyFiles = 0;
  pyBytes = 0;
  maxPyBytes = 0;
  setupBytes = 0;
  pthFiles = 0;
  scripts = 0;
  binaries = 0;
  binariesOutsideExtensions = 0;
  windowsBinaries = 0;
  nestedArchives = 0;
  hiddenPy = 0;
  links = 0;
  badNames = 0;
  maxDepth = 0;
  textOther = 0;

  add(entry: ArchiveEntry, inner: string, isPython: boolean): void {
    if (entry.nameFlags && entry.nameFlags.length > 0) this.badNames++;
    if (entry.type === 'symlink' || entry.type === 'hardlink' || entry.type === 'device') this.links++;
    if (entry.type !== 'file') return;
    if (METADATA_DIR.test(inner)) return;
    const kind = binaryKind(entry.data);
    if (kind) {
      this.binaries++;
      // Compiled extension modules are normal in wheels; an executable named anything else is not.
      const name = inner.slice(inner.lastIndexOf('/') + 1);
      if (!/\.(so|pyd|dylib)(\.[\d.]+)?$/i.test(name) && !/\.cpython-|\.abi3\./.test(name))
        this.binariesOutsideExtensions++;
      if (kind === 'pe') this.windowsBinaries++;
    }
    if (isAuxiliary(inner)) return;
    this.files++;
    this.bytes += entry.size;
    const depth = inner.split('/').length;
    if (depth > this.maxDepth) this.maxDepth = depth;
    const base = inner.slice(inner.lastIndexOf('/') + 1);
    if (isPython) {
      this.pyFiles++;
      this.pyBytes += entry.size;
      if (entry.size > this.maxPyBytes) this.maxPyBytes = entry.size;
      if (base.startsWith('.')) this.hiddenPy++;
      if (base === 'setup.py' && depth === 1) this.setupBytes += entry.size;
    }
    if (base.endsWith('.pth')) this.pthFiles++;
    if (SCRIPT.test(base)) this.scripts++;
    if (WINDOWS_BINARY_EXT.test(base)) this.windowsBinaries++;
    if (NESTED_ARCHIVE.test(base)) this.nestedArchives++;
  }

  toRecord(): Record<string, number> {
    return {
      'files.count': this.files,
      'files.bytes': this.bytes,
      'files.py_count': this.pyFiles,
      'files.py_bytes': this.pyBytes,
      'files.max_py_bytes': this.maxPyBytes,
      'files.py_share': this.files > 0 ? this.pyFiles / this.files : 0,
      'files.setup_share': this.pyBytes > 0 ? this.setupBytes / this.pyBytes : 0,
      'files.single_module': this.pyFiles > 0 && this.pyFiles - (this.setupBytes > 0 ? 1 : 0) <= 1 ? 1 : 0,
      'files.pth': this.pthFiles,
      'files.scripts': this.scripts,
      'files.binaries': this.binaries,
      'files.binaries_not_extension': this.binariesOutsideExtensions,
      'files.windows_binaries': this.windowsBinaries,
      'files.nested_archives': this.nestedArchives,
      'files.hidden_py': this.hiddenPy,
      'files.links': this.links,
      'files.bad_names': this.badNames,
      'files.max_depth': this.maxDepth,
    };
  }
}
