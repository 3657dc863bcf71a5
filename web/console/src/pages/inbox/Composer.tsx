import { useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ClipboardEvent, KeyboardEvent, Ref } from 'react';
import { Avatar, Button, Input, Segmented, Spin, Tag, Tooltip, Typography } from 'antd';
import type { GetRef } from 'antd';
import {
  CloseOutlined,
  FileOutlined,
  LockOutlined,
  MessageOutlined,
  PaperClipOutlined,
  SendOutlined,
  ThunderboltOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Agent, Attachment, CannedReply } from '../../api/types';
import { useApiError } from '../../lib/errors';
import { fileSize } from '../../lib/conversations';
import type { ComposeKind } from './useConversation';

type TextAreaRef = GetRef<typeof Input.TextArea>;

export interface ComposerHandle {
  /** Focuses the input in the given mode; with slash, starts a "/" canned-reply search. */
  focus: (mode?: ComposeKind, slash?: boolean) => void;
  /** Puts text into the reply at the caret (replacing any selection), without sending it. */
  insert: (text: string) => void;
}

interface UploadItem {
  uid: string;
  name: string;
  size: number;
  status: 'uploading' | 'done' | 'error';
  file?: Attachment;
}

interface Token {
  kind: 'canned' | 'mention';
  query: string;
  start: number;
}

interface Props {
  conversationId: string;
  canReply: boolean;
  agents: Agent[];
  canned: CannedReply[];
  /** Called when the canned-reply menu opens, so the list can be refreshed. */
  onCannedOpen: () => void;
  onSend: (kind: ComposeKind, text: string, extra: { attachments?: Attachment[]; mentions?: string[] }) => void;
  onTyping: (conversationId: string, on: boolean) => void;
  ref?: Ref<ComposerHandle>;
}

const MAX_OPTIONS = 8;
const TYPING_EVERY_MS = 3000;
const TYPING_IDLE_MS = 4000;

// Unsent text per conversation, kept while the agent switches between them.
const drafts = new Map<string, string>();

/** The "/query" (reply) or "@query" (note) being typed just before the caret. */
function findToken(text: string, caret: number, mode: ComposeKind): Token | null {
  const before = text.slice(0, caret);
  const m = (mode === 'reply' ? /(?:^|\s)\/([^\s/]*)$/ : /(?:^|\s)@([^\s@]*)$/).exec(before);
  if (!m) return null;
  return { kind: mode === 'reply' ? 'canned' : 'mention', query: m[1], start: caret - m[1].length - 1 };
}

function rankCanned(items: CannedReply[], q: string): CannedReply[] {
  const s = q.toLowerCase();
  if (!s) return items.slice(0, MAX_OPTIONS);
  const score = (c: CannedReply) => {
    const sc = c.shortcut.toLowerCase();
    if (sc === s) return 0;
    if (sc.startsWith(s)) return 1;
    if (sc.includes(s)) return 2;
    if (c.title.toLowerCase().includes(s)) return 3;
    if (c.content.toLowerCase().includes(s)) return 4;
    return 9;
  };
  return items
    .map((c) => ({ c, n: score(c) }))
    .filter((x) => x.n < 9)
    .sort((a, b) => a.n - b.n)
    .slice(0, MAX_OPTIONS)
    .map((x) => x.c);
}

