// The real engine for the action and CLI. The registry client, archive reader, feature extractor and
// model are being built in parallel; until they land, every package fails with this message (an error
// value per package, so the run fails visibly rather than passing green).
import type { StageFactory } from './run.js';

const PENDING = 'scanning engine not wired yet (registry/archive/features/model stages pending)';

export const createStages: StageFactory = async () => ({
  stages: {
    resolve: async () => {
      throw new Error(PENDING);
    },
    download: async () => {
      throw new Error(PENDING);
    },
    readArchive: () => {
      throw new Error(PENDING);
    },
    extractFeatures: () => {
      throw new Error(PENDING);
    },
  },
  thresholds: { malicious: 0.8, suspicious: 0.5 },
});
