/** A temporary file of ingest's own, filled from a stream, removed by `cleanup()` (or at once when filling fails). */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface TempFile { path: string; cleanup(): Promise<void> }

/**
 * Streams `source` through the optional `through` transform into a new file in its own temporary folder (never
 * whole in memory). On any error the folder is removed before the error is rethrown.
 */
export async function streamToTempFile(prefix: string, source: AsyncIterable<Uint8Array> | Readable, through?: Transform): Promise<TempFile> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, 'file');
  try {
    const input = source instanceof Readable ? source : Readable.from(source);
    await (through ? pipeline(input, through, createWriteStream(path)) : pipeline(input, createWriteStream(path)));
    return { path, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
