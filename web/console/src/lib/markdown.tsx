// A small Markdown renderer for previews of knowledge-base articles: CommonMark's
// everyday blocks (headings, paragraphs, lists with tasks, quotes, fenced code,
// rules) plus GFM tables, strikethrough and bare links. It builds React elements,
// never an HTML string, so raw HTML in the source shows as text and cannot run;
// links and images keep only http(s), mailto and tel addresses, or relative ones.
import { useMemo } from 'react';
import type { ReactNode } from 'react';

type Align = 'left' | 'center' | 'right' | undefined;

type Block =
  | { type: 'heading'; level: number; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'code'; lang: string; text: string }
  | { type: 'quote'; blocks: Block[] }
  | { type: 'list'; ordered: boolean; start: number; loose: boolean; items: ListItem[] }
  | { type: 'hr' }
  | { type: 'table'; align: Align[]; head: string[]; rows: string[][] };

interface ListItem {
  task: boolean | null; // null: not a task; else whether it is checked
  blocks: Block[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const HR = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const ITEM = /^( *)([-*+]|\d{1,9}[.)])(?:([ \t]+)(.*))?$/;
const TABLE_SEP = /^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/;

const indentOf = (s: string) => s.length - s.trimStart().length;

/** Splits a table row into cells, honouring \| escapes. */
function cells(row: string): string[] {
  let s = row.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (s[i] === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += s[i];
  }
  out.push(cur.trim());
  return out;
}

function startsBlock(line: string, next?: string): boolean {
  return (
    FENCE.test(line) ||
    HEADING.test(line) ||
    HR.test(line) ||
    QUOTE.test(line) ||
    (ITEM.test(line) && indentOf(line) < 4 && !!ITEM.exec(line)?.[4]?.trim()) ||
    (line.includes('|') && next !== undefined && TABLE_SEP.test(next) && next.includes('-'))
  );
}

function parseBlocks(lines: string[]): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    let m = FENCE.exec(line);
    if (m) {
      const fence = m[1];
      const ind = indentOf(line);
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i].trimStart().startsWith(fence) && !lines[i].trim().slice(fence.length).trim())) {
        body.push(lines[i].slice(Math.min(ind, indentOf(lines[i]))));
        i++;
      }
      i++;
      out.push({ type: 'code', lang: m[2], text: body.join('\n') });
      continue;
    }
    m = HEADING.exec(line);
    if (m) {
      out.push({ type: 'heading', level: m[1].length, text: m[2] ?? '' });
      i++;
      continue;
    }
    if (HR.test(line)) {
      out.push({ type: 'hr' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && lines[i].trim()) {
        const q = QUOTE.exec(lines[i]);
        body.push(q ? q[1] : lines[i]);
        i++;
      }
      out.push({ type: 'quote', blocks: parseBlocks(body) });
      continue;
    }
    m = ITEM.exec(line);
    if (m && indentOf(line) < 4) {
      i = parseList(lines, i, out);
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      const head = cells(line);
      const align: Align[] = cells(lines[i + 1]).map((c) =>
        c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : undefined,
      );
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i].trim() && lines[i].includes('|')) {
        rows.push(cells(lines[i]));
        i++;
      }
      out.push({ type: 'table', align, head, rows });
      continue;
    }
    // A paragraph runs to a blank line or the start of another block; "===" or "---" under it makes a heading.
    const para: string[] = [line.trimStart()];
    i++;
    while (i < lines.length && lines[i].trim()) {
      if (/^ {0,3}=+[ \t]*$/.test(lines[i]) || /^ {0,3}-+[ \t]*$/.test(lines[i])) {
        out.push({ type: 'heading', level: lines[i].trim()[0] === '=' ? 1 : 2, text: para.join('\n').trim() });
        para.length = 0;
        i++;
        break;
      }
      if (startsBlock(lines[i], lines[i + 1])) break;
      para.push(lines[i].trimStart());
      i++;
    }
    if (para.length) out.push({ type: 'paragraph', text: para.join('\n').trimEnd() });
  }
  return out;
}

