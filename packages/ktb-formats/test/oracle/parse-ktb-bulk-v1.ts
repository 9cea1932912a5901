// ORACLE: a verbatim copy of src/parse-ktb-bulk.ts as of d00af7d (before the parse-at-the-floor work), kept so
// test/bulk-parse-equality.test.ts can hold the fast parser to exactly its records, rejects and manifests. Do not optimise.
/** Parser of the KTB bulk-payment file (`ktb-bulk`): a header line, then one event per detail line. */
import {
  addDays,
  bankByCode,
  normaliseAccount,
  normaliseThaiId,
  parseDdMmYyyyCompact,
  parseSatangDigits,
  thaiDigitsToAscii,
  type Bilingual,
  type HeaderCheck,
  type PaymentRecord,
} from '@paywatch/domain';
import type { TextEncoding } from '../../src/decode-bytes.ts';
import { cleanField, isDigitsField, thaiIdField, thaiIdInText, trimmedField } from './fixed-width-v1.ts';
import { KTB_BULK_DETAIL as D, KTB_BULK_HEADER as H, KTB_BULK_LINE_LENGTH } from '../../src/ktb-bulk-layout.ts';
import { isBlankRange } from '../../src/line-cursor.ts';
import { asTextSource, linesFrom, type TextSource } from '../../src/text-source.ts';
import { refusedManifest, shownRaw, type ParseContext, type ParseEvent } from '../../src/parse-event.ts';
import { refusal, type Refusal } from '../../src/refusal-codes.ts';
import { REJECT_CODES, rejectMessage, type RejectCode } from '../../src/reject-codes.ts';
import { SENDING_BANK_CODE, bulkSendingAccounts, resolveLao } from '../../src/resolve-lao.ts';
import { SERVICE_TYPE_CODES } from '../../src/service-types.ts';
import { contentRefusal } from '../../src/sniff-content.ts';
import { sniffKtbBulk, type KtbBulkStart } from '../../src/sniff-ktb-bulk.ts';

/** How people recognise a KTB bulk file; named in every refusal. */
export const KTB_BULK_EXPECTED: Bilingual = {
  th: 'แฟ้มจ่ายเงินแบบกลุ่มของ KTB Corporate Online (บรรทัดละ 498 ตัวอักษร บรรทัดแรกขึ้นต้นด้วย 101 บรรทัดรายการขึ้นต้นด้วย 102)',
  en: 'a KTB Corporate Online bulk-payment file (498-character lines: a header starting 101, then payment lines starting 102)',
};

/** Default of {@link ParseContext.maxFutureDays}. */
export const DEFAULT_MAX_FUTURE_DAYS = 400;

// Effective dates outside these CE years are typing errors, not payments (the domain parser takes any year).
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

const PADDING = ' '.repeat(KTB_BULK_LINE_LENGTH);
/** Trimmed lines get their trailing spaces back, so every field can be sliced at its offset. */
const padLine = (line: string): string => (line.length < KTB_BULK_LINE_LENGTH ? line + PADDING.slice(line.length) : line);

/** What the parser needs about a bank, found by the numeric value of its code: no slicing, no hashing per line. */
interface BankInfo {
  code: string;
  short: string;
  /** Most significant digits its accounts have in the 11-digit field (from the domain's own shortening). */
  maxSignificant: number;
  /**
   * True when normaliseAccount of an 11-digit field only drops one leading zero for this bank (true of
   * every bank today); the parser then slices instead of calling it. A property test holds the two equal.
   */
  dropsOneZero: boolean;
}

/** Bank info by numeric code 0–999, built from the domain's bankByCode and normaliseAccount. */
export const BANK_INFO: ReadonlyArray<BankInfo | undefined> = Array.from({ length: 1000 }, (_, n) => {
  const code = String(n).padStart(3, '0');
  const bank = bankByCode(code);
  if (bank === undefined) return undefined;
  return {
    code,
    short: bank.short,
    maxSignificant: Math.max(...bank.accountLengths.map((len) => normaliseAccount(code, '9'.repeat(len)).length)),
    dropsOneZero: normaliseAccount(code, '01234567890') === '1234567890' && normaliseAccount(code, '12345678901') === '12345678901',
  };
});

