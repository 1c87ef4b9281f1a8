import type { KeyRingData } from '../key-ring/key-ring.data.js';

const bytes = (from: number): string =>
  Buffer.from(Array.from({ length: 32 }, (_, i) => from + i)).toString('base64');

/** Fixed test key ring: version 1 = bytes 0x00..0x1f, version 2 = bytes 0x20..0x3f; current 1. Tests only. */
export const TEST_KEY_RING_DATA: KeyRingData = {
  format: 1,
  current: 1,
  versions: { '1': bytes(0x00), '2': bytes(0x20) },
};
