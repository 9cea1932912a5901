/**
 * Reference lists on the upload page (finance): the form to upload a list of one kind, what a refused upload got
 * wrong, the LAO's lists in force, and the page of one list in force with the rows its upload refused.
 */
import { formatThaiDate, toCsv } from './format.ts';
import { html, type Raw } from './html.ts';
import { L, REFERENCE_KINDS, referenceKindLabel, rowFieldLabel, type Lang } from './i18n.ts';
import { page, type PageContext } from './layout.ts';
import type { DiffRow, Reject, ReferenceUpload, StagedReference } from './types.ts';

/** Why an upload did not become a version: ingest's 400/413/422 message and, for 422, the rows it refused. */
export interface ReferenceRefusal {
  kind: string | null;
  status: number;
  code: string | null;
  message: { th: string; en: string };
  rowsRead: number | null;
  rowsRejected: number | null;
  rejects: Reject[];
}

/** Column headers the reader understands, per kind (Thai as in the department's layouts; English accepted too). */
const COLUMNS: Record<string, string> = {
  payees: 'ชื่อผู้รับเงิน, รหัสธนาคาร, เลขที่บัญชี, เลขประจำตัวผู้เสียภาษี/ประชาชน, วันที่ลงทะเบียน, สถานะ',
  staff: 'ชื่อ-สกุล, รหัสธนาคาร, เลขที่บัญชี, เลขประจำตัวประชาชน, ตำแหน่ง',
  vouchers: 'เลขที่ฎีกา, วันที่ฎีกา, จำนวนเงิน, ชื่อผู้รับเงิน, รหัสธนาคาร, เลขที่บัญชี, รายการงบประมาณ',
  beneficiaries: 'เลขประจำตัวประชาชน, ชื่อ-สกุล, ประเภทเบี้ยยังชีพ, จำนวนเงินต่อเดือน, รหัสธนาคาร, เลขที่บัญชี',
};

