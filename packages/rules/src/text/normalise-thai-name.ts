/**
 * Payee names as one comparable key. The same account is written "นาย สมชาย ใจดี", "สมชาย ใจดี",
 * "นายสมชาย  ใจดี" (with a zero-width space from a PDF) or with the tone mark typed before the
 * vowel: all of those are one name. Different people must still differ, so only decoration goes:
 * titles, legal forms, spacing, punctuation, invisible characters and the order of marks.
 */
import { thaiDigitsToAscii } from '@paywatch/domain';

/** Zero-width and invisible formatting characters copied from Word, PDFs and web pages. */
const INVISIBLE = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD\u034F]/g;
/** White space and the punctuation that abbreviations and legal forms carry (น.ส., Co.,Ltd., (มหาชน)). */
const SPACING_AND_PUNCTUATION = /[\s.,()[\]{}'"`‘’“”\-–—_/\\&+*:;!?]/g;

/**
 * Prefixes removed (after spacing and punctuation are gone, so "น.ส." is "นส"): personal titles
 * and the legal forms that open a business name. Longest first, so "นางสาว" wins over "นาง".
 */
const PREFIXES = [
  'ห้างหุ้นส่วนจำกัด', 'ห้างหุ้นส่วนสามัญ', 'เด็กหญิง', 'เด็กชาย', 'นางสาว', 'บริษัท',
  'บมจ', 'บจก', 'หจก', 'หสน', 'ร้าน', 'นาง', 'นาย', 'นส', 'ดช', 'ดญ',
  'miss', 'mrs', 'mr', 'ms',
].sort((a, b) => b.length - a.length);

/** Suffixes removed: the legal forms that close a business name. Longest first. */
const SUFFIXES = ['publiccompanylimited', 'companylimited', 'จำกัดมหาชน', 'coltd', 'limited', 'จำกัด', 'ltd', 'plc'].sort((a, b) => b.length - a.length);

/**
 * Order of Thai combining marks within one cluster: vowels above and below (and the "short"
 * mark) first, then tone marks, then the others (thanthakhat, nikhahit, yamakkan). Keyboards
 * accept tone-then-vowel; Unicode's canonical order does not reorder these (most have class 0).
 * Below-vowels (class 103) stay before tone marks (class 107), so NFC agrees with this order.
 */
function markRank(c: number): number {
  if (c === 0x0e31 || (c >= 0x0e34 && c <= 0x0e3a) || c === 0x0e47) return 1;
  if (c >= 0x0e48 && c <= 0x0e4b) return 2;
  if (c >= 0x0e4c && c <= 0x0e4e) return 3;
  return 0;
}

/** Sorts every run of Thai combining marks into `markRank` order (stable), dropping a mark typed twice. */
function reorderThaiMarks(text: string): string {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const sorted = [...new Set(run)].sort((a, b) => markRank(a.charCodeAt(0)) - markRank(b.charCodeAt(0)));
    out.push(...sorted);
    run = [];
  };
  for (const ch of text) {
    if (markRank(ch.charCodeAt(0)) > 0) run.push(ch);
    else { flush(); out.push(ch); }
  }
  flush();
  // Nikhahit + sara aa is how "ำ" (sara am) is sometimes typed; after reordering it is adjacent.
  return out.join('').replace(/\u0E4D\u0E32/g, '\u0E33');
}

function stripAffixes(text: string): string {
  let t = text;
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of PREFIXES) {
      // A name that is only a title ("นาย") stays as it is rather than becoming empty.
      if (t.startsWith(p) && t.length > p.length) { t = t.slice(p.length); changed = true; break; }
    }
    for (const s of SUFFIXES) {
      if (t.endsWith(s) && t.length > s.length) { t = t.slice(0, -s.length); changed = true; break; }
    }
  }
  return t;
}

/** Legal forms and shop words that mark a business rather than a person. */
const BUSINESS = /(บริษัท|บจก|บมจ|หจก|หสน|ห้างหุ้นส่วน|ร้าน|จำกัด|สหกรณ์|การไฟฟ้า|การประปา|co\.?,?\s*ltd|company|limited|\bltd\b|\bplc\b)/i;

/** True when the name carries a legal form or shop word (บริษัท, หจก., ร้าน, จำกัด, Co., Ltd., …): a vendor, not a person. */
export function looksLikeBusiness(name: string): boolean {
  // Asked of every payment without a remark, about the same few thousand names: a bounded cache.
  let business = businessNames.get(name);
  if (business === undefined) {
    if (businessNames.size >= NAME_CACHE_SIZE) businessNames.clear();
    businessNames.set(name, (business = BUSINESS.test(name.replace(INVISIBLE, ''))));
  }
  return business;
}
const businessNames = new Map<string, boolean>();

/**
 * The comparable form of a payee name: no invisible characters, spacing or punctuation; Thai
 * digits as ASCII; Latin in lower case; NFC with Thai marks in one order; titles (นาย, นาง,
 * นางสาว, น.ส., ด.ช., ด.ญ., เด็กชาย, เด็กหญิง, Mr, Mrs, Ms) and legal forms (บริษัท … จำกัด
 * (มหาชน), บจก., บมจ., หจก., ห้างหุ้นส่วนจำกัด/สามัญ, ร้าน, Co., Ltd.) removed. Idempotent.
 */
export function normaliseThaiName(name: string): string {
  const hit = normalised.get(name);
  if (hit !== undefined) return hit;
  // An LAO pays the same few thousand names again and again: remember them, in a bounded cache.
  if (normalised.size >= NAME_CACHE_SIZE) normalised.clear();
  const value = normaliseUncached(name);
  normalised.set(name, value);
  return value;
}

/** Most names remembered by `normaliseThaiName` before the cache starts again (about a province's payees). */
const NAME_CACHE_SIZE = 50_000;
const normalised = new Map<string, string>();

function normaliseUncached(name: string): string {
  const compact = thaiDigitsToAscii(name.replace(INVISIBLE, '').replace(SPACING_AND_PUNCTUATION, '')).toLowerCase();
  return stripAffixes(reorderThaiMarks(compact.normalize('NFC')).normalize('NFC'));
}