/** Service type codes by numeric value 0–99, so a line's code is found without slicing it. */
const SERVICE_TYPE_BY_NUMBER: ReadonlyArray<string | undefined> = Array.from({ length: 100 }, (_, n) => {
  const code = String(n).padStart(2, '0');
  return SERVICE_TYPE_CODES.has(code) ? code : undefined;
});

/**
 * True when `s` holds `ref` at `at`. Char reads on the flat text instead of slicing a field out to
 * compare it: no allocation on the lines where nothing changed. An empty `ref` never matches.
 */
function sameChars(s: string, at: number, ref: string): boolean {
  if (ref.length === 0) return false;
  for (let i = 0; i < ref.length; i++) if (s.charCodeAt(at + i) !== ref.charCodeAt(i)) return false;
  return true;
}

/** The number `[from, to)` spells in ASCII digits, or -1. For short code fields. */
function smallNumber(line: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

interface HeaderFields { batchNo: string; declaredCount: number; declaredTotalSatang: number; effectiveDate: string | null; companyId: string | null; makerId: string | null }

function readHeader(line: string): HeaderFields | Refusal {
  const declaredCount = parseSatangDigits(line.slice(H.detailCount[0], H.detailCount[1]));
  if (declaredCount === null) return refusal('PW_ERR_BAD_HEADER', { fieldTh: 'จำนวนรายการ', fieldEn: 'the number of records', positions: '13–19' });
  const declaredTotalSatang = parseSatangDigits(line.slice(H.totalSatang[0], H.totalSatang[1]));
  if (declaredTotalSatang === null) return refusal('PW_ERR_BAD_HEADER', { fieldTh: 'ยอดเงินรวม', fieldEn: 'the total amount', positions: '20–38' });
  return {
    batchNo: line.slice(H.batchNo[0], H.batchNo[1]),
    declaredCount,
    declaredTotalSatang,
    effectiveDate: plausibleDate(line.slice(H.effectiveDate[0], H.effectiveDate[1])),
    companyId: line.slice(H.companyId[0], H.companyId[1]).trim() || null,
    makerId: line.slice(H.userId[0], H.userId[1]).trim() || null,
  };
}

/** The payee's citizen / tax ID: receiver info + receiver ID (pos 75–92), else one inside other info 1 (the remark) or 2. */
function payeeIdOf(s: string, b: number, remark: string | null): string | null {
  return thaiIdField(s, b + D.receiverInfo[0], b + D.receiverId[1]) ?? thaiIdInText(remark) ?? thaiIdInText(trimmedField(s, b + D.otherInfo2[0], b + D.otherInfo2[1]));
}

/**
 * The receiver ID as written: a 13-digit ID (dashes and spaces allowed) written across receiver info + receiver ID
 * (where LAO exports put a citizen or tax ID), whatever its check digit — a bad one is evidence of an invented person — else the 10-character receiver
 * ID field, trimmed; null when blank.
 */
function receiverIdOf(s: string, b: number): string | null {
  const span = trimmedField(s, b + D.receiverInfo[0], b + D.receiverId[1]);
  if (span !== null && normaliseThaiId(span) !== null) return span;
  return trimmedField(s, b + D.receiverId[0], b + D.receiverId[1]);
}

/**
 * Reads detail lines into records. One instance per file; it keeps the few values that repeat from
 * line to line (sending account, date) so each distinct value is parsed once. Methods, not closures:
 * nothing is allocated per line beyond the slices and the record.
 */
class DetailReader {
  /** Sum of accepted amounts, satang. */
  totalSatang = 0;
  /** Offending value and context of the last reject, for its message. */
  rejectValue = '';
  rejectDetail = '';
  // Cached raw values start empty, which never equals a field (sameChars needs a whole field).
  private lastDebitRaw = '';
  private lastDebit = '';
  private lastDateRaw = '';
  private lastDate: string | null = null;
  private readonly batchNo: string;
  private readonly batchNoOrNull: string | null;
  private readonly limitDate: string | null;

  constructor(private readonly header: HeaderFields, private readonly laoCode: string | null, private readonly maxFutureDays: number, today: string | undefined) {
    this.batchNo = header.batchNo;
    this.batchNoOrNull = header.batchNo.trim() || null;
    this.limitDate = today === undefined ? null : addDays(today, maxFutureDays);
  }

  private reject(code: RejectCode, value = '', detail = ''): RejectCode {
    this.rejectValue = value;
    this.rejectDetail = detail;
    return code;
  }

  /**
   * The record of the detail line `text[start, start + length)`, or the code of the first check it
   * fails. A full-length line is read in place from the decoded text (char reads on the flat text
   * are about twice as fast as on a line slice); a trimmed line is padded into its own string first.
   */
  read(text: string, start: number, length: number): PaymentRecord | RejectCode {
    if (length < 3 || text.charCodeAt(start) !== 49 || text.charCodeAt(start + 1) !== 48 || text.charCodeAt(start + 2) !== 50) {
      return this.reject('PW_ROW_RECORD_TYPE', text.slice(start, start + Math.min(3, length)));
    }
    if (length > KTB_BULK_LINE_LENGTH) return this.reject('PW_ROW_LINE_TOO_LONG', String(length));
    let s = text;
    let b = start;
    if (length < KTB_BULK_LINE_LENGTH) {
      s = padLine(text.slice(start, start + length));
      b = 0;
    }
    if (!sameChars(s, b + D.batchNo[0], this.batchNo)) return this.reject('PW_ROW_BATCH_MISMATCH', s.slice(b + D.batchNo[0], b + D.batchNo[1]), this.batchNo);

    const bank = BANK_INFO[smallNumber(s, b + D.payeeBankCode[0], b + D.payeeBankCode[1])];
    if (bank === undefined) return this.reject('PW_ROW_BANK_UNKNOWN', s.slice(b + D.payeeBankCode[0], b + D.payeeBankCode[1]));
    const accFrom = b + D.payeeAccount[0];
    const accTo = b + D.payeeAccount[1];
    if (!isDigitsField(s, accFrom, accTo)) return this.reject('PW_ROW_ACCOUNT_NOT_DIGITS');
    let lead = accFrom;
    while (lead < accTo && s.charCodeAt(lead) === 48) lead++;
    const significant = accTo - lead;
    if (significant === 0 || significant > bank.maxSignificant) return this.reject('PW_ROW_ACCOUNT_LENGTH', `${bank.code} ${bank.short}`, String(bank.maxSignificant));

    if (!isDigitsField(s, b + D.senderAccount[0], b + D.senderAccount[1])) return this.reject('PW_ROW_DEBIT_ACCOUNT_NOT_DIGITS');
    // One file almost always debits one account and has one date: parse each distinct value once.
    if (!sameChars(s, b + D.senderAccount[0], this.lastDebitRaw)) {
      this.lastDebitRaw = s.slice(b + D.senderAccount[0], b + D.senderAccount[1]);
      this.lastDebit = normaliseAccount(SENDING_BANK_CODE, this.lastDebitRaw);
    }

    if (!sameChars(s, b + D.effectiveDate[0], this.lastDateRaw)) {
      this.lastDateRaw = s.slice(b + D.effectiveDate[0], b + D.effectiveDate[1]);
      this.lastDate = plausibleDate(this.lastDateRaw);
    }
    const effectiveDate = this.lastDate;
    if (effectiveDate === null) return this.reject('PW_ROW_DATE_INVALID', this.lastDateRaw);
    // ISO dates compare as strings.
    if (this.limitDate !== null && effectiveDate > this.limitDate) return this.reject('PW_ROW_DATE_TOO_FAR', effectiveDate, String(this.maxFutureDays));

    const serviceType = SERVICE_TYPE_BY_NUMBER[smallNumber(s, b + D.serviceType[0], b + D.serviceType[1])];
    if (serviceType === undefined) return this.reject('PW_ROW_SERVICE_TYPE_UNKNOWN', s.slice(b + D.serviceType[0], b + D.serviceType[1]));

    const amountSatang = this.readAmount(s, b + D.amountSatang[0], b + D.amountSatang[1]);
    if (amountSatang < 0) return this.reject(amountSatang === AMOUNT_TOO_LARGE ? 'PW_ROW_AMOUNT_TOO_LARGE' : 'PW_ROW_AMOUNT_NOT_DIGITS', s.slice(b + D.amountSatang[0], b + D.amountSatang[1]));
    if (amountSatang === 0) return this.reject('PW_ROW_AMOUNT_ZERO');

    const payeeName = cleanField(s, b + D.payeeName[0], b + D.payeeName[1]);
    if (payeeName === '') return this.reject('PW_ROW_PAYEE_NAME_EMPTY');

    this.totalSatang += amountSatang;
    const remark = trimmedField(s, b + D.otherInfo1[0], b + D.otherInfo1[1]);
    return {
      sourceFormat: 'ktb-bulk',
      laoCode: this.laoCode,
      companyId: this.header.companyId,
      debitAccount: this.lastDebit,
      payeeBankCode: bank.code,
      payeeAccount: !bank.dropsOneZero ? normaliseAccount(bank.code, s.slice(accFrom, accTo)) : s.charCodeAt(accFrom) === 48 ? s.slice(accFrom + 1, accTo) : s.slice(accFrom, accTo),
      payeeName,
      payeeId: payeeIdOf(s, b, remark),
      receiverId: receiverIdOf(s, b),
      amountSatang,
      feeSatang: null,
      effectiveDate,
      executedAt: null,
      approvedAt: null,
      serviceType,
      voucherNo: trimmedField(s, b + D.refNo[0], b + D.refNo[1]),
      bankReference: trimmedField(s, b + D.referenceNo[0], b + D.referenceNo[1]),
      batchNo: this.batchNoOrNull,
      makerId: this.header.makerId,
      authorizerId: null,
      status: 'instructed',
      remark,
      extra: {},
    };
  }

  /**
   * Amount in satang, or AMOUNT_NOT_DIGITS / AMOUNT_TOO_LARGE (negative, so the hot path returns a
   * plain number). Plain ASCII digits are summed in place: exact, because a value that stays
   * ≤ MAX_SAFE_INTEGER never rounds and one above it cannot round back below. Anything else (Thai
   * digits, padding spaces) goes through the domain's parseSatangDigits.
   */
  private readAmount(s: string, from: number, to: number): number {
    let n = 0;
    let i = from;
    for (; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
    }
    if (i < to) {
      const raw = s.slice(from, to);
      const parsed = parseSatangDigits(raw);
      if (parsed === null) return /^\d+$/.test(thaiDigitsToAscii(raw).trim()) ? AMOUNT_TOO_LARGE : AMOUNT_NOT_DIGITS;
      n = parsed;
    }
    // The running total must stay exact too: the manifest and the header check add it up.
    return n > Number.MAX_SAFE_INTEGER || n + this.totalSatang > Number.MAX_SAFE_INTEGER ? AMOUNT_TOO_LARGE : n;
  }
}

const AMOUNT_NOT_DIGITS = -1;
const AMOUNT_TOO_LARGE = -2;

/** `DDMMYYYY` (BE or CE) → ISO date, or null when it is not a real date in a plausible year. */
function plausibleDate(raw: string): string | null {
  const iso = parseDdMmYyyyCompact(raw);
  if (iso === null) return null;
  const year = Number(iso.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR ? iso : null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Everything decided before the first detail line: where it starts, the header, the LAO; or why the file is refused. */
function prepare(text: TextSource, ctx: ParseContext): { start: KtbBulkStart; header: HeaderFields; laoCode: string | null } | Refusal {
  const start = sniffKtbBulk(text.head);
  if (start === null) return contentRefusal(text.head, [KTB_BULK_EXPECTED]);
  if ('code' in start) return start;
  const header = readHeader(padLine(start.header));
  if ('code' in header) return header;
  const lao = resolveLao({ companyId: header.companyId, accounts: bulkSendingAccounts(text, start.bodyOffset, start.headerRow) }, ctx.laoCode, ctx.registry ?? [], ctx.unknownLao === 'allow');
  if ('code' in lao) return lao;
  return { start, header, laoCode: lao.laoCode };
}

/**
 * Parses a decoded KTB bulk file (a string, or a TextSource read in chunks: two passes, LAO then rows). Yields a `record` or a `reject` per detail line, in file order,
 * then one `manifest`. The whole file is refused (a manifest with `refusal`, nothing else) when it
 * is not a bulk file, its header is unreadable, its LAO is unknown, or it debits another LAO's account.
 * Blank lines at the end are ignored; blank lines between details are rejected rows. Throws only
 * on a malformed `ctx.today` or `ctx.maxFutureDays` (a programming error), never on content.
 */
export function* parseKtbBulkV1(input: string | TextSource, ctx: ParseContext = {}, encoding: TextEncoding = 'utf-8'): Generator<ParseEvent, void, undefined> {
  const text = asTextSource(input);
  // A bad context is the caller's bug, not the file's: it throws instead of refusing the upload.
  if (ctx.today !== undefined && !ISO_DATE.test(ctx.today)) throw new TypeError(`ctx.today must be YYYY-MM-DD, got ${JSON.stringify(ctx.today)}`);
  const maxFutureDays = ctx.maxFutureDays ?? DEFAULT_MAX_FUTURE_DAYS;
  if (!Number.isSafeInteger(maxFutureDays) || maxFutureDays < 0) throw new TypeError(`ctx.maxFutureDays must be a whole number of days ≥ 0, got ${maxFutureDays}`);
  const prepared = prepare(text, ctx);
  if ('code' in prepared) {
    yield refusedManifest('ktb-bulk', encoding, prepared);
    return;
  }
  const { start, header } = prepared;
  const reader = new DetailReader(header, prepared.laoCode, maxFutureDays, ctx.today);
  let rowsRead = 0;
  let rowsAccepted = 0;
  let rowsRejected = 0;
  // Amounts of rejected lines that are still readable: they belong in the comparison with the header.
  let rejectedReadableSatang = 0;
  // Blank lines are held back until a later non-blank line shows they were not trailing.
  let blanks: string[] | null = null;
  for (const cursor of linesFrom(text, start.bodyOffset, start.headerRow)) {
    const chunk = cursor.text;
    if (isBlankRange(chunk, cursor.start, cursor.end)) {
      (blanks ??= []).push(shownRaw(cursor.line));
      continue;
    }
    if (blanks !== null) {
      const firstRow = cursor.row - blanks.length;
      for (let i = 0; i < blanks.length; i++) {
        rowsRead++;
        rowsRejected++;
        yield { kind: 'reject', row: firstRow + i, field: REJECT_CODES.PW_ROW_BLANK_LINE.field, code: 'PW_ROW_BLANK_LINE', message: rejectMessage('PW_ROW_BLANK_LINE'), raw: blanks[i]! };
      }
      blanks = null;
    }
    rowsRead++;
    const out = reader.read(chunk, cursor.start, cursor.end - cursor.start);
    if (typeof out === 'string') {
      rowsRejected++;
      if (cursor.end - cursor.start >= D.amountSatang[1]) {
        const amount = parseSatangDigits(chunk.slice(cursor.start + D.amountSatang[0], cursor.start + D.amountSatang[1]));
        if (amount !== null && Number.isSafeInteger(rejectedReadableSatang + amount)) rejectedReadableSatang += amount;
      }
      yield { kind: 'reject', row: cursor.row, field: REJECT_CODES[out].field, code: out, message: rejectMessage(out, reader.rejectValue, reader.rejectDetail), raw: shownRaw(cursor.line) };
    } else {
      rowsAccepted++;
      yield { kind: 'record', row: cursor.row, record: out };
    }
  }

  const totalSatang = reader.totalSatang;
  // The header is compared with what the file's detail lines say, good or bad: every line counts, and every
  // readable amount adds up (a line rejected for, say, an unknown bank still carries its amount). Otherwise
  // every file with a rejected row would look padded; the manifest's own `totalSatang` stays accepted-only.
  const detailTotalSatang = Number.isSafeInteger(totalSatang + rejectedReadableSatang) ? totalSatang + rejectedReadableSatang : totalSatang;
  const headerCheck: HeaderCheck = {
    effectiveDate: header.effectiveDate,
    declaredCount: header.declaredCount,
    declaredTotalSatang: header.declaredTotalSatang,
    detailCount: rowsRead,
    detailTotalSatang,
    matches: header.declaredCount === rowsRead && header.declaredTotalSatang === detailTotalSatang,
  };
  yield { kind: 'manifest', format: 'ktb-bulk', encoding, rowsRead, rowsAccepted, rowsRejected, totalSatang, header: headerCheck, refusal: null };
}
