import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../src/index.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { lines, log: createLogger({ service: 'test' }, stream) };
}

describe('logger', () => {
  it('when a log object carries accounts and citizen IDs, then only their last four digits are written', () => {
    const { lines, log } = capture();
    log.info({ record: { payeeAccount: '1234567890', payeeId: '1101700203451', payeeName: 'นายสมชาย' } }, 'row');
    const out = lines.join('');
    expect(out).not.toContain('1234567890');
    expect(out).not.toContain('1101700203451');
    expect(out).toContain('******7890');
    expect(out).toContain('นายสมชาย');
  });
  it('when an account number appears inside a message or free text, then it is masked too', () => {
    const { lines, log } = capture();
    log.warn({ note: 'transfer to 123-4-56789-0 failed' }, 'paid 9876543210 twice');
    const out = lines.join('');
    expect(out).not.toMatch(/9876543210|123-4-56789-0/);
    expect(out).toContain('******3210');
  });
  it('when a secret is logged, then it is redacted', () => {
    const { lines, log } = capture();
    log.info({ headers: { authorization: 'Bearer abc.def' } }, 'req');
    expect(lines.join('')).not.toContain('abc.def');
  });
  it('when small numbers are logged, then they are left alone', () => {
    const { lines, log } = capture();
    log.info({ rows: 123456 }, 'batch parsed');
    expect(JSON.parse(lines[0]!).rows).toBe(123456);
  });
  it('when a JWT appears in a URL, a field or the message, then it is replaced by [jwt] wherever it is', () => {
    const { lines, log } = capture();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhdWRpdG9yLTY2In0.c2lnbmF0dXJl';
    log.warn({ url: `/v1/alerts?token=${jwt}`, nested: { list: [jwt] } }, `Route GET:/?token=${jwt} not found`);
    const out = lines.join('');
    expect(out).not.toMatch(/eyJ[\w-]*\.eyJ/);
    expect(out.match(/\[jwt\]/g)).toHaveLength(3);
  });
});
