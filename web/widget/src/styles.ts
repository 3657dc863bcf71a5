// The widget's stylesheet, applied inside its shadow root only.
export const CSS = `
:host{all:initial}
*{box-sizing:border-box}
.w{--b:#1677ff;--bh:#4096ff;--bd:#0958d9;--tx:#1f2329;--t2:#646a73;--t3:#8f959e;--ln:#e5e6eb;--bg:#f5f6f8;
font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC","Helvetica Neue",Arial,sans-serif;
color:var(--tx);-webkit-font-smoothing:antialiased;-webkit-text-size-adjust:100%}
button{font:inherit;cursor:pointer;border:0;background:none;color:inherit;padding:0}
input,textarea{font:inherit;color:inherit}
[hidden]{display:none!important}
.i{width:20px;height:20px;fill:currentColor}
.s{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.ln{position:fixed;right:24px;bottom:24px;z-index:2147483000;width:60px;height:60px;border-radius:50%;background:var(--b);color:#fff;
display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(22,119,255,.38),0 2px 6px rgba(0,0,0,.12);
transition:transform .2s,background .2s}
.ln:hover{background:var(--bh);transform:scale(1.06)}
.ln:active{background:var(--bd);transform:scale(.97)}
.ln:focus-visible,.btn:focus-visible,.ib:focus-visible,.b2:focus-visible,.hb:focus-visible,.ar:focus-visible{outline:3px solid rgba(22,119,255,.35);outline-offset:2px}
.ln .i{width:28px;height:28px}
.ln .s{width:28px;height:28px}
.bdg{position:absolute;top:-3px;right:-3px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#f5222d;color:#fff;
font-size:12px;font-weight:600;line-height:18px;text-align:center;border:2px solid #fff}
.win{position:fixed;right:24px;bottom:100px;z-index:2147483000;width:380px;height:640px;max-height:calc(100vh - 124px);
display:none;flex-direction:column;background:#fff;border-radius:16px;overflow:hidden;
box-shadow:0 12px 48px rgba(0,0,0,.18),0 2px 8px rgba(0,0,0,.08);transform-origin:bottom right}
.open .win{display:flex;animation:pop .22s cubic-bezier(.2,.8,.3,1)}
@keyframes pop{from{opacity:0;transform:translateY(12px) scale(.97)}to{opacity:1;transform:none}}
.hw{flex:none;background:linear-gradient(135deg,#1677ff,#4e8cff);color:#fff}
.hd{display:flex;align-items:center;gap:12px;padding:14px 12px 12px 18px}
.hav{width:40px;height:40px;border-radius:50%;background:rgba(255,255,255,.2);display:flex;align-items:center;justify-content:center;flex:none;position:relative}
.hav .i{width:22px;height:22px}
.hav::after{content:"";position:absolute;right:0;bottom:0;width:11px;height:11px;border-radius:50%;background:#bfbfbf;border:2px solid #3c7fff}
.on .hav::after{background:#52c41a}
.ht{flex:1;min-width:0}
.hn{font-size:16px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.hs{font-size:12px;opacity:.88;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.ib{width:36px;height:36px;border-radius:50%;display:flex;align-items:center;justify-content:center;flex:none;transition:background .15s}
.hd .ib:hover{background:rgba(255,255,255,.18)}
.tb{display:flex;gap:2px;margin:0 14px 12px;padding:3px;border-radius:10px;background:rgba(255,255,255,.16)}
.tab{flex:1;height:30px;border-radius:8px;display:flex;align-items:center;justify-content:center;gap:6px;font-size:13px;color:rgba(255,255,255,.92);transition:background .15s,color .15s}
.tab .s{width:16px;height:16px}
.tab:hover{background:rgba(255,255,255,.14)}
.tab[aria-selected=true]{background:#fff;color:var(--b);font-weight:600;box-shadow:0 1px 3px rgba(0,40,120,.18)}
.tab:focus-visible{outline:2px solid #fff;outline-offset:1px}
.tbd{min-width:18px;height:18px;padding:0 5px;border-radius:9px;background:#f5222d;color:#fff;font-size:11px;line-height:18px;font-weight:600}
.hp{flex:1;min-height:0;display:flex;flex-direction:column;background:var(--bg)}
.hq{flex:none;padding:12px 14px;background:#fff;border-bottom:1px solid #eef0f3}
.sf{position:relative;display:block}
.sf>.s{position:absolute;left:13px;top:10px;width:18px;height:18px;color:var(--t3);pointer-events:none}
.si{display:block;width:100%;height:38px;border:1px solid transparent;border-radius:19px;padding:0 12px 0 38px;background:var(--bg);outline:none;font-size:14px;
-webkit-appearance:none;appearance:none;transition:border-color .15s,box-shadow .15s,background .15s}
.si:focus{background:#fff;border-color:var(--b);box-shadow:0 0 0 3px rgba(22,119,255,.15)}
.si::placeholder{color:#a8abb2}
.hr{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:12px 14px 16px;transition:opacity .15s}
.hr.ld{opacity:.5}
.hl{font-size:12px;color:var(--t3);margin:2px 2px 8px}
.hh{display:block;background:#fff;border-radius:12px;margin-bottom:8px;border:1px solid #eceef2;color:var(--tx);text-decoration:none;transition:border-color .15s}
.hh:hover,.hh.x{border-color:#bcd6ff}
.hb{display:flex;align-items:center;gap:10px;width:100%;padding:12px 14px;text-align:left;font-weight:500;line-height:1.45;border-radius:12px}
.hb span{flex:1;min-width:0;overflow-wrap:anywhere}
.hb .s{width:18px;height:18px;color:var(--t3);flex:none;transition:transform .2s}
.x .hb{color:var(--b)}
.x .hb .s{transform:rotate(180deg);color:var(--b)}
.ha{margin:0 14px;padding:10px 0 14px;border-top:1px dashed #e5e6eb;font-size:13px;line-height:1.75;color:#4e5969;white-space:pre-wrap;overflow-wrap:anywhere}
.ha a{color:var(--b)}
.ar{display:flex;align-items:center;gap:12px;padding:11px 14px}
.hic{width:34px;height:34px;border-radius:10px;background:#e6f0ff;color:var(--b);display:flex;align-items:center;justify-content:center;flex:none}
.hic .s{width:18px;height:18px}
.hat{flex:1;min-width:0;display:flex;flex-direction:column}
.hat b{font-weight:500;overflow-wrap:anywhere}
.hat small{font-size:12px;color:var(--t3)}
.ar>.s{width:16px;height:16px;color:var(--t3);flex:none}
.he{text-align:center;padding:40px 12px 12px;color:var(--t2)}
.hei{width:56px;height:56px;border-radius:50%;background:#e6f0ff;color:var(--b);display:inline-flex;align-items:center;justify-content:center;margin-bottom:14px}
.hei .s{width:28px;height:28px;stroke-width:1.8}
[data-testid=widget-help-error] .hei{background:#fff1f0;color:#cf1322}
.he-h{margin:0 0 6px;font-size:16px;font-weight:600;color:var(--tx);overflow-wrap:anywhere}
.he-p{margin:0 0 20px;font-size:13px}
.b2{display:inline-flex;align-items:center;gap:6px;height:38px;padding:0 20px;border-radius:19px;background:var(--b);color:#fff;font-size:14px;font-weight:500;text-decoration:none;transition:background .15s}
.b2:hover{background:var(--bh)}
.b2.o{background:#fff;color:var(--b);box-shadow:inset 0 0 0 1px #91caff}
.b2.o:hover{background:#f0f6ff}
.b2 .s{width:16px;height:16px}
.lk2{color:var(--b);font-weight:500;margin-left:4px}
.lk2:hover{text-decoration:underline}
.he .lk2{display:block;margin:14px auto 0;font-size:13px}
.hm{margin:16px 0 4px;text-align:center;font-size:13px;color:var(--t2)}
.oc{padding:12px 14px}
.oh{display:flex;justify-content:space-between;align-items:center;gap:8px;font-weight:500}
.oh>span:first-child{min-width:0;overflow-wrap:anywhere}
.st{flex:none;font-size:12px;padding:1px 8px;border-radius:10px;background:#e6f0ff;color:var(--b)}
.st.x{background:#f2f3f5;color:var(--t2)}
.om{margin:4px 0 0;font-size:12px;color:var(--t2);overflow-wrap:anywhere}
.oa{margin-top:8px;padding:8px 10px;border-radius:8px;background:#fffbe6;font-size:13px;overflow-wrap:anywhere}
.ob{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin-top:10px}
.ob .in{flex:1 1 100px;width:auto;min-width:0}
.oc .b2{height:32px;padding:0 16px;font-size:13px}
.oc .lk2{margin:0;font-size:13px}
.os .f{margin:10px 0 0}
.ol{display:flex;align-items:center;gap:8px;margin-top:6px;font-size:13px}
.ol span{flex:1;min-width:0}
.ol .in{width:64px;padding:4px 8px}
.os .err{margin:8px 0 0}
.bar{flex:none;padding:6px 12px;background:#fffbe6;color:#ad6800;font-size:12px;text-align:center;border-bottom:1px solid #ffe58f}
.bd{flex:1;min-height:0;display:flex;flex-direction:column;position:relative;background:var(--bg)}
.ls{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:12px 14px 16px}
.row{display:flex;gap:8px;margin-top:14px;align-items:flex-start}
.row.ct{margin-top:4px}
.row.me{flex-direction:row-reverse}
.av{width:32px;height:32px;border-radius:50%;background:#e6f0ff;color:var(--b);font-size:14px;font-weight:600;flex:none;
display:flex;align-items:center;justify-content:center}
.av.bot{background:#f0e9ff;color:#722ed1}
.av.ph{visibility:hidden;height:0}
.av .s{width:18px;height:18px}
.fb{display:flex;flex-wrap:wrap;align-items:center;gap:6px 8px;margin:2px 2px 0;font-size:12px;color:var(--t2)}
.fbb{height:28px;padding:0 14px;border-radius:14px;background:#fff;box-shadow:inset 0 0 0 1px var(--ln);transition:color .15s,box-shadow .15s}
.fbb:hover{color:var(--b);box-shadow:inset 0 0 0 1px #91caff}
.fbb:focus-visible,.fb .lk2:focus-visible{outline:2px solid rgba(22,119,255,.35);outline-offset:1px}
.fbd{display:inline-flex;align-items:center;gap:4px;color:#389e0d}
.fbd .s{width:14px;height:14px}
.fbh{flex-basis:100%}
.fb .lk2{margin-left:2px}
.col{display:flex;flex-direction:column;align-items:flex-start;max-width:76%;min-width:0;gap:4px}
.me .col{align-items:flex-end}
.nm{font-size:12px;color:var(--t3);margin:0 2px}
.bb{padding:9px 13px;border-radius:4px 14px 14px 14px;background:#fff;white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere;
box-shadow:0 1px 2px rgba(31,35,41,.06);max-width:100%}
.me .bb{background:var(--b);color:#fff;border-radius:14px 4px 14px 14px}
.bb a{color:var(--b)}
.me .bb a{color:#fff}
.sd .bb,.sd .img,.sd .fa{opacity:.62}
.up .bb{background:#fff;color:var(--t2);border:1px dashed #b7c6e0}
.fl .bb{background:#fff1f0;color:#a8071a;box-shadow:inset 0 0 0 1px #ffccc7}
.img{display:block;border-radius:10px;overflow:hidden;background:#e9ebef;line-height:0;max-width:100%}
.img img{display:block;max-width:220px;max-height:260px;min-width:60px;min-height:40px;object-fit:cover}
.fa{display:flex;align-items:center;gap:10px;padding:10px 12px;background:#fff;border-radius:12px;border:1px solid var(--ln);
color:var(--tx);text-decoration:none;max-width:250px;min-width:0}
.fa:hover{border-color:#91caff}
.fa .s{width:30px;height:30px;color:var(--b);flex:none;stroke-width:1.6}
.fn{font-size:13px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.fz{font-size:11px;color:var(--t3)}
.fa>span{min-width:0;display:flex;flex-direction:column}
.mt{font-size:11px;color:var(--t3);margin:0 2px}
.mt.rd{color:var(--b)}
.mt.er{color:#cf1322}
.mt button{color:var(--b);text-decoration:underline;margin-left:6px;font-size:11px}
.sys{margin:14px auto 0;max-width:86%;text-align:center;font-size:12px;color:var(--t2);background:rgba(31,35,41,.05);padding:5px 12px;border-radius:12px;
width:fit-content;white-space:pre-wrap;word-break:break-word}
.ts{text-align:center;font-size:11px;color:#a8abb2;margin:18px 0 -4px}
.card{margin:12px 0 4px;background:#fff;border-radius:14px;padding:16px;box-shadow:0 1px 3px rgba(31,35,41,.08)}
.card-h{display:flex;align-items:center;gap:8px;font-size:15px;font-weight:600}
.card-h .s{color:var(--b)}
.card-p{margin:6px 0 12px;font-size:13px;color:var(--t2);white-space:pre-wrap}
.card-n{margin:10px 0 0;font-size:12px;color:var(--t3)}
.ok{display:flex;gap:10px;align-items:flex-start;font-size:13px;color:#135200;background:#f6ffed;box-shadow:inset 0 0 0 1px #b7eb8f}
.ok .s{color:#52c41a;flex:none}
.svq p{margin:12px 0 6px;font-size:13px}
.svr{display:flex;flex-wrap:wrap;gap:4px}
.svs{color:#d9dce1;padding:2px}
.svs .s{width:28px;height:28px;stroke-width:1.6}
.svs[aria-pressed=true]{color:#faad14}
.svs[aria-pressed=true] .s{fill:currentColor}
.svn{width:28px;height:28px;border-radius:6px;font-size:12px;box-shadow:inset 0 0 0 1px var(--ln)}
.svn[aria-pressed=true]{background:var(--b);color:#fff;box-shadow:none}
.svs:focus-visible,.svn:focus-visible{outline:2px solid rgba(22,119,255,.35)}
.svl{display:flex;justify-content:space-between;margin:2px 0 10px;font-size:11px;color:var(--t3)}
.sys a{color:var(--b);margin-left:4px}
.card>.in{margin-bottom:10px}
.f{display:block;margin-bottom:10px}
.f>span{display:block;font-size:12px;color:var(--t2);margin-bottom:4px}
.in{display:block;width:100%;border:1px solid #d9dce1;border-radius:9px;padding:8px 11px;font-size:14px;background:#fff;outline:none;
transition:border-color .15s,box-shadow .15s;resize:none}
.in:focus{border-color:var(--b);box-shadow:0 0 0 3px rgba(22,119,255,.15)}
.in.bad{border-color:#ff4d4f}
.err{font-size:12px;color:#cf1322;margin:-2px 0 8px}
.err:empty{display:none}
.btn{display:block;width:100%;height:40px;border-radius:10px;background:var(--b);color:#fff;font-size:14px;font-weight:500;transition:background .15s}
.btn:hover{background:var(--bh)}
.btn:disabled{opacity:.6;cursor:default}
.lnk{display:block;margin:10px auto 0;color:var(--t2);font-size:13px;padding:6px 10px}
.lnk:hover{color:var(--b)}
.pc{flex:1;overflow-y:auto;background:#fff;padding:26px 22px 20px}
.pc-h{font-size:18px;font-weight:600}
.pc-p{margin:6px 0 20px;font-size:13px;color:var(--t2)}
.pc .f{margin-bottom:14px}
.pc .in{height:40px}
.pc .btn{margin-top:18px}
.ty{position:absolute;left:14px;bottom:8px;font-size:12px;color:var(--t2);background:rgba(255,255,255,.94);padding:4px 10px;border-radius:12px;
box-shadow:0 1px 3px rgba(31,35,41,.1);display:flex;align-items:center;gap:6px;pointer-events:none}
.dots{display:inline-flex;gap:3px}
.dots i{width:4px;height:4px;border-radius:50%;background:var(--b);animation:bl 1.2s infinite}
.dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}
@keyframes bl{0%,60%,100%{opacity:.25}30%{opacity:1}}
.tst{position:absolute;left:12px;right:12px;bottom:8px;padding:8px 12px;border-radius:10px;background:#fff1f0;color:#a8071a;font-size:12px;
box-shadow:0 2px 8px rgba(0,0,0,.1);border:1px solid #ffccc7}
.qu{flex:none;padding:6px 14px;font-size:12px;color:var(--t2);background:#f5f8ff;border-top:1px solid #eef0f3}
.cp{flex:none;display:flex;align-items:flex-end;gap:6px;padding:10px 10px 10px 8px;border-top:1px solid #eef0f3;background:#fff;
padding-bottom:max(10px,env(safe-area-inset-bottom))}
.cp .ib{color:var(--t2)}
.cp .ib:hover{background:#f2f3f5;color:var(--b)}
.ta{flex:1;min-width:0;border:0;outline:none;resize:none;background:var(--bg);border-radius:18px;padding:8px 14px;font-size:14px;line-height:20px;
height:36px;max-height:120px;overflow-y:auto;transition:box-shadow .15s}
.ta:focus{box-shadow:inset 0 0 0 1px #91caff}
.ta::placeholder,.in::placeholder{color:#a8abb2}
.sn{width:36px;height:36px;border-radius:50%;background:var(--b);color:#fff;display:flex;align-items:center;justify-content:center;flex:none;transition:background .15s,opacity .15s}
.sn:hover{background:var(--bh)}
.sn:disabled{background:#bcd6ff;cursor:default}
.sn .i{width:18px;height:18px;margin-left:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:480px){
.win{inset:0;width:100%;height:100%;max-height:none;border-radius:0;animation:none!important}
.open .ln{display:none}
.ln{right:16px;bottom:16px;width:56px;height:56px}
.hd{padding-top:max(14px,env(safe-area-inset-top))}
.ta,.in,.si{font-size:16px}
.col{max-width:80%}
}
@media (prefers-reduced-motion:reduce){.open .win,.dots i{animation:none}.ln{transition:none}}
`;
