/**
 * Fixed-width layout of the KTB bulk-payment file (ktb-formats.md §1). Offsets are 0-based
 * `[start, end)` in characters of the decoded text; the doc's 1-based inclusive `p–q` is `[p-1, q)`.
 * The parser and the renderer share this table; the hand-written fixture test checks it against the doc.
 */

/** Every header and detail line is this many characters (before CRLF). */
export const KTB_BULK_LINE_LENGTH = 498;

/** Header record `101`. */
export const KTB_BULK_HEADER = {
  recordType: [0, 3],
  batchNo: [3, 9],
  senderBankCode: [9, 12],
  detailCount: [12, 19],
  totalSatang: [19, 38],
  effectiveDate: [38, 46],
  transactionCode: [46, 47],
  receiverNo: [47, 55],
  companyId: [55, 71],
  userId: [71, 91],
  filler: [91, 498],
} as const;

/** Detail record `102`. */
export const KTB_BULK_DETAIL = {
  recordType: [0, 3],
  batchNo: [3, 9],
  payeeBankCode: [9, 12],
  payeeBranch: [12, 16],
  payeeAccount: [16, 27],
  senderBankCode: [27, 30],
  senderBranch: [30, 34],
  senderAccount: [34, 45],
  effectiveDate: [45, 53],
  serviceType: [53, 55],
  clearingHouse: [55, 57],
  amountSatang: [57, 74],
  receiverInfo: [74, 82],
  receiverId: [82, 92],
  payeeName: [92, 192],
  senderName: [192, 292],
  otherInfo1: [292, 332],
  ddaRef1: [332, 350],
  reserved1: [350, 352],
  refNo: [352, 370],
  reserved2: [370, 372],
  otherInfo2: [372, 392],
  referenceNo: [392, 398],
  status: [398, 400],
  payeeEmail: [400, 440],
  payeeMobile: [440, 460],
  subBranch: [460, 464],
  filler: [464, 498],
} as const;

/** A field of a layout: its `[start, end)` offsets. */
export type KtbBulkField = readonly [number, number];

/** Record type prefixes. */
export const KTB_BULK_RECORD_TYPE = { header: '101', detail: '102' } as const;
