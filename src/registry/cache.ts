// A content-addressed cache of downloaded archives: <dir>/sha256/<ab>/<sha256>. The archive bytes are
// stored as downloaded (never extracted), and a read is trusted only after its sha256 is checked again,
// so a corrupted or tampered cache costs a download, never a wrong verdict. Failures are notices, not errors.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ArtifactCache {
  get(sha256: string): Promise<Uint8Array | undefined>;
  put(sha256: string, bytes: Uint8Array): Promise<void>;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function createArtifactCache(dir: string, onNotice: (message: string) => void): ArtifactCache {
  const pathOf = (sha: string) => join(dir, 'sha256', sha.slice(0, 2), sha);
  return {
    async get(sha256) {
      const sha = sha256.toLowerCase();
      if (!HEX64.test(sha)) return undefined;
      let bytes: Buffer;
      try {
        bytes = await readFile(pathOf(sha));
      } catch {
        return undefined;
      }
      if (createHash('sha256').update(bytes).digest('hex') === sha) return new Uint8Array(bytes);
      onNotice(`artifact cache: ${sha} did not match its name; removed and downloading again`);
      await rm(pathOf(sha), { force: true }).catch(() => {});
      return undefined;
    },
    async put(sha256, bytes) {
      const sha = sha256.toLowerCase();
      if (!HEX64.test(sha)) return;
      const target = pathOf(sha);
      // Write then rename, so a concurrent reader never sees half a file.
      const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await mkdir(join(dir, 'sha256', sha.slice(0, 2)), { recursive: true });
        await writeFile(temp, bytes);
        await rename(temp, target);
      } catch (err) {
        await rm(temp, { force: true }).catch(() => {});
        onNotice(`artifact cache: cannot write ${sha}: ${(err as Error).message}`);
      }
    },
  };
}
