/** Builds a multipart/form-data body with one file, for `app.inject` (fastify's in-memory requests). */
import { randomBytes } from 'node:crypto';

export function multipartFile(fileName: string, bytes: Uint8Array, field = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----paywatch${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
