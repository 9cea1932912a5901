/** The page frame: landmarks (header, nav, main), language, the user's menu and the logout form. */
import { html, raw, type Raw } from './html.ts';
import { L, type Lang } from './i18n.ts';

export interface Viewer { sub: string; role: string; name?: string | undefined; laoCode?: string | undefined; provinces?: string[] | undefined; secondApprover?: boolean | undefined }
export interface PageContext { lang: Lang; viewer: Viewer | null; csrf: string; path: string }

const NAV: { href: string; th: string; en: string; roles: string[] }[] = [
  { href: '/upload', th: 'อัปโหลดไฟล์', en: 'Upload', roles: ['finance', 'admin'] },
  { href: '/inbox', th: 'กล่องแจ้งเตือน', en: 'Inbox', roles: ['provincial-auditor', 'district-auditor', 'central', 'admin'] },
  { href: '/centre', th: 'ศูนย์เฝ้าระวัง', en: 'Centre', roles: ['provincial-auditor', 'district-auditor', 'central', 'admin'] },
  { href: '/ops', th: 'ระบบ', en: 'Ops', roles: ['ops', 'central', 'admin'] },
];

export const canSee = (role: string, href: string): boolean => NAV.find((n) => n.href === href)?.roles.includes(role) ?? false;

/** Where a role lands after signing in. */
export function homeFor(role: string): string {
  if (role === 'finance') return '/upload';
  if (role === 'provincial-auditor' || role === 'district-auditor') return '/inbox';
  if (role === 'ops') return '/ops';
  return '/centre';
}

export function page(ctx: PageContext, title: string, body: Raw, opts: { scripts?: string[] } = {}): string {
  const { lang, viewer } = ctx;
  const other: Lang = lang === 'th' ? 'en' : 'th';
  const u = new URL(ctx.path, 'http://console.invalid');
  u.searchParams.set('lang', other);
  const switchHref = u.pathname + u.search;
  const links = viewer ? NAV.filter((n) => n.roles.includes(viewer.role)) : [];
  // A batch or a reference list belongs to the upload page, an alert to the inbox: the menu marks where the user is.
  const current = ctx.path.replace(/^\/(batches|reference)\b/, '/upload').replace(/^\/(alerts|cases)\b/, '/inbox');
  return '<!doctype html>\n' + html`<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · paywatch</title>
<link rel="stylesheet" href="/assets/console.css">
</head>
<body>
<a class="skip" href="#content">${L(lang, 'ข้ามไปยังเนื้อหา', 'Skip to content')}</a>
<header class="top">
  <a class="brand" href="/">paywatch ${L(lang, 'เฝ้าระวังการเบิกจ่าย อปท.', 'LAO payment watch')}</a>
  ${links.length ? html`<nav class="main" aria-label="${L(lang, 'เมนูหลัก', 'Main menu')}"><ul>${links.map((n) => html`<li><a href="${n.href}"${current.startsWith(n.href) ? raw(' aria-current="page"') : ''}>${lang === 'th' ? n.th : n.en}</a></li>`)}</ul></nav>` : ''}
  <div class="user">
    <a href="${switchHref}" lang="${other}">${other === 'en' ? 'English' : 'ภาษาไทย'}</a>
    ${viewer ? html`<span>${viewer.name ?? viewer.sub}</span>
    <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button type="submit">${L(lang, 'ออกจากระบบ', 'Sign out')}</button></form>` : ''}
  </div>
</header>
<main id="content">
<h1>${title}</h1>
${body}
</main>
${(opts.scripts ?? []).map((s) => html`<script src="${s}"></script>`)}
</body>
</html>`.value;
}

/** The console's own error page, same status as the cause (404 for out-of-scope: existence is information). */
export function errorPage(ctx: PageContext, status: number, messages?: { th: string; en: string } | null): string {
  const [th, en] = status === 404 ? ['ไม่พบข้อมูลที่ขอ', 'Not found']
    : status === 403 ? ['ท่านไม่มีสิทธิ์เข้าถึงหน้านี้', 'You may not open this page']
      : status === 401 ? ['กรุณาเข้าสู่ระบบ', 'Please sign in']
        : status === 413 ? ['ไฟล์มีขนาดใหญ่เกินกว่าที่ระบบรับได้', 'The file is larger than the system accepts']
        : ['เกิดข้อผิดพลาด', 'Something went wrong'];
  return page(ctx, L(ctx.lang, th, en), html`<div class="error" role="alert">
<p>${messages ? (ctx.lang === 'th' ? messages.th : messages.en) : L(ctx.lang, th, en)} (HTTP ${status})</p>
</div>
<p><a href="/">${L(ctx.lang, 'กลับหน้าแรก', 'Back to the start page')}</a></p>`);
}
