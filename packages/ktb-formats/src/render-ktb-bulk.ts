/** Writes KTB bulk-payment files: for tests, demo data and benchmarks. */
import { BE_OFFSET, normaliseAccount } from '@paywatch/domain';
import { encodeText, type TextEncoding } from './decode-bytes.ts';
import { KTB_BULK_DETAIL as D, KTB_BULK_HEADER as H, KTB_BULK_LINE_LENGTH, KTB_BULK_RECORD_TYPE, type KtbBulkField } from './ktb-bulk-layout.ts';
import { SENDING_BANK_CODE } from './resolve-lao.ts';

/** The header line (`101`). Count and total default to the details' own. */
export interface KtbBulkHeaderSpec {
  batchNo: string;
  /** Calendar date `YYYY-MM-DD` (CE); written as `DDMMYYYY`. */
  effectiveDate: string;
  companyId: string;
  userId: string;
  detailCount?: number;
  totalSatang?: number;
  senderBankCode?: string;
  transactionCode?: string;
  receiverNo?: string;
}

/** One detail line (`102`). Accounts are given as the bank issues them and shortened like bulk files do. */
export interface KtbBulkDetailSpec {
  payeeBankCode: string;
  payeeAccount: string;
  debitAccount: string;
  /** Calendar date `YYYY-MM-DD` (CE); written as `DDMMYYYY`, BE when the render asks for it. */
  effectiveDate: string;
  serviceType: string;
  amountSatang: number;
  payeeName: string;
  /** 13-digit citizen / tax ID, written into receiver info + receiver ID (pos 75–92). */
  payeeId?: string | null;
  /** Other info 1. */
  remark?: string | null;
  /** Ref no. / DDA ref 2, where the voucher (ฎีกา) number goes. */
  voucherNo?: string | null;
  /** Reference running number. */
  bankReference?: string | null;
  /** Defaults to the header's; set it to write a line from another batch. */
  batchNo?: string;
  payeeBranch?: string;
  senderBankCode?: string;
  senderBranch?: string;
  clearingHouse?: string;
  senderName?: string;
  ddaRef1?: string;
  otherInfo2?: string;
  status?: string;
  payeeEmail?: string;
  payeeMobile?: string;
  subBranch?: string;
}

/** A whole bulk file. */
export interface KtbBulkSpec { header: KtbBulkHeaderSpec; details: readonly KtbBulkDetailSpec[] }

/** How to write the file. `beYears` writes Buddhist-era years; `trimTrailing` drops the spaces that end each line. */
export interface RenderKtbBulkOptions { encoding: TextEncoding; eol: '\r\n' | '\n'; trimTrailing?: boolean; beYears?: boolean }

/**
 * Builds one fixed-width line field by field. Fields must come in layout order; a value that does not
 * fit throws, because silently cutting a name or an account would make test data lie.
 */
