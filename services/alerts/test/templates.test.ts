import { afterEach, describe, expect, it } from 'vitest';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';
import { formatThaiDate } from '@paywatch/domain';
import { formatBangkokDateTime, legalBasisFor, renderAlertEmail } from '../src/templates.ts';
import { PUBLIC_BASE_URL, batchOf, makeAlert, recordingContext, serviceOnPg, type PgService } from './helpers.ts';

const running: PgService[] = [];
afterEach(async () => { await Promise.all(running.splice(0).map((s) => s.close())); });

const laoOf = (code: string) => SEED_LAO_REGISTRY.find((e) => e.laoCode === code)!;

describe('alert e-mail', () => {
  it('when an alert is delivered, then the e-mail received over SMTP is Thai-first with LAO, amount, date, masked account, legal basis and link', async () => {
    const s = await serviceOnPg();
    running.push(s);
    const alert = makeAlert();
    await s.service.consumer.handleBatch(batchOf([alert]), recordingContext());
    await s.service.dispatcher.tick();
    const [mail] = await s.sink.waitFor(1);
    expect(mail!.subject).toBe('[paywatch] แจ้งเตือนความเสี่ยงระดับสูง: เทศบาลเมืองพิจิตร — จ่ายซ้ำ 2 รายการ 45,000.00 บาท');
    const text = mail!.text!;
    expect(text).toContain('เทศบาลเมืองพิจิตร (รหัส 6600101)');
    expect(text).toContain('พิจิตร · อำเภอเมืองพิจิตร');
    expect(text).toContain('45,000.00 บาท จาก 2 รายการ');
    expect(text).toContain('22 พ.ย. 2569');
    // Reason in Thai, then English below it.
    expect(text.indexOf('ซ้ำ 2 ครั้งภายใน 30 วัน')).toBeLessThan(text.indexOf('twice within 30 days'));
    expect(text).toContain('******4321');
    expect(text).not.toContain('0123454321');
    expect(text).toContain('- totalSatang: 45,000.00 บาท');
    expect(text).toContain('- payeeAccount: ******4321');
    expect(text).toContain('พระราชบัญญัติเทศบาล พ.ศ. 2496 มาตรา 71–73');
    expect(text).toContain(`${PUBLIC_BASE_URL}/v1/alerts/${alert.alertId}`);
    expect(text).toContain('ไม่ใช่ข้อสรุปว่ามีการกระทำผิด');
    expect(text).toContain('not a finding of wrongdoing');
    expect(mail!.headers.get('x-paywatch-alert-id')).toBe(alert.alertId);
  });

  it('when the LAO is a PAO, a municipality or an SAO, then the legal basis names the right act, sections and official', () => {
    expect(legalBasisFor('pao').th).toContain('พระราชบัญญัติองค์การบริหารส่วนจังหวัด พ.ศ. 2540 มาตรา 77–79');
    expect(legalBasisFor('subdistrict-municipality').en).toContain('Municipality Act B.E. 2496, s.71–73');
    const sao = renderAlertEmail(makeAlert({ laoCode: '6600102' }), laoOf('6600102'), PUBLIC_BASE_URL).text;
    expect(sao).toContain('นายอำเภอ');
    expect(sao).toContain('พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 มาตรา 90–92');
    expect(sao).toContain('Tambon Council and SAO Act B.E. 2537, s.90–92');
    expect(legalBasisFor(null).en).toContain('State Audit Office');
  });

  it('when several rules fire on a critical alert, then the subject names the severity and every rule', () => {
    const email = renderAlertEmail(makeAlert({ severity: 'critical', extraFinding: true }), laoOf('6600101'), `${PUBLIC_BASE_URL}/`);
    expect(email.subject).toContain('ความเสี่ยงระดับวิกฤต');
    expect(email.subject).toContain('จ่ายซ้ำ + โอนนอกเวลาทำการ');
    expect(email.text).toContain(`${PUBLIC_BASE_URL}/v1/alerts/`); // no double slash from a trailing one
  });

  it('dates are shown in the Buddhist era, instants on the Bangkok clock', () => {
    expect(formatThaiDate('2026-11-22')).toBe('22 พ.ย. 2569');
    expect(formatThaiDate('2025-01-01')).toBe('1 ม.ค. 2568');
    expect(formatBangkokDateTime('2026-11-22T17:05:00Z')).toBe('23 พ.ย. 2569 00:05 น.');
  });
});