export default function Composer({ conversationId, canReply, agents, canned, onCannedOpen, onSend, onTyping, ref }: Props) {
  const { t } = useTranslation();
  const showError = useApiError();
  const [mode, setMode] = useState<ComposeKind>('reply');
  const [text, setText] = useState(() => drafts.get(conversationId) ?? '');
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(-1);
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const mentions = useRef(new Map<string, string>());
  const inputRef = useRef<TextAreaRef>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const popRef = useRef<HTMLDivElement>(null);
  const typingSentAt = useRef(0);
  const typingIdle = useRef<number | undefined>(undefined);
  const onTypingRef = useRef(onTyping);
  useEffect(() => {
    onTypingRef.current = onTyping;
  });

  const textarea = () => inputRef.current?.resizableTextArea?.textArea ?? null;

  const stopTyping = (cid: string) => {
    window.clearTimeout(typingIdle.current);
    if (typingSentAt.current) {
      typingSentAt.current = 0;
      onTypingRef.current(cid, false);
    }
  };

  // Switching conversations: bring back that conversation's draft, start in reply mode.
  useEffect(() => {
    setText(drafts.get(conversationId) ?? '');
    setMode('reply');
    setUploads([]);
    setDismissed(-1);
    mentions.current.clear();
    return () => stopTyping(conversationId);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [conversationId]);

  const token = useMemo(() => findToken(text, caret, mode), [text, caret, mode]);
  const popup = token && token.start !== dismissed ? token : null;
  const cannedOptions = useMemo(() => (popup?.kind === 'canned' ? rankCanned(canned, popup.query) : []), [popup?.kind, popup?.query, canned]);
  const mentionOptions = useMemo(() => {
    if (popup?.kind !== 'mention') return [];
    const q = popup.query.toLowerCase();
    return agents.filter((a) => a.name.toLowerCase().includes(q)).slice(0, MAX_OPTIONS);
  }, [popup?.kind, popup?.query, agents]);
  const optionCount = popup?.kind === 'canned' ? cannedOptions.length : mentionOptions.length;

  useEffect(() => setActive(0), [popup?.kind, popup?.query]);
  useEffect(() => {
    if (!token) setDismissed(-1);
  }, [token]);
  const cannedOpen = popup?.kind === 'canned';
  useEffect(() => {
    if (cannedOpen) onCannedOpen();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cannedOpen]);
  useEffect(() => {
    popRef.current?.querySelector('.kf-pop-item.active')?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const update = (value: string, pos: number) => {
    setText(value);
    setCaret(pos);
    if (value) drafts.set(conversationId, value);
    else drafts.delete(conversationId);
  };

  // Where to put the caret after the next render (inserted text must not race the agent's next key).
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const pos = pendingCaret.current;
    const el = textarea();
    if (pos === null || !el) return;
    pendingCaret.current = null;
    el.focus();
    el.setSelectionRange(pos, pos);
  });

  const placeCaret = (pos: number) => {
    pendingCaret.current = pos;
    setCaret(pos);
  };

  const replaceToken = (insert: string) => {
    if (!popup) return;
    const next = text.slice(0, popup.start) + insert + text.slice(caret);
    update(next, popup.start + insert.length);
    placeCaret(popup.start + insert.length);
  };

  const choose = (i: number) => {
    if (popup?.kind === 'canned') {
      const c = cannedOptions[i];
      if (c) replaceToken(c.content);
    } else if (popup?.kind === 'mention') {
      const a = mentionOptions[i];
      if (!a) return;
      mentions.current.set(a.name, a.id);
      replaceToken(`@${a.name} `);
    }
  };

  const switchMode = (m: ComposeKind) => {
    setMode(m);
    if (m === 'note') stopTyping(conversationId);
    requestAnimationFrame(() => textarea()?.focus());
  };

  const insertTrigger = (ch: '/' | '@') => {
    const el = textarea();
    const pos = el ? el.selectionStart : text.length;
    const before = text.slice(0, pos);
    const insert = (before && !/\s$/.test(before) ? ' ' : '') + ch;
    update(before + insert + text.slice(pos), pos + insert.length);
    setDismissed(-1);
    placeCaret(pos + insert.length);
  };

  useImperativeHandle(
    ref,
    () => ({
      focus: (m, slash) => {
        if (m) setMode(m);
        if (slash && (m ?? mode) === 'reply') {
          // Let the mode change render before the "/" opens the menu.
          requestAnimationFrame(() => insertTrigger('/'));
        } else {
          requestAnimationFrame(() => textarea()?.focus());
        }
      },
      insert: (ins) => {
        const el = textarea();
        const start = el ? el.selectionStart : text.length;
        const end = el ? el.selectionEnd : text.length;
        setMode('reply');
        setDismissed(-1);
        update(text.slice(0, start) + ins + text.slice(end), start + ins.length);
        placeCaret(start + ins.length);
      },
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [mode, text],
  );

  const typing = (value: string) => {
    if (mode !== 'reply' || !value) return;
    const now = Date.now();
    if (now - typingSentAt.current > TYPING_EVERY_MS) {
      typingSentAt.current = now;
      onTypingRef.current(conversationId, true);
    }
    window.clearTimeout(typingIdle.current);
    typingIdle.current = window.setTimeout(() => stopTyping(conversationId), TYPING_IDLE_MS);
  };

  const uploading = uploads.some((u) => u.status === 'uploading');
  const ready = uploads.filter((u) => u.status === 'done' && u.file).map((u) => u.file!);
  const body = text.trim();
  const canSend = !uploading && (mode === 'reply' ? !!body || ready.length > 0 : !!body);

  const submit = () => {
    if (!canSend) return;
    if (mode === 'note') {
      const ids = [...new Set([...mentions.current].filter(([name]) => body.includes('@' + name)).map(([, id]) => id))];
      onSend('note', body, { mentions: ids });
    } else {
      onSend('reply', body, { attachments: ready });
      setUploads([]);
    }
    stopTyping(conversationId);
    mentions.current.clear();
    update('', 0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing || e.keyCode === 229) return; // an IME is composing (pinyin)
    const plain = !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey;
    if (popup) {
      if (e.key === 'ArrowDown' && optionCount) {
        e.preventDefault();
        setActive((a) => (a + 1) % optionCount);
        return;
      }
      if (e.key === 'ArrowUp' && optionCount) {
        e.preventDefault();
        setActive((a) => (a - 1 + optionCount) % optionCount);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && plain && optionCount) {
        e.preventDefault();
        choose(active);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setDismissed(popup.start);
        return;
      }
    }
    if (e.key === 'Tab' && plain) {
      e.preventDefault();
      switchMode(mode === 'reply' ? 'note' : 'reply');
      return;
    }
    if (e.key === 'Enter' && plain) {
      e.preventDefault();
      submit();
    }
  };

  const addFiles = (files: File[]) => {
    for (const f of files) {
      const uid = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      setUploads((prev) => [...prev, { uid, name: f.name, size: f.size, status: 'uploading' }]);
      const form = new FormData();
      form.append('file', f, f.name);
      api
        .upload<Attachment>('/uploads', form)
        .then((a) => setUploads((prev) => prev.map((u) => (u.uid === uid ? { ...u, status: 'done', file: a } : u))))
        .catch((err) => {
          setUploads((prev) => prev.map((u) => (u.uid === uid ? { ...u, status: 'error' } : u)));
          showError(err);
        });
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    if (mode !== 'reply') return;
    const files = Array.from(e.clipboardData.files ?? []);
    if (files.length) {
      e.preventDefault();
      addFiles(files);
    }
  };

  if (!canReply) {
    return (
      <div className="kf-composer disabled">
        <Typography.Text type="secondary">
          <LockOutlined /> {t('inbox.composer.noPermission')}
        </Typography.Text>
      </div>
    );
  }

  const syncCaret = () => {
    const el = textarea();
    if (el) setCaret(el.selectionStart);
  };

  return (
    <div className={`kf-composer${mode === 'note' ? ' note' : ''}`}>
      {popup && (
        <div className="kf-pop" ref={popRef} data-testid={popup.kind === 'canned' ? 'canned-menu' : 'mention-menu'}>
          <div className="kf-pop-head">
            <span>{popup.kind === 'canned' ? t('inbox.composer.cannedTitle') : t('inbox.composer.mentionTitle')}</span>
            <span className="kf-pop-keys">{t('inbox.composer.popKeys')}</span>
          </div>
          <div className="kf-pop-list">
            {optionCount === 0 ? (
              <div className="kf-pop-empty">
                {popup.kind === 'canned' ? (
                  <>
                    {t('inbox.composer.noCanned')} <Link to="/canned-replies">{t('inbox.composer.manageCanned')}</Link>
                  </>
                ) : (
                  t('inbox.composer.noAgents')
                )}
              </div>
            ) : popup.kind === 'canned' ? (
              cannedOptions.map((c, i) => (
                <div
                  key={c.id}
                  className={`kf-pop-item${i === active ? ' active' : ''}`}
                  data-testid="canned-option"
                  data-shortcut={c.shortcut}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(i)}
                  onMouseEnter={() => setActive(i)}
                >
                  <div className="kf-pop-line">
                    <span className="kf-pop-key kf-mono">/{c.shortcut}</span>
                    <span className="kf-pop-title">{c.title}</span>
                    <Tag bordered={false} className="kf-pop-scope">
                      {t(`canned.scope.${c.scope}`)}
                    </Tag>
                  </div>
                  <div className="kf-pop-preview">{c.content}</div>
                </div>
              ))
            ) : (
              mentionOptions.map((a, i) => (
                <div
                  key={a.id}
                  className={`kf-pop-item kf-pop-agent${i === active ? ' active' : ''}`}
                  data-testid="mention-option"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(i)}
                  onMouseEnter={() => setActive(i)}
                >
                  <Avatar size={22} style={{ background: '#1677ff', fontSize: 12 }}>
                    {a.name.slice(0, 1)}
                  </Avatar>
                  <span className="kf-pop-title">{a.name}</span>
                  <span className={`kf-online${a.online ? ' on' : ''}`} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {a.online ? t('inbox.online') : t('inbox.offline')}
                  </Typography.Text>
                </div>
              ))
            )}
          </div>
        </div>
      )}
      <div className="kf-composer-top">
        <Segmented<ComposeKind>
          size="small"
          value={mode}
          onChange={switchMode}
          options={[
            {
              value: 'reply',
              label: (
                <span data-testid="composer-mode-reply">
                  <MessageOutlined /> {t('inbox.composer.reply')}
                </span>
              ),
            },
            {
              value: 'note',
              label: (
                <span data-testid="composer-mode-note">
                  <LockOutlined /> {t('inbox.composer.note')}
                </span>
              ),
            },
          ]}
        />
        <span className="kf-composer-hint">{mode === 'note' ? t('inbox.composer.noteHint') : t('inbox.composer.replyHint')}</span>
      </div>
      {uploads.length > 0 && (
        <div className="kf-composer-files">
          {uploads.map((u) => (
            <span key={u.uid} className={`kf-file-chip ${u.status}`}>
              {u.status === 'uploading' ? <Spin size="small" /> : u.status === 'error' ? <WarningOutlined /> : <FileOutlined />}
              <span className="kf-file-chip-name">{u.name}</span>
              <span className="kf-file-chip-size">{u.status === 'error' ? t('inbox.composer.uploadFailed') : fileSize(u.size)}</span>
              <CloseOutlined
                className="kf-file-chip-x"
                aria-label={t('common.delete')}
                onClick={() => setUploads((prev) => prev.filter((x) => x.uid !== u.uid))}
              />
            </span>
          ))}
        </div>
      )}
      <Input.TextArea
        ref={inputRef}
        value={text}
        variant="borderless"
        autoSize={{ minRows: 2, maxRows: 8 }}
        placeholder={mode === 'note' ? t('inbox.composer.notePlaceholder') : t('inbox.composer.replyPlaceholder')}
        onChange={(e) => {
          update(e.target.value, e.target.selectionStart);
          typing(e.target.value);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={syncCaret}
        onClick={syncCaret}
        onPaste={onPaste}
        onBlur={() => stopTyping(conversationId)}
        data-testid="composer-input"
        className="kf-composer-input"
      />
      <div className="kf-composer-bar">
        {mode === 'reply' ? (
          <>
            <Tooltip title={t('inbox.composer.attach')}>
              <Button type="text" size="small" icon={<PaperClipOutlined />} onClick={() => fileRef.current?.click()} data-testid="composer-attach" />
            </Tooltip>
            <Tooltip title={t('inbox.composer.insertCanned')}>
              <Button type="text" size="small" icon={<ThunderboltOutlined />} onClick={() => insertTrigger('/')} />
            </Tooltip>
          </>
        ) : (
          <Tooltip title={t('inbox.composer.mention')}>
            <Button type="text" size="small" onClick={() => insertTrigger('@')} className="kf-at-btn">
              @
            </Button>
          </Tooltip>
        )}
        <span className="kf-composer-keys">{t('inbox.composer.keys')}</span>
        <Button
          type="primary"
          size="small"
          icon={mode === 'note' ? <LockOutlined /> : <SendOutlined />}
          disabled={!canSend}
          onClick={submit}
          data-testid="composer-send"
          className={mode === 'note' ? 'kf-note-send' : undefined}
        >
          {mode === 'note' ? t('inbox.composer.addNote') : t('inbox.composer.send')}
        </Button>
      </div>
      <input
        ref={fileRef}
        type="file"
        multiple
        hidden
        onChange={(e) => {
          addFiles(Array.from(e.target.files ?? []));
          e.target.value = '';
        }}
      />
    </div>
  );
}
