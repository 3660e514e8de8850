/**
 * The console's stylesheet, served from /console/assets/console.css (the CSP allows styles from
 * our origin only). Text colours keep at least 4.5:1 against their backgrounds (WCAG AA), focus
 * is always visible.
 */
export const consoleCss = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#f6f7f9}
a{color:#1f3a93}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:1}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;padding:10px 24px;background:#1f3a93;color:#fff}
header.top a{color:#fff}
header.top .who{margin-left:auto;display:flex;align-items:center;gap:12px}
header.top nav.sections{order:3;flex:1 0 100%;min-width:0}
nav.pager{margin:8px 0}
.cell-label{display:none}
details.weeks{margin:4px 0}details.weeks summary{cursor:pointer;color:#1f3a93;font-weight:600}
nav.sections ul{display:flex;flex-wrap:wrap;gap:4px;list-style:none;margin:0;padding:0}
nav.sections a{display:block;padding:6px 10px;border-radius:4px;text-decoration:none}
nav.sections a[aria-current="page"]{background:#fff;color:#1f3a93;font-weight:600}
.badge{display:inline-block;min-width:1.4em;padding:0 6px;border-radius:10px;background:#b91c1c;color:#fff;font-size:.8rem;font-weight:700;text-align:center}
main{max-width:1100px;margin:24px auto;padding:0 24px}
h1{font-size:1.6rem;margin:0 0 16px}h2{font-size:1.25rem;margin:24px 0 8px}
section.panel,section.chart{background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;padding:16px 20px;margin:0 0 20px}
table{border-collapse:collapse;width:100%;margin:8px 0}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d1d5db;vertical-align:top}
thead th{background:#eef1f6}
.status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.85rem;font-weight:600}
.status.good{background:#dcfce7;color:#14532d}.status.bad{background:#fee2e2;color:#7f1d1d}
.status.neutral{background:#e5e7eb;color:#1f2937}
.flash{border-left:4px solid #1f3a93;background:#eef2ff;padding:8px 12px;margin:0 0 16px}
.flash.error{border-color:#b91c1c;background:#fef2f2}
.note,.summary{color:#4b5563}
.empty{color:#4b5563;font-style:italic}
form.inline{display:inline-flex;flex-wrap:wrap;gap:6px;align-items:flex-end;margin:2px 0}
form.decide{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}
label{font-weight:600;display:block;font-size:.9rem}
input[type=text],input[type=password],textarea{padding:8px;border:1px solid #6b7280;border-radius:4px;font:inherit}
.field{margin:12px 0}.field input{width:100%}
button{background:#1f3a93;color:#fff;border:0;border-radius:4px;padding:8px 14px;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#fff;color:#1f3a93;border:1px solid #1f3a93}
button.danger{background:#b91c1c}
header.top button{background:#fff;color:#1f3a93}
input:focus,textarea:focus,button:focus,a:focus{outline:3px solid #b45309;outline-offset:2px}
.signin{max-width:480px;margin:48px auto;background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 1px 3px #0002}
.chart-box{position:relative;height:320px;margin:8px 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dl.facts dt{font-weight:600}
code{background:#eef1f6;padding:0 4px;border-radius:3px;word-break:break-all}
.persona{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;border:1px solid #fff;border-radius:10px;padding:0 8px}
.back{margin:0 0 4px}
input[type=number],input[type=email],input[type=url],input[type=date],input[type=datetime-local],select{padding:8px;border:1px solid #6b7280;border-radius:4px;font:inherit;background:#fff;max-width:100%}
.field input[type=checkbox],.field input[type=radio]{width:auto}
.field textarea{width:100%}
select:focus,input[type=checkbox]:focus,input[type=radio]:focus{outline:3px solid #b45309;outline-offset:2px}
.hint{color:#4b5563;font-size:.9rem;margin:2px 0 4px}
.req{font-weight:400;color:#4b5563;font-size:.85rem}
.count{color:#4b5563;font-size:.85rem;margin:2px 0}.count.over{color:#b91c1c;font-weight:600}
.field.invalid input,.field.invalid textarea,.field.invalid select{border-color:#b91c1c;border-width:2px}
.field-error{color:#b91c1c;font-weight:600;margin:4px 0 0;white-space:pre-line}
.pre-line{white-space:pre-line}
.error-text{color:#b91c1c}
.field.check{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
label.inline,label.choice{display:inline;font-weight:400}
fieldset{border:1px solid #d1d5db;border-radius:4px;margin:0;padding:8px 12px}legend{font-weight:600;font-size:.9rem;padding:0 4px}
.choices{display:flex;flex-wrap:wrap;gap:6px 16px}
.actions,.button-row{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:12px 0 4px}
form.inline-form{display:inline-flex;flex-wrap:wrap;gap:6px;align-items:center;margin:2px 4px 2px 0}
form.inline-form .actions{margin:0}
a.button{display:inline-block;background:#1f3a93;color:#fff;border-radius:4px;padding:8px 14px;font-weight:600;text-decoration:none}
.busy{display:flex;flex-wrap:wrap;gap:8px;align-items:center;color:#1f2937;margin:0}
.busy progress{width:120px}
.flash.terms{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.split{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:20px}
figure{margin:0}
.preview iframe{width:100%;height:560px;border:1px solid #d1d5db;border-radius:6px;background:#fff}
.preview figcaption{font-size:.9rem;color:#4b5563;margin:0 0 6px}
.link-card,.source-card{border:1px solid #d1d5db;border-radius:6px;padding:12px 16px;margin:0 0 16px}
.link-card h3,.source-card h3{margin:0 0 8px}
.link-body{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.link-body>div{flex:1 1 280px;min-width:0}
.copy-row{display:flex;gap:6px}.copy-row input{flex:1;min-width:0}
.qr-box{text-align:center}.qr{max-width:100%;height:auto;display:block}
.qr-box figcaption{font-size:.85rem;color:#4b5563}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:12px;margin:8px 0}
.card{border:1px solid #d1d5db;border-radius:6px;padding:12px;background:#fff;min-width:0}
.card .check{display:flex;gap:8px;align-items:flex-start;font-weight:600}
.card dl.facts{grid-template-columns:minmax(0,1fr);gap:0;font-size:.9rem}.card dd{margin-bottom:4px}
ol.timeline{list-style:none;padding:0;margin:0;border-left:3px solid #1f3a93}
ol.timeline li{padding:4px 0 8px 14px;position:relative}
ol.timeline li.future{color:#4b5563}
img.thumb{max-width:120px;max-height:90px;border:1px solid #d1d5db}
.upload-preview img{max-width:300px;max-height:250px;display:block;margin:8px 0}
pre.content{white-space:pre-wrap;word-break:break-word;background:#f3f4f6;padding:8px;border-radius:4px}
form.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end}form.filters .field{margin:0}
dd{margin:0;min-width:0;overflow-wrap:anywhere}
tr.refused td{background:#fef2f2}tr.refused td:first-child{border-left:4px solid #b91c1c}
.work-item{border:1px solid #d1d5db;border-radius:6px;padding:12px 16px;margin:0 0 16px}
.work-item h3{margin:0 0 8px;font-size:1.05rem}
.work-actions{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:flex-start}
form.work-action{flex:1 1 280px;min-width:0}
input[type=file]{max-width:100%}
@media (max-width:700px){
header.top{padding:6px 12px;gap:4px 8px}
header.top .brand{flex:1 1 0;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
header.top .suffix{display:none}
header.top button{padding:4px 10px}
/* On a phone the sections are one row that scrolls sideways, below the name and Sign out, so
   the header keeps two lines however many sections there are. */
nav.sections ul{flex-wrap:nowrap;overflow-x:auto;padding:2px 0 4px}
nav.sections a{white-space:nowrap;padding:4px 8px}
.cell-label{display:inline;color:#4b5563;font-size:.9rem}
main{padding:0 12px;margin:16px auto}
section.panel,section.chart{padding:12px}
.split{grid-template-columns:minmax(0,1fr)}
dl.facts{grid-template-columns:minmax(0,1fr)}dl.facts dd{margin-bottom:6px}
table,thead,tbody,tr,th,td{display:block}
caption{display:block}thead tr{position:absolute;left:-9999px;top:auto}
tbody tr{border-bottom:1px solid #d1d5db;padding:6px 0}
td{border:0;padding:3px 4px}
}
`;
