import { Html, html } from "./html";

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2f4f;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}header form{margin-left:auto}
main{padding:16px 24px;max-width:1200px}
h1{font-size:22px;margin:8px 0}h2{font-size:16px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:8px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e6eb;vertical-align:top}
th{background:#eef1f5;font-weight:600}
.muted{color:#6b7585}.quote{font-style:italic;color:#3b4656}
.sev{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.sev-high{background:#fbd5d5;color:#8a1c1c}.sev-medium{background:#fde9c4;color:#7a4d00}.sev-low{background:#e3ecf9;color:#234a7a}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #e3e6eb;border-radius:6px;padding:8px 12px;min-width:120px}
.card b{display:block;font-size:18px}
.chart{background:#fff;border:1px solid #e3e6eb;border-radius:6px;margin:8px 0;padding:8px}
.chart figcaption{font-weight:600;margin-bottom:4px}.chart svg{width:100%;max-width:640px;height:auto}
.tick{font-size:10px;fill:#6b7585}.grid{stroke:#e3e6eb}
.legend{font-weight:400;margin-left:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.asof{background:#fff7e0;border:1px solid #f0d48a;padding:6px 10px;border-radius:6px}
pre{white-space:pre-wrap;background:#fff;border:1px solid #e3e6eb;padding:12px}
`;

/** Every page: the tenant it shows, a way home and out, and nothing but this package's markup and escaped text. */
export function layout(title: string, tenantId: string | null, body: Html): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · dealgraph</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <a href="/">dealgraph deal room</a>
          ${
            tenantId
              ? html`<span class="muted" data-tenant="${tenantId}">tenant ${tenantId}</span>
                  <form method="post" action="/logout"><button type="submit">Sign out</button></form>`
              : null
          }
        </header>
        <main>${body}</main>
      </body>
    </html>`;
}