/** Parses the list that starts at lines[i] into out; returns the index after it. */
function parseList(lines: string[], i: number, out: Block[]): number {
  const first = ITEM.exec(lines[i])!;
  const ordered = /\d/.test(first[2]);
  const base = first[1].length;
  const items: ListItem[] = [];
  let loose = false;
  while (i < lines.length) {
    const m = ITEM.exec(lines[i]);
    if (!m || m[1].length !== base || /\d/.test(m[2]) !== ordered) break;
    const gap = m[3] ? (m[3].length > 4 ? 1 : m[3].length) : 1;
    const content = base + m[2].length + gap;
    // Nested content may sit under the text or, loosely, two spaces in.
    const childIndent = Math.min(content, base + 2);
    const body: string[] = [m[4] ?? ''];
    i++;
    while (i < lines.length) {
      const l = lines[i];
      if (!l.trim()) {
        let j = i + 1;
        while (j < lines.length && !lines[j].trim()) j++;
        if (j < lines.length && indentOf(lines[j]) >= childIndent) {
          body.push('');
          loose = true;
          i++;
          continue;
        }
        break;
      }
      if (indentOf(l) >= childIndent) {
        body.push(l.slice(Math.min(content, indentOf(l))));
        i++;
        continue;
      }
      // A lazy continuation of the item's paragraph.
      if (body[body.length - 1].trim() && !startsBlock(l, lines[i + 1])) {
        body.push(l.trim());
        i++;
        continue;
      }
      break;
    }
    let task: boolean | null = null;
    const tm = /^\[([ xX])\][ \t]+/.exec(body[0]);
    if (tm) {
      task = tm[1] !== ' ';
      body[0] = body[0].slice(tm[0].length);
    }
    items.push({ task, blocks: parseBlocks(body) });
    // A blank line between items makes the list loose.
    if (i < lines.length && !lines[i].trim()) {
      let j = i;
      while (j < lines.length && !lines[j].trim()) j++;
      const next = j < lines.length ? ITEM.exec(lines[j]) : null;
      if (next && next[1].length === base && /\d/.test(next[2]) === ordered) {
        loose = true;
        i = j;
      }
    }
  }
  out.push({ type: 'list', ordered, start: ordered ? parseInt(first[2], 10) : 1, loose, items });
  return i;
}

