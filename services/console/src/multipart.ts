/**
 * Reading small text fields out of a raw multipart body. Uploads are forwarded to ingest byte for byte, so the
 * console never parses the file part; the fields it needs (CSRF token, list kind, LAO) come before the file in the
 * form, so the first few kilobytes are enough.
 */

/** Fields are looked for in this many leading bytes: the form puts them before the file part. */
const HEAD_BYTES = 8192;

/** The value of a short text field of a multipart body (`undefined` when absent or longer than 200 characters). */
export function multipartField(body: Buffer, name: string): string | undefined {
  if (!/^[a-z_]{1,40}$/i.test(name)) throw new Error(`not a field name: ${name}`);
  const head = body.subarray(0, HEAD_BYTES).toString('latin1');
  return new RegExp(`name="${name}"\\r\\n\\r\\n([^\\r\\n]{1,200})\\r\\n`).exec(head)?.[1];
}
