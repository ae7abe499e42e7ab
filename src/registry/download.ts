// Downloads of index files: from the content-addressed cache when the index states the sha256, else over
// HTTP with only the file's own index's credentials; either way checked against every stated hash before
// the bytes are handed on (or cached).
import type { Artifact, OrFinding, PackageRef } from '../types.js';
import type { ArtifactCache } from './cache.js';
import { found, RegistryError } from './errors.js';
import { type HttpSettings, httpGet } from './http.js';
import { maskUrl, type SecretList } from './mask.js';
import type { RegistryFile } from './types.js';
import { verifyBytes } from './verify.js';

export interface DownloadSettings {
  http: HttpSettings;
  userAgent: string;
  maxArtifactBytes: number;
  cache?: ArtifactCache;
  secrets: SecretList;
  /** The file's URL without userinfo, and the credentials it may be sent (see trusted.ts). */
  request: (file: RegistryFile) => { url: string; authorization?: string };
}

export function downloader(
  settings: DownloadSettings,
): (file: RegistryFile, ref: PackageRef) => Promise<OrFinding<Artifact>> {
  const { cache, secrets } = settings;

  async function fetchBytes(file: RegistryFile): Promise<Uint8Array> {
    const { url, authorization } = settings.request(file);
    const headers: Record<string, string> = { 'user-agent': settings.userAgent };
    if (authorization) headers.authorization = authorization;
    const answer = await httpGet(
      { url, headers, maxBytes: settings.maxArtifactBytes, limitName: 'max-artifact-mb' },
      settings.http,
    );
    if (answer.status === 404 || answer.status === 410) {
      throw new RegistryError(
        secrets.mask(`${file.filename}: listed by the index but not served (HTTP ${answer.status})`),
      );
    }
    return answer.body;
  }

  return async (file, ref) => {
    const stated = file.hashes.sha256?.toLowerCase();
    const cached = stated && cache ? await cache.get(stated) : undefined;
    const bytes = cached ?? (await fetchBytes(file));
    const verified = verifyBytes(bytes, file, ref);
    if (!verified.ok) return verified;
    const sha256 = verified.value;
    if (cache && cached === undefined) await cache.put(sha256, bytes);
    return found({
      ref,
      filename: file.filename,
      kind: file.kind,
      url: secrets.mask(maskUrl(file.url)),
      sha256,
      bytes,
      ...(file.uploadTime ? { uploadTime: file.uploadTime } : {}),
    });
  };
}