class LineWriter {
  // Parts joined once at the end: cheaper than growing a string field by field.
  private readonly parts: string[] = [];
  private length = 0;
  constructor(private readonly what: string) {}
  private put(name: string, field: KtbBulkField, value: string, pad: 'left' | 'zeros'): this {
    const from = field[0];
    const width = field[1] - from;
    if (this.length !== from) throw new Error(`${this.what}: field ${name} starts at ${from}, line is ${this.length} long`);
    if (value.length > width) throw new RangeError(`${this.what}: ${name} "${value}" is ${value.length} characters, the field holds ${width}`);
    this.parts.push(pad === 'zeros' ? value.padStart(width, '0') : value.padEnd(width, ' '));
    this.length += width;
    return this;
  }
  text(name: string, field: KtbBulkField, value: string | null | undefined): this {
    return this.put(name, field, value ?? '', 'left');
  }
  digits(name: string, field: KtbBulkField, value: string): this {
    return this.put(name, field, value, 'zeros');
  }
  satang(name: string, field: KtbBulkField, value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${this.what}: ${name} must be a non-negative integer of satang, got ${value}`);
    return this.put(name, field, String(value), 'zeros');
  }
  done(): string {
    if (this.length !== KTB_BULK_LINE_LENGTH) throw new Error(`${this.what}: line is ${this.length} characters, not ${KTB_BULK_LINE_LENGTH}`);
    return this.parts.join('');
  }
}

/** `YYYY-MM-DD` → `DDMMYYYY`, CE or BE. Does not check the day exists, so tests can write 31/02. */
function ddmmyyyy(date: string, beYears: boolean): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`date must be YYYY-MM-DD, got "${date}"`);
  const year = beYears ? Number(m[1]) + BE_OFFSET : Number(m[1]);
  return `${m[3]}${m[2]}${String(year).padStart(4, '0')}`;
}

function headerLine(h: KtbBulkHeaderSpec, details: readonly KtbBulkDetailSpec[], beYears: boolean): string {
  let total = 0;
  for (const d of details) total += d.amountSatang;
  return new LineWriter('header')
    .text('recordType', H.recordType, KTB_BULK_RECORD_TYPE.header)
    .text('batchNo', H.batchNo, h.batchNo)
    .digits('senderBankCode', H.senderBankCode, h.senderBankCode ?? SENDING_BANK_CODE)
    .digits('detailCount', H.detailCount, String(h.detailCount ?? details.length))
    .satang('totalSatang', H.totalSatang, h.totalSatang ?? total)
    .text('effectiveDate', H.effectiveDate, ddmmyyyy(h.effectiveDate, beYears))
    .text('transactionCode', H.transactionCode, h.transactionCode ?? 'C')
    .text('receiverNo', H.receiverNo, h.receiverNo)
    .text('companyId', H.companyId, h.companyId)
    .text('userId', H.userId, h.userId)
    .text('filler', H.filler, '')
    .done();
}

function detailLine(d: KtbBulkDetailSpec, batchNo: string, beYears: boolean, index: number): string {
  return new LineWriter(`detail ${index + 1}`)
    .text('recordType', D.recordType, KTB_BULK_RECORD_TYPE.detail)
    .text('batchNo', D.batchNo, d.batchNo ?? batchNo)
    .text('payeeBankCode', D.payeeBankCode, d.payeeBankCode)
    .digits('payeeBranch', D.payeeBranch, d.payeeBranch ?? '')
    .digits('payeeAccount', D.payeeAccount, normaliseAccount(d.payeeBankCode, d.payeeAccount))
    .digits('senderBankCode', D.senderBankCode, d.senderBankCode ?? SENDING_BANK_CODE)
    .digits('senderBranch', D.senderBranch, d.senderBranch ?? '')
    .digits('senderAccount', D.senderAccount, normaliseAccount(SENDING_BANK_CODE, d.debitAccount))
    .text('effectiveDate', D.effectiveDate, ddmmyyyy(d.effectiveDate, beYears))
    .text('serviceType', D.serviceType, d.serviceType)
    .digits('clearingHouse', D.clearingHouse, d.clearingHouse ?? '')
    .satang('amountSatang', D.amountSatang, d.amountSatang)
    .text('receiverInfo+receiverId', [D.receiverInfo[0], D.receiverId[1]], d.payeeId)
    .text('payeeName', D.payeeName, d.payeeName)
    .text('senderName', D.senderName, d.senderName)
    .text('otherInfo1', D.otherInfo1, d.remark)
    .text('ddaRef1', D.ddaRef1, d.ddaRef1)
    .text('reserved1', D.reserved1, '')
    .text('refNo', D.refNo, d.voucherNo)
    .text('reserved2', D.reserved2, '')
    .text('otherInfo2', D.otherInfo2, d.otherInfo2)
    .text('referenceNo', D.referenceNo, d.bankReference)
    .text('status', D.status, d.status)
    .text('payeeEmail', D.payeeEmail, d.payeeEmail)
    .text('payeeMobile', D.payeeMobile, d.payeeMobile)
    .text('subBranch', D.subBranch, d.subBranch)
    .text('filler', D.filler, '')
    .done();
}

const TRAILING_SPACES = / +$/;

/** The file as text (before encoding): header, details, and a line end after every line. */
export function renderKtbBulkText(spec: KtbBulkSpec, options: Omit<RenderKtbBulkOptions, 'encoding'>): string {
  const beYears = options.beYears ?? false;
  const lines: string[] = [headerLine(spec.header, spec.details, beYears)];
  for (let i = 0; i < spec.details.length; i++) lines.push(detailLine(spec.details[i]!, spec.header.batchNo, beYears, i));
  if (options.trimTrailing) for (let i = 0; i < lines.length; i++) lines[i] = lines[i]!.replace(TRAILING_SPACES, '');
  // One join, not += per line: a 200k-line file would otherwise be a deep rope that every later
  // charCodeAt (the encoder's) has to walk.
  return lines.join(options.eol) + options.eol;
}

/** The file as bytes in the requested encoding. Throws on a value that does not fit its field. */
export function renderKtbBulk(spec: KtbBulkSpec, options: RenderKtbBulkOptions): Uint8Array {
  return encodeText(renderKtbBulkText(spec, options), options.encoding);
}
