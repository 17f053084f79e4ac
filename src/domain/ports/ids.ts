/**
 * New document ids: 24 hex characters laid out like a MongoDB ObjectId (4 bytes of seconds, 5
 * random bytes, a 3-byte counter), so ids still sort by creation time and read like the driver's,
 * without the domain depending on the driver.
 */
import { randomBytes } from 'node:crypto';

const processRandom = randomBytes(5);
let counter = randomBytes(3).readUIntBE(0, 3);

export function newId(now: number = Date.now()): string {
  const b = Buffer.alloc(12);
  b.writeUInt32BE(Math.floor(now / 1000) >>> 0, 0);
  processRandom.copy(b, 4);
  counter = (counter + 1) % 0xffffff;
  b.writeUIntBE(counter, 9, 3);
  return b.toString('hex');
}
