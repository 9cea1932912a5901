/** The harder world's model: parties, LAOs and their habits, transfers grouped into runs, vouchers, events. */
import type { LaoRegistryEntry } from '@paywatch/domain';
import type { TextEncoding } from '@paywatch/ktb-formats';
import type { BusinessName } from './thai-names.ts';
import type { Province } from './thai-places.ts';

/** Someone an LAO pays: the name is the party's own, however each file spells it. */
export interface Party {
  /** Unique in the world: the identity the labels reason with (one party, one name, whatever the spelling). */
  key: string;
  name: BusinessName;
  bank: string;
  /** As the bank issues it (12 digits at GSB/BAAC, 14 at TISCO/KKP); bulk files shorten it. */
  account: string;
  id: string | null;
}

export type LaoType = LaoRegistryEntry['type'];
export type VendorCategory = 'fuel' | 'office' | 'materials' | 'contractor' | 'milk' | 'it' | 'repair' | 'catering' | 'waste' | 'printing' | 'hired' | 'casual';

export interface Vendor extends Party {
  category: VendorCategory;
  /** The vendor's own typical amount, baht. */
  medianBaht: number;
  /** Log-sd of its amounts (0: the same amount every time, e.g. a monthly service contract). */
  sigma: number;
  perYear: number;
  /** Paid on a rhythm (a fuel station every week or two, a hired worker monthly) rather than now and then. */
  regular: boolean;
  /** Withholding tax deducted from what is transferred (0, 1 % or 3 %). */
  withholding: number;
  registeredOn: string;
  /** Shared by several LAOs of the province (a regional supplier, one account). */
  regional?: boolean;
}

export interface Staff extends Party { position: string; salaryBaht: number; startMonth: string; endMonth: string | null }

export interface Beneficiary extends Party {
  allowance: 'elderly' | 'disability' | 'aids';
  monthlyBaht: number;
  /** First month paid (a newcomer's first payment may cover earlier months too: `backpayMonths`). */
  startMonth: string;
  endMonth: string | null;
  backpayMonths: number;
}

/** A utility bill the LAO pays each month (one line per meter or contract). */
export interface UtilityLine { party: Party; serviceType: '10' | '11' | '12'; baseBaht: number; fixed: boolean }

/** How an LAO's finance office works and what it uploads: every LAO differs. */
export interface LaoStyle {
  uploads: 'bulk' | 'bulk+report' | 'report';
  reportXlsx: boolean;
  report: { encoding: TextEncoding; delimiter: ',' | ';' | '\t'; thaiHeaders: boolean; beYears: boolean; splitDateTime: boolean; preamble: boolean };
  bulk: { encoding: TextEncoding; eol: '\r\n' | '\n'; trimTrailing: boolean; beYears: boolean };
  welfareServiceType: '59' | '01';
  /** Which wording the LAO uses in allowance remarks (index into the remark styles; some write none). */
  welfareRemark: number;
  salaryRemark: number;
  vendorRemark: number;
  writesIdsOnAllowances: boolean;
  /** Writes the voucher (ฎีกา) number on one-off lines; recurring runs always carry the run's voucher. */
  writesVoucherRefs: boolean;
  voucherFormat: number;
  /** Direct service types for KTB payees (02 salary, 14 purchases) or the standard ones for everybody. */
  directServiceTypes: boolean;
  nameVariant: number;
  personVariant: 0 | 1;
  makers: string[];
  authorizers: string[];
  salaryDay: number;
  allowanceDay: number;
  utilityDay: number;
  vendorRuns: number;
  /** Which reference lists the LAO keeps and exports. */
  lists: { payees: boolean; staff: boolean; vouchers: boolean; beneficiaries: boolean };
  referenceFile: { xlsx: boolean; thaiHeaders: boolean; thaiDates: boolean; encoding: TextEncoding; laoColumn: boolean; indexColumn: boolean; nameVariant: number };
}

export interface Lao {
  idx: number;
  entry: LaoRegistryEntry;
  type: LaoType;
  province: Province;
  district: string;
  /** Relative size (a small SAO ≈ 1): drives staff, beneficiaries, suppliers and runs. */
  size: number;
  style: LaoStyle;
  staff: Staff[];
  vendors: Vendor[];
  beneficiaries: Beneficiary[];
  utilities: UtilityLine[];
  /** Registered long ago and not paid in the months the world covers, or cancelled. */
  dormant: Vendor[];
  /** Flat reference files for the whole province (the province office merged them) instead of one folder per LAO. */
  flatReference: boolean;
}

export type TransferKind = 'salary' | 'allowance' | 'utility' | 'vendor' | 'hired' | 'event';

/** One transfer (a bulk line, its report line, or both: one payment however many files show it). */
export interface Transfer {
  seq: number;
  lao: number;
  month: number;
  date: string;
  kind: TransferKind;
  /** Party whose name the line carries, party whose account it goes to (they differ in a swap). */
  nameOf: Party;
  accountOf: Party;
  /** The name as this line writes it. */
  payeeName: string;
  /** Citizen / tax ID as written on the line (may be one with a bad check digit). */
  payeeId: string | null;
  serviceType: string;
  amountSatang: number;
  voucherNo: string | null;
  /** The approved voucher row written for this transfer, if any. */
  voucher: VoucherRow | null;
  remark: string | null;
  status: 'success' | 'failed';
  /** Bangkok wall-clock execution (reports), and approval. */
  exec: { date: string; hh: number; mm: number; ss: number; maker: string; authorizer: string; approvedMinutesBefore: number };
  /** Is it one of the LAO's recurring payments (salary, allowance, utility) in the typologies' sense. */
  recurring: boolean;
  /** Beneficiary paid (allowances). */
  beneficiary?: Beneficiary;
  run: Run;
  /** Event ids this transfer belongs to (filled by injection and derivation). */
  events: string[];
  tolerated: string[];
  rows: { file: string; row: number }[];
}

export interface Run {
  lao: number;
  month: number;
  date: string;
  kind: 'salary' | 'allowance' | 'utility' | 'vendor' | 'retry' | 'extra';
  transfers: Transfer[];
  /** Header count/total written differently from the details (a padded or altered batch). */
  header?: { countDelta: number; totalDeltaSatang: number };
  maker: string;
  file?: string;
}

/** An approved voucher row of e-LAAS (one per payee of a voucher: payroll and allowance runs share one number). */
export interface VoucherRow {
  lao: number;
  no: string;
  date: string;
  payeeName: string;
  /** The party the voucher names (its spelling may differ from the payment's). */
  payeeKey: string;
  bank: string | null;
  account: string | null;
  amountSatang: number;
  budgetItem: string;
  /** A malformed row the reader must refuse (its payment then has no readable voucher). */
  defect?: 'bad-date' | 'bad-amount';
}

/** An event: what happened, which transfers show it, and which rule of typologies.md must find it. */
export interface WorldEvent {
  id: string;
  typology: string;
  case: string;
  lao: number;
  month: number;
  transfers: Transfer[];
  note: string;
  period?: string;
  periodOnly?: true;
  /** A batch event: its file's header line is part of it. */
  batchRun?: Run;
  /** Spec-mandated but not wrong in the world: an alert on it is not false, missing it is not a miss. */
  tolerated?: true;
}
