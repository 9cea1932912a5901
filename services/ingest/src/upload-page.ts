/** The upload page for finance staff: a small self-contained Thai page (no external assets). */
export const UPLOAD_PAGE_HTML = `<!doctype html>
<html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>paywatch — อัปโหลดไฟล์การจ่ายเงิน</title>
<style>body{font-family:system-ui,"Noto Sans Thai",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
label{display:block;margin:.6rem 0 .2rem;font-weight:600}textarea,input{width:100%;font:inherit}button{margin-top:1rem;padding:.5rem 1.2rem;font:inherit}
table{border-collapse:collapse;width:100%;margin-top:1rem}td,th{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
.ok{color:#0a5d1f}.bad{color:#a00}</style></head>
<body><h1>อัปโหลดไฟล์การจ่ายเงิน KTB Corporate Online</h1>
<p>Upload a KTB bulk payment file. ระบบจะตรวจทุกแถวและแจ้งแถวที่ไม่รับพร้อมเหตุผล</p>
<form id="f"><label for="token">โทเค็นผู้ใช้ (Bearer token)</label><textarea id="token" rows="3" required></textarea>
<label for="file">ไฟล์ (file)</label><input id="file" type="file" required>
<button type="submit">อัปโหลด / Upload</button></form>
<div id="out" role="status" aria-live="polite"></div>
<script>
const q=new URLSearchParams(location.search);if(q.get('token'))document.getElementById('token').value=q.get('token');
const out=document.getElementById('out');const esc=s=>String(s).replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
document.getElementById('f').onsubmit=async e=>{e.preventDefault();const t=document.getElementById('token').value.trim();
const fd=new FormData();fd.append('file',document.getElementById('file').files[0]);
const r=await fetch('/v1/batches',{method:'POST',headers:{authorization:'Bearer '+t},body:fd});const j=await r.json();
if(!r.ok){out.innerHTML='<p class="bad">'+esc(j.error.message.th)+' — '+esc(j.error.message.en)+'</p>';return}
out.innerHTML='<p>'+(j.duplicate?'ไฟล์นี้เคยอัปโหลดแล้ว (same file, same batch) ':'รับไฟล์แล้ว ')+esc(j.batchId)+'</p>';
for(;;){const s=await (await fetch(j.statusUrl,{headers:{authorization:'Bearer '+t}})).json();const b=s.batch;
if(b.status==='received'||b.status==='processing'){await new Promise(r=>setTimeout(r,500));continue}
let h='<p class="'+(b.status==='published'?'ok':'bad')+'">สถานะ '+esc(b.status)+': อ่าน '+b.rowsRead+' แถว รับ '+b.rowsAccepted+' ไม่รับ '+b.rowsRejected+' ยอดรวม '+(b.totalSatang/100).toLocaleString('th-TH',{minimumFractionDigits:2})+' บาท</p>';
if(b.refusal)h+='<p class="bad">'+esc(b.refusal.message.th)+'</p>';
if(s.rejects.length){h+='<table><thead><tr><th>แถว</th><th>ช่อง</th><th>เหตุผล</th><th>ข้อความเดิม</th></tr></thead><tbody>'+s.rejects.map(x=>'<tr><td>'+x.row+'</td><td>'+esc(x.field)+'</td><td>'+esc(x.message.th)+'<br><small>'+esc(x.message.en)+'</small></td><td><code>'+esc(x.raw.trimEnd().slice(0,120))+'</code></td></tr>').join('')+'</tbody></table>'}
out.innerHTML+=h;break}};
</script></body></html>`;