const csrfField = (ctx: PageContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
const when = (d: string, lang: Lang) => formatThaiDate(d, { lang, withTime: true });

/** The refused rows of a reference upload, formula-safe, in the same columns as a batch's rejects CSV. */
export function referenceRejectsCsv(rejects: readonly Reject[]): string {
  return toCsv([['row', 'field', 'code', 'reason_th', 'reason_en', 'raw'], ...rejects.map((r) => [r.row, r.field, r.code, r.message.th, r.message.en, r.raw])]);
}

/** Row, column (Thai name first), reason in the page's language, and the raw text the clerk can search for. */
export function referenceRejectsTable(ctx: PageContext, rejects: readonly Reject[], id = 'reference-rejects'): Raw {
  const { lang } = ctx;
  return html`<table id="${id}">
<thead><tr><th scope="col" class="num">${L(lang, 'แถว', 'Row')}</th><th scope="col">${L(lang, 'ช่องข้อมูล', 'Field')}</th><th scope="col">${L(lang, 'เหตุผล', 'Reason')}</th><th scope="col">${L(lang, 'ข้อความในไฟล์', 'Raw text')}</th></tr></thead>
<tbody>${rejects.map((r) => html`<tr><td class="num">${r.row}</td><td>${rowFieldLabel(r.field, lang)}</td><td>${lang === 'th' ? r.message.th : r.message.en}</td><td class="raw">${r.raw}</td></tr>`)}</tbody>
</table>`;
}

/**
 * A refused upload leaves nothing stored in force to link to, so its CSV travels in the link itself (a `data:` URL,
 * the same neutralised CSV as for a stored list).
 */
function refusalBlock(ctx: PageContext, r: ReferenceRefusal): Raw {
  const { lang } = ctx;
  const counts = r.rowsRead === null ? '' : L(lang, `อ่านได้ ${r.rowsRead} แถว ไม่รับ ${r.rowsRejected ?? 0} แถว`, `${r.rowsRead} rows read, ${r.rowsRejected ?? 0} refused`);
  const csvHref = `data:text/csv;charset=utf-8,${encodeURIComponent(referenceRejectsCsv(r.rejects))}`;
  return html`<div class="error" role="alert" id="reference-error">
<p><strong>${r.kind ? L(lang, `ไม่รับ${referenceKindLabel(r.kind, lang)}ที่อัปโหลด`, `The ${referenceKindLabel(r.kind, lang).toLowerCase()} list was not accepted`) : L(lang, 'ไม่รับไฟล์ที่อัปโหลด', 'The upload was not accepted')}</strong>
(HTTP ${r.status}${r.code ? ` · ${r.code}` : ''})</p>
<p>${lang === 'th' ? r.message.th : r.message.en}</p>
${r.status === 422 ? html`<p>${L(lang, 'รายการที่ใช้อยู่เดิมยังคงใช้ต่อไป', 'The list in force stays as it was.')} ${counts}</p>` : ''}
</div>
${r.rejects.length ? html`<h3 id="reference-error-rows">${L(lang, 'แถวที่ไม่รับ', 'Refused rows')}</h3>
<p><a href="${csvHref}" download="reference-rejects.csv">${L(lang, 'ดาวน์โหลด CSV', 'Download CSV')}</a></p>
${referenceRejectsTable(ctx, r.rejects)}` : ''}`;
}

/** The lists in force (finance: their LAO's; admin: every LAO's), newest knowledge first by kind. */
function listsTable(ctx: PageContext, lists: readonly ReferenceUpload[]): Raw {
  const { lang } = ctx;
  if (!lists.length) return html`<p id="reference-lists-empty">${L(lang, 'ยังไม่มีรายการอ้างอิงที่ใช้อยู่ กฎที่ต้องใช้รายการเหล่านี้จะยังไม่ทำงาน', 'No reference list in force yet; the rules that need one stay silent.')}</p>`;
  // In its own scroll box: seven columns do not fit a 390 px phone, and the page itself must not scroll sideways.
  return html`<div class="scroll" tabindex="0" role="region" aria-label="${L(lang, 'รายการอ้างอิงที่ใช้อยู่', 'Reference lists in force')}"><table id="reference-lists">
<caption class="skip">${L(lang, 'รายการอ้างอิงที่ใช้อยู่', 'Reference lists in force')}</caption>
<thead><tr><th scope="col">${L(lang, 'ประเภท', 'Kind')}</th><th scope="col">${L(lang, 'อปท.', 'LAO')}</th><th scope="col" class="num">${L(lang, 'ฉบับที่', 'Version')}</th><th scope="col" class="num">${L(lang, 'จำนวนรายการ', 'Items')}</th><th scope="col" class="num">${L(lang, 'แถวที่ไม่รับ', 'Refused rows')}</th><th scope="col">${L(lang, 'อัปโหลดเมื่อ', 'Uploaded')}</th><th scope="col">${L(lang, 'ผู้อัปโหลด', 'By')}</th></tr></thead>
<tbody>${lists.map((u) => html`<tr><td><a href="/reference/${u.kind}/${u.laoCode}">${referenceKindLabel(u.kind, lang)}</a></td><td>${u.laoCode}</td><td class="num">${u.version ?? '—'}</td><td class="num">${u.rowsAccepted}</td><td class="num">${u.rowsRejected}</td><td>${when(u.receivedAt, lang)}</td><td>${u.uploadedBy}</td></tr>`)}</tbody>
</table></div>`;
}

/** The reference part of the upload page: the form (CSRF, kind, file; admin names the LAO), a refusal, the lists in force. */
export function referenceSection(ctx: PageContext, lists: readonly ReferenceUpload[], refusal: ReferenceRefusal | null): Raw {
  const { lang } = ctx;
  const isAdmin = ctx.viewer?.role === 'admin';
  return html`<section class="card" aria-labelledby="reference-h" id="reference">
<h2 id="reference-h">${L(lang, 'รายการอ้างอิงของ อปท.', "The LAO's reference lists")}</h2>
<p>${L(lang, 'ทะเบียนผู้รับเงินโอน บุคลากร ฎีกาที่อนุมัติ และผู้รับเบี้ยยังชีพ ใช้ตรวจว่าการจ่ายเงินตรงกับรายการของ อปท. หรือไม่ ไฟล์ที่อัปโหลดจะเป็นฉบับใหม่แทนฉบับเดิมของประเภทนั้นทั้งรายการ',
    "Registered payees, staff, approved vouchers and welfare beneficiaries let the rules check payments against the LAO's own lists. Each upload becomes the new version of that kind and replaces the previous one whole.")}</p>
${refusal ? refusalBlock(ctx, refusal) : ''}
<form id="reference-form" method="post" action="/reference" enctype="multipart/form-data">
${csrfField(ctx)}
<label for="ref-kind">${L(lang, 'ประเภทรายการ', 'Kind of list')}</label>
<select id="ref-kind" name="kind" required>${REFERENCE_KINDS.map((k) => html`<option value="${k}"${refusal?.kind === k ? html` selected` : ''}>${referenceKindLabel(k, lang)}</option>`)}</select>
${isAdmin ? html`<label for="ref-lao">${L(lang, 'รหัส อปท. (7 หลัก)', 'LAO code (7 digits)')}</label>
<input type="text" id="ref-lao" name="lao" inputmode="numeric" pattern="\\d{7}" size="9" required>` : ''}
<label for="ref-file">${L(lang, 'ไฟล์รายการ (CSV หัวคอลัมน์ภาษาไทยหรืออังกฤษ UTF-8 หรือ Windows-874)', 'List file (CSV, Thai or English headers, UTF-8 or Windows-874)')}</label>
<input type="file" id="ref-file" name="file" required accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="ref-columns">
<details id="ref-columns"><summary>${L(lang, 'หัวคอลัมน์ที่ระบบอ่านได้', 'Columns the system reads')}</summary>
<ul>${REFERENCE_KINDS.map((k) => html`<li><strong>${referenceKindLabel(k, lang)}</strong>: ${COLUMNS[k]}${L(lang, ' (และ รหัส อปท. ถ้ามี ต้องเป็นของ อปท. นี้)', ' (and LAO code, if present, must be this LAO)')}</li>`)}</ul></details>
<p><button type="submit">${L(lang, 'อัปโหลดรายการอ้างอิง', 'Upload the list')}</button></p>
</form>
<h3 id="reference-lists-h">${L(lang, 'รายการที่ใช้อยู่', 'Lists in force')}</h3>
${listsTable(ctx, lists)}
</section>`;
}

/** One list in force: its version, counts and every row its upload refused (with a formula-safe CSV). */
export function referencePage(ctx: PageContext, u: ReferenceUpload, opts: { uploadedVersion?: number | undefined; duplicate?: boolean } = {}): string {
  const { lang } = ctx;
  const kind = referenceKindLabel(u.kind, lang);
  const rejects = u.rejects ?? [];
  const notice = opts.duplicate
    ? html`<p class="notice warn" role="status" id="reference-notice">${L(lang, `ไฟล์นี้ตรงกับ${kind}ฉบับที่ ${u.version} ที่ใช้อยู่แล้ว ระบบไม่ได้สร้างฉบับใหม่`, `This file is the same as version ${u.version} in force; no new version was made.`)}</p>`
    : opts.uploadedVersion === undefined ? ''
      : opts.uploadedVersion === u.version
        ? html`<p class="notice" role="status" id="reference-notice">${L(lang, `อัปโหลดแล้ว: ${kind}ฉบับที่ ${u.version} ใช้งานแล้ว รายการจ่ายที่ตรวจหลังจากนี้จะเทียบกับฉบับนี้`, `Uploaded: version ${u.version} is in force; payments checked from now on are compared with it.`)}</p>`
        : html`<p class="notice warn" role="status" id="reference-notice">${L(lang, `ท่านอัปโหลดฉบับที่ ${opts.uploadedVersion} แต่ขณะนี้ฉบับที่ ${u.version} ใช้งานอยู่ (มีการอัปโหลดใหม่กว่า)`, `You uploaded version ${opts.uploadedVersion}; version ${u.version} is in force now (a newer upload).`)}</p>`;
  return page(ctx, L(lang, `${kind} ฉบับที่ ${u.version ?? '—'} (อปท. ${u.laoCode})`, `${kind}, version ${u.version ?? '—'} (LAO ${u.laoCode})`), html`
${notice}
<section class="card">
<dl class="kv" id="reference-summary">
<dt>${L(lang, 'ประเภท', 'Kind')}</dt><dd>${kind}</dd>
<dt>${L(lang, 'ฉบับที่', 'Version')}</dt><dd>${u.version ?? '—'}</dd>
<dt>${L(lang, 'ไฟล์', 'File')}</dt><dd>${u.fileName} (${u.sizeBytes.toLocaleString('en-US')} ${L(lang, 'ไบต์', 'bytes')})</dd>
<dt>${L(lang, 'อัปโหลดเมื่อ', 'Uploaded')}</dt><dd>${when(u.receivedAt, lang)} ${L(lang, 'โดย', 'by')} ${u.uploadedBy}</dd>
<dt>${L(lang, 'มีผลตั้งแต่', 'Effective from')}</dt><dd>${formatThaiDate(u.effectiveFrom, { lang })}</dd>
<dt>${L(lang, 'จำนวนแถวที่อ่าน', 'Rows read')}</dt><dd>${u.rowsRead}</dd>
<dt>${L(lang, 'รายการที่รับ', 'Rows accepted')}</dt><dd>${u.rowsAccepted}</dd>
<dt>${L(lang, 'รายการที่ไม่รับ', 'Rows refused')}</dt><dd>${u.rowsRejected}</dd>
</dl>
</section>
<h2>${L(lang, 'แถวที่ไม่รับ', 'Refused rows')}</h2>
${rejects.length ? html`<p><a href="/reference/${u.kind}/${u.laoCode}/rejects.csv" download>${L(lang, 'ดาวน์โหลด CSV', 'Download CSV')}</a>${rejects.length < u.rowsRejected ? L(lang, ` (แสดง ${rejects.length} จาก ${u.rowsRejected} แถว)`, ` (${rejects.length} of ${u.rowsRejected} rows shown)`) : ''}</p>
${referenceRejectsTable(ctx, rejects)}` : html`<p>${L(lang, 'ไม่มีแถวที่ถูกปฏิเสธ', 'No refused rows')}</p>`}
<p><a href="/upload#reference">${L(lang, 'กลับไปหน้าอัปโหลด', 'Back to upload')}</a></p>`);
}

/** The rows of one part of a diff (name, bank, masked account; for an account change the one before too). */
function diffTable(ctx: PageContext, id: string, caption: string, rows: readonly DiffRow[], total: number, changed = false): Raw {
  const { lang } = ctx;
  if (total === 0) return html``;
  return html`<h3 id="${id}-h">${caption} (${total})</h3>
<div class="table-scroll" role="region" aria-labelledby="${id}-h" tabindex="0"><table id="${id}">
<thead><tr><th scope="col">${L(lang, 'ชื่อ', 'Name')}</th><th scope="col">${L(lang, 'ธนาคาร', 'Bank')}</th>${changed ? html`<th scope="col">${L(lang, 'บัญชีเดิม', 'Account before')}</th>` : ''}<th scope="col">${L(lang, 'บัญชี', 'Account')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.label}</td><td>${r.bankCode ?? '—'}</td>${changed ? html`<td>${r.previousAccountMasked ?? '—'}</td>` : ''}<td>${r.accountMasked ?? '—'}</td></tr>`)}</tbody>
</table></div>${rows.length < total ? html`<p>${L(lang, `แสดง ${rows.length} จาก ${total} รายการ`, `${rows.length} of ${total} shown`)}</p>` : ''}`;
}

/** Whether the viewer may be the second person for this staged version (admin or the LAO's second approver, not the uploader or confirmer). */
export function canApprove(viewer: PageContext['viewer'], s: StagedReference): boolean {
  if (!viewer) return false;
  const entitled = viewer.role === 'admin' || (viewer.secondApprover === true && viewer.laoCode === s.laoCode);
  return entitled && viewer.sub !== s.upload.uploadedBy && viewer.sub !== s.confirmedBy;
}

/**
 * A new version waiting to replace the list in force (issue 13, ADR 0018): what it adds, removes and whose account it
 * changes, and the confirm form; a drop of more than half asks for a second confirmation and then a second person.
 */
export function stagedPage(ctx: PageContext, s: StagedReference, error: { th: string; en: string } | null = null): string {
  const { lang } = ctx;
  const kind = referenceKindLabel(s.kind, lang);
  const d = s.diff;
  const base = `/reference/${s.kind}/${s.laoCode}/staged/${s.id}`;
  const pct = Math.round(d.droppedShare * 100);
  const status = {
    pending: L(lang, 'รอยืนยัน ฉบับที่ใช้อยู่ยังคงใช้ต่อไปจนกว่าจะยืนยัน', 'Waiting for confirmation; the version in force stays until then'),
    'awaiting-second-approval': L(lang, `ยืนยันแล้วโดย ${s.confirmedBy ?? ''} รอผู้อนุมัติคนที่สอง (ผู้ดูแลระบบหรือผู้อนุมัติคนที่สองของ อปท.) ฉบับที่ใช้อยู่ยังคงใช้ต่อไป`, `Confirmed by ${s.confirmedBy ?? ''}; waiting for a second person (an admin or the LAO's second approver). The version in force stays.`),
    published: L(lang, `ใช้งานแล้วเป็นฉบับที่ ${s.version ?? ''}`, `In force as version ${s.version ?? ''}`),
    discarded: L(lang, 'ยกเลิกแล้ว ไม่มีการเปลี่ยนแปลงรายการที่ใช้อยู่', 'Discarded; the list in force was not changed'),
  }[s.status];
  return page(ctx, L(lang, `ตรวจความเปลี่ยนแปลงก่อนใช้: ${kind} ฉบับใหม่แทนฉบับที่ ${s.baseVersion}`, `Review before it replaces version ${s.baseVersion}: new ${kind.toLowerCase()} list`), html`
${error ? html`<div class="error" role="alert" id="staged-error"><p>${lang === 'th' ? error.th : error.en}</p></div>` : ''}
<p class="notice${s.largeDrop ? ' warn' : ''}" role="status" id="staged-status">${status}</p>
${s.largeDrop ? html`<p class="notice warn" id="staged-large-drop"><strong>${L(lang, `ฉบับใหม่จะลบ ${d.removed} จาก ${d.before} รายการ (${pct}%) ของฉบับที่ใช้อยู่`, `The new version drops ${d.removed} of the ${d.before} rows in force (${pct}%)`)}</strong>
${L(lang, ' รายการที่ถูกลบจะถูกตรวจว่าไม่อยู่ในทะเบียน จึงต้องยืนยันการลบอีกครั้ง และต้องให้บุคคลที่สองอนุมัติก่อนใช้งาน', ' Payees dropped would look unregistered: the drop needs a second confirmation and a second person before it takes effect.')}</p>` : ''}
<section class="card" aria-labelledby="staged-h">
<h2 id="staged-h">${L(lang, 'สรุปความเปลี่ยนแปลง', 'Changes')}</h2>
<ul class="counts diff-counts" id="staged-counts">
<li><strong>${d.before}</strong>${L(lang, 'รายการในฉบับที่ใช้อยู่', 'rows in force')}</li>
<li><strong>${d.after}</strong>${L(lang, 'รายการในฉบับใหม่', 'rows in the new version')}</li>
<li><strong>${d.added}</strong>${L(lang, 'เพิ่ม', 'added')}</li>
<li class="removed"><strong>${d.removed}</strong>${L(lang, 'ลบ', 'removed')}</li>
<li class="changed"><strong>${d.accountChanged}</strong>${L(lang, 'เปลี่ยนบัญชี', 'account changed')}</li>
<li><strong>${d.otherwiseChanged}</strong>${L(lang, 'แก้ไขชื่อหรือรายละเอียด', 'name or details corrected')}</li>
</ul>
<p>${L(lang, `ไฟล์ ${s.upload.fileName} อัปโหลดเมื่อ ${when(s.upload.receivedAt, lang)} โดย ${s.upload.uploadedBy} อ่านได้ ${s.upload.rowsRead} แถว ไม่รับ ${s.upload.rowsRejected} แถว`, `File ${s.upload.fileName}, uploaded ${when(s.upload.receivedAt, lang)} by ${s.upload.uploadedBy}: ${s.upload.rowsRead} rows read, ${s.upload.rowsRejected} refused`)}</p>
${diffTable(ctx, 'diff-account-changed', L(lang, 'เปลี่ยนเลขบัญชี', 'Account changed'), d.rows.accountChanged, d.accountChanged, true)}
${diffTable(ctx, 'diff-added', L(lang, 'รายการที่เพิ่ม', 'Rows added'), d.rows.added, d.added)}
${diffTable(ctx, 'diff-removed', L(lang, 'รายการที่ลบ', 'Rows removed'), d.rows.removed, d.removed)}
</section>
${s.status === 'pending' ? html`<div class="actions">
<form method="post" action="${base}/confirm" id="staged-confirm">${csrfField(ctx)}
${s.largeDrop ? html`<label><input type="checkbox" name="confirmDrop" value="1" required> ${L(lang, `ยืนยันว่าต้องการลบ ${d.removed} รายการออกจากฉบับที่ใช้อยู่`, `I confirm dropping ${d.removed} rows from the list in force`)}</label>` : ''}
<p><button type="submit">${L(lang, 'ยืนยันใช้ฉบับใหม่', 'Confirm the new version')}</button></p></form>
<form method="post" action="${base}/discard" id="staged-discard">${csrfField(ctx)}<p><button type="submit" class="secondary">${L(lang, 'ยกเลิกฉบับนี้', 'Discard this version')}</button></p></form>
</div>` : ''}
${s.status === 'awaiting-second-approval' && canApprove(ctx.viewer, s) ? html`<form method="post" action="${base}/approve" id="staged-approve">${csrfField(ctx)}
<p><button type="submit">${L(lang, 'อนุมัติในฐานะบุคคลที่สอง', 'Approve as the second person')}</button></p></form>` : ''}
<p><a href="/reference/${s.kind}/${s.laoCode}">${L(lang, 'ดูฉบับที่ใช้อยู่', 'See the version in force')}</a> · <a href="/upload#reference">${L(lang, 'กลับไปหน้าอัปโหลด', 'Back to upload')}</a></p>`);
}