/** The address to use for a link or image, or null when its scheme is not allowed. */
export function safeUrl(raw: string, image = false): string | null {
  const url = raw.trim();
  // eslint-disable-next-line no-control-regex
  const probe = url.replace(/[\u0000-\u0020\u007f]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(probe)?.[1]?.toLowerCase();
  if (!scheme) return url;
  const ok = image ? ['http', 'https'] : ['http', 'https', 'mailto', 'tel'];
  return ok.includes(scheme) ? url : null;
}

const PUNCT = /[!-/:-@[-`{-~]/;
const WORD = /[\p{L}\p{N}]/u;
// A bare address ends at space, CJK text or full-width punctuation, and not on a trailing full stop or bracket.
const BARE_URL = /^https?:\/\/[^\s<>\u3000-\u9fff\uff00-\uffef]*[^\s<>.,:;"'!?)\]}\u3000-\u9fff\uff00-\uffef]/;
const VARIABLE = /^\{\{\s*[\w.]+\s*\}\}/;

/** Where each [ in text closes (one pass, so a line of unclosed brackets stays linear). */
function matchBrackets(text: string): Map<number, number> {
  const out = new Map<number, number>();
  const open: number[] = [];
  for (let k = 0; k < text.length; k++) {
    if (text[k] === '\\') k++;
    else if (text[k] === '[') open.push(k);
    else if (text[k] === ']' && open.length) out.set(open.pop()!, k);
  }
  return out;
}

/** Reads "(url "title")" at text[i]; returns the address, title and the index after it. */
function linkTarget(text: string, i: number): { url: string; title?: string; end: number } | null {
  if (text[i] !== '(') return null;
  let depth = 0;
  for (let k = i; k < text.length; k++) {
    if (text[k] === '\\') k++;
    else if (text[k] === '(') depth++;
    else if (text[k] === ')' && --depth === 0) {
      const inner = text.slice(i + 1, k).trim();
      const m = /^<?([^\s>]*)>?(?:\s+["'(](.*)["')])?$/.exec(inner);
      if (!m) return null;
      return { url: m[1], title: m[2], end: k + 1 };
    }
  }
  return null;
}

/** Finds the closing emphasis delimiter for a run of `n` `c`s opening at `from`. */
function closeEmphasis(text: string, from: number, c: string, n: number): number {
  for (let k = from; k < text.length; k++) {
    if (text[k] === '\\') {
      k++;
      continue;
    }
    if (text[k] === '`') {
      const run = /^`+/.exec(text.slice(k))![0];
      const end = text.indexOf(run, k + run.length);
      if (end > 0) k = end + run.length - 1;
      continue;
    }
    if (text[k] !== c) continue;
    let run = 0;
    while (text[k + run] === c) run++;
    // A closer follows text, not space; inside *em*, a ** run is a nested **strong**.
    const at = k + run - n; // ***x*** closes the inner ** at the end of the run
    if (run < n || (n === 1 && run === 2) || /\s/.test(text[k - 1] ?? ' ') || (c === '_' && WORD.test(text[at + n] ?? ''))) {
      k += run - 1;
      continue;
    }
    return at;
  }
  return -1;
}

/** Inline Markdown to React nodes; depth stops runaway nesting (beyond a few levels the rest is text). */
function inline(text: string, key = 'i', depth = 0): ReactNode[] {
  if (depth > 6) return [text];
  const out: ReactNode[] = [];
  let buf = '';
  let n = 0;
  const flush = () => {
    if (buf) out.push(buf);
    buf = '';
  };
  const push = (node: ReactNode) => {
    flush();
    out.push(node);
  };
  const k = () => `${key}.${n++}`;
  // Searches that found nothing are remembered, so unclosed * or [ cost one scan, not one per opener.
  let brackets: Map<number, number> | null = null;
  const closeBracket = (at: number) => (brackets ??= matchBrackets(text)).get(at) ?? -1;
  const failed: Record<string, number> = {};
  const closeEm = (from: number, c: string, len: number) => {
    const key = c + len;
    if (from >= (failed[key] ?? Infinity)) return -1;
    const at = closeEmphasis(text, from, c, len);
    if (at < 0) failed[key] = Math.min(from, failed[key] ?? Infinity);
    return at;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const rest = text.slice(i);
    if (c === '\\' && i + 1 < text.length) {
      if (text[i + 1] === '\n') {
        push(<br key={k()} />);
        i += 2;
        continue;
      }
      if (PUNCT.test(text[i + 1])) {
        buf += text[i + 1];
        i += 2;
        continue;
      }
    }
    if (c === '\n') {
      if (/ {2,}$/.test(buf)) {
        buf = buf.replace(/ +$/, '');
        push(<br key={k()} />);
      } else buf += '\n';
      i++;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(rest)![0];
      const end = text.indexOf(run, i + run.length);
      if (end > 0 && text[end + run.length] !== '`') {
        let code = text.slice(i + run.length, end).replace(/\n/g, ' ');
        if (/^ .* $/.test(code) && code.trim()) code = code.slice(1, -1);
        push(<code key={k()}>{code}</code>);
        i = end + run.length;
        continue;
      }
      buf += run;
      i += run.length;
      continue;
    }
    if ((c === '!' && text[i + 1] === '[') || c === '[') {
      const open = c === '!' ? i + 1 : i;
      const close = closeBracket(open);
      const target = close > 0 ? linkTarget(text, close + 1) : null;
      if (target) {
        const label = text.slice(open + 1, close);
        const url = safeUrl(target.url, c === '!');
        if (c === '!') {
          push(url ? <img key={k()} src={url} alt={label} title={target.title} loading="lazy" /> : label);
        } else if (url) {
          push(
            <a key={k()} href={url} title={target.title} target="_blank" rel="noopener noreferrer">
              {inline(label, k(), depth + 1)}
            </a>,
          );
        } else push(<span key={k()}>{inline(label, k(), depth + 1)}</span>);
        i = target.end;
        continue;
      }
    }
    if (c === '<') {
      const m = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i.exec(rest);
      if (m) {
        push(
          <a key={k()} href={m[1]} target="_blank" rel="noopener noreferrer">
            {m[1].replace(/^mailto:/i, '')}
          </a>,
        );
        i += m[0].length;
        continue;
      }
    }
    if ((c === 'h' || c === 'H') && !/[A-Za-z0-9]/.test(text[i - 1] ?? '')) {
      const m = BARE_URL.exec(rest);
      if (m) {
        push(
          <a key={k()} href={m[0]} target="_blank" rel="noopener noreferrer">
            {m[0]}
          </a>,
        );
        i += m[0].length;
        continue;
      }
    }
    if (c === '{' && text[i + 1] === '{') {
      const m = VARIABLE.exec(rest);
      if (m) {
        push(
          <span key={k()} className="kf-md-var">
            {m[0]}
          </span>,
        );
        i += m[0].length;
        continue;
      }
    }
    if (c === '~' && text[i + 1] === '~' && text[i + 2] && !/\s/.test(text[i + 2])) {
      const end = text.indexOf('~~', i + 2);
      if (end > i + 2 && !/\s/.test(text[end - 1])) {
        push(<del key={k()}>{inline(text.slice(i + 2, end), k(), depth + 1)}</del>);
        i = end + 2;
        continue;
      }
    }
    if ((c === '*' || c === '_') && !(c === '_' && WORD.test(text[i - 1] ?? ''))) {
      let run = 0;
      while (text[i + run] === c) run++;
      const after = text[i + Math.min(run, 2)];
      // Runs longer than *** (rules, decorations) stay text.
      if (run <= 3 && after && !/\s/.test(after)) {
        if (run >= 2) {
          const end = closeEm(i + 2, c, 2);
          if (end > i + 2) {
            push(<strong key={k()}>{inline(text.slice(i + 2, end), k(), depth + 1)}</strong>);
            i = end + 2;
            continue;
          }
        }
        const end = closeEm(i + 1, c, 1);
        if (end > i + 1) {
          push(<em key={k()}>{inline(text.slice(i + 1, end), k(), depth + 1)}</em>);
          i = end + 1;
          continue;
        }
      }
      buf += c.repeat(run);
      i += run;
      continue;
    }
    buf += c;
    i++;
  }
  flush();
  return out;
}

