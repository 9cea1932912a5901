/** The one file part of a small multipart form (a case attachment): its name, declared type and bytes, binary-safe. */

/** The boundary of a `multipart/form-data` content type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]!).trim() : null;
}

/** The part named `name` that carries a file (`filename=`), or null when there is none. */
export function multipartFile(body: Buffer, boundary: string, name: string): { fileName: string; contentType: string; bytes: Buffer } | null {
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length + 2; // CRLF after the delimiter
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start, next - 2); // CRLF before the next delimiter
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd !== -1) {
      // Browsers send the file name as UTF-8 bytes in the header.
      const head = part.subarray(0, headEnd).toString('utf8');
      const disp = /content-disposition:[^\r\n]*\bname="([^"]*)"(?:[^\r\n]*\bfilename="([^"]*)")?/i.exec(head);
      if (disp && disp[1] === name && disp[2] !== undefined) {
        const type = /content-type:\s*([^\r\n;]+)/i.exec(head)?.[1]?.trim() ?? 'application/octet-stream';
        return { fileName: disp[2], contentType: type, bytes: part.subarray(headEnd + 4) };
      }
    }
    at = next;
  }
  return null;
}