function renderBlocks(blocks: Block[], key: string, tight = false): ReactNode[] {
  return blocks.map((b, idx) => {
    const k = `${key}.${idx}`;
    switch (b.type) {
      case 'heading': {
        const H = `h${b.level}` as 'h1';
        return <H key={k}>{inline(b.text, k)}</H>;
      }
      case 'paragraph':
        return tight ? <span key={k}>{inline(b.text, k)}</span> : <p key={k}>{inline(b.text, k)}</p>;
      case 'code':
        return (
          <pre key={k} data-lang={b.lang || undefined}>
            <code>{b.text}</code>
          </pre>
        );
      case 'quote':
        return <blockquote key={k}>{renderBlocks(b.blocks, k)}</blockquote>;
      case 'hr':
        return <hr key={k} />;
      case 'list': {
        const items = b.items.map((it, j) => (
          <li key={j} className={it.task !== null ? 'task' : undefined}>
            {it.task !== null && <input type="checkbox" checked={it.task} disabled readOnly />}
            {renderBlocks(it.blocks, `${k}.${j}`, !b.loose)}
          </li>
        ));
        return b.ordered ? (
          <ol key={k} start={b.start !== 1 ? b.start : undefined}>
            {items}
          </ol>
        ) : (
          <ul key={k}>{items}</ul>
        );
      }
      case 'table':
        return (
          <div key={k} className="kf-md-table">
            <table>
              <thead>
                <tr>
                  {b.head.map((h, j) => (
                    <th key={j} style={{ textAlign: b.align[j] }}>
                      {inline(h, `${k}.h${j}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {b.rows.map((r, ri) => (
                  <tr key={ri}>
                    {b.head.map((_, j) => (
                      <td key={j} style={{ textAlign: b.align[j] }}>
                        {inline(r[j] ?? '', `${k}.${ri}.${j}`)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
    }
    return null;
  });
}

/** Renders Markdown source as React elements (see the top of this file for what is supported). */
export function renderMarkdown(source: string): ReactNode[] {
  const lines = source.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  return renderBlocks(parseBlocks(lines), 'b');
}

export default function Markdown({ source, className, testId }: { source: string; className?: string; testId?: string }) {
  const nodes = useMemo(() => renderMarkdown(source), [source]);
  return (
    <div className={className ? `kf-md ${className}` : 'kf-md'} data-testid={testId}>
      {nodes}
    </div>
  );
}
